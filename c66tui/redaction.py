"""The one redaction point: every text that leaves the process goes through :func:`redact`.

``redact(text)`` masks bearer tokens, ``access_token=``, ``refresh_token=``, ``token=``,
``code=``, ``code_verifier=`` and ``client_secret=`` values (in query strings, form bodies
and JSON), ``"password": "..."``-style JSON fields, plus every exact secret value the
process knows: the registry filled by :func:`register_secret` (the API client registers
its token, the login its code and client secret, the environment-variable tab every value
it reveals). Screen notifications, the journal, the job history, crash reports, error
messages built from server answers and log records (ours, httpx's and Textual's) all
call it.

``install_redaction()`` attaches a :class:`RedactingFilter` to the ``httpx``, ``httpcore``
and ``c66tui`` loggers and to their existing children, and wraps the log record factory so
that every record created afterwards, from any logger, is masked too (a filter on a parent
logger does not see records that merely propagate through it).
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

MASK = "[REDACTED]"

LOGGER_PREFIXES = ("httpx", "httpcore", "c66tui")
"""Logger namespaces whose records are always redacted."""

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization: Bearer xxx / bearer xxx anywhere (headers, reprs, messages).
    (re.compile(r"(?i)(\bbearer\s+)[^\s\"',;)\]}]+"), r"\1" + MASK),
    # key=value in query strings and form bodies.
    (
        re.compile(
            r"(?i)(?<![A-Za-z0-9_])"
            r"((?:access_token|refresh_token|id_token|client_secret|code_verifier|code|token)=)"
            r"[^&\s\"',;)\]}]+"
        ),
        r"\1" + MASK,
    ),
    # JSON / repr forms: "access_token": "xxx" or 'client_secret': 'xxx'.
    (
        re.compile(
            r"(?i)([\"']?(?:access_token|refresh_token|id_token|client_secret|code_verifier|"
            r"authorization|token|secret|password)[\"']?\s*[:=]\s*[\"'])[^\"']*([\"'])"
        ),
        r"\1" + MASK + r"\2",
    ),
)

_secrets: dict[str, None] = {}
"""The registry of known secret values (insertion-ordered: the oldest is dropped first)."""
_secrets_lock = threading.Lock()
_MAX_SECRETS = 1024
WORD_SAFE_LENGTH = 8
"""Registered values shorter than this are masked in free text but not inside the names
and code-made identifiers of :func:`redact_data` (``keep``): a two-character password
must not rewrite ``"type"`` or a timestamp and make a journal line unreadable."""
RECORD_KEYS = frozenset(
    {
        "type",
        "id",
        "time",
        "kind",
        "event",
        "outcome",
        "profile",
        "stack_uid",
        "request_id",
        "job_uid",
        "run_id",
        "finished_at",
        "baseline_deployment_at",
    }
)
"""Fields of the journal and the job history that hold identifiers and times the code
made (pass as ``keep`` to :func:`redact_data`)."""
_matchers: dict[int, re.Pattern[str] | None] = {}
"""Compiled one-pass matchers of the registry, by shortest length (cleared on change)."""


def _plain(value: object) -> str | None:
    reveal = getattr(value, "reveal", None)
    if callable(reveal):
        value = reveal()
    return value if isinstance(value, str) else None


def register_secret(value: object) -> None:
    """Mask every exact occurrence of ``value`` (a string or a ``Secret``) from now on.

    Any length counts: a revealed two-character password is masked wherever text leaves
    the process. Only the empty string and whitespace-only values are ignored (they
    cannot be told apart from layout). The registry is bounded so long-running
    processes do not grow it forever; feed it real secrets only.
    """
    value = _plain(value)
    if value is None or not value.strip():
        return
    with _secrets_lock:
        if value in _secrets:
            return
        if len(_secrets) >= _MAX_SECRETS:
            del _secrets[next(iter(_secrets))]
        _secrets[value] = None
        _matchers.clear()


def forget_secret(value: object) -> None:
    """Stop masking ``value`` (a string or ``Secret``), e.g. after a test."""
    value = _plain(value)
    with _secrets_lock:
        if _secrets.pop(value, False) is None:  # type: ignore[arg-type]
            _matchers.clear()


def _matcher(shortest: int, extra: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of the known values, longest first, behind the mask itself: a
    single pass, so a short value never rewrites the ``[REDACTED]`` put in before."""
    with _secrets_lock:
        if not extra and shortest in _matchers:
            return _matchers[shortest]
        values = {value for value in _secrets if len(value) >= shortest}
        values.update(extra)
        if not values:
            pattern = None
        else:
            ordered = sorted(values, key=len, reverse=True)
            pattern = re.compile("|".join(map(re.escape, [MASK, *ordered])))
        if not extra:
            _matchers[shortest] = pattern
        return pattern


def redact(text: str, extra: tuple[str, ...] | list[str] = (), *, shortest: int = 1) -> str:
    """Return ``text`` with tokens, codes and secrets replaced by ``[REDACTED]``.

    ``extra`` adds exact values to mask for this call only (at least four characters);
    ``shortest`` skips registered values shorter than it (see :data:`WORD_SAFE_LENGTH`).
    """
    if not text:
        return text
    if not isinstance(text, str):
        text = str(text)
    # Patterns first: a registered value that happens to be part of a key name
    # (``client_secret``) must not break the key=value matching.
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    values = tuple(str(value) for value in extra if value and len(str(value)) >= 4)
    matcher = _matcher(shortest, values)
    if matcher is not None:
        text = matcher.sub(MASK, text)
    return text


def redact_data(value: Any, keep: frozenset[str] | set[str] = frozenset()) -> Any:
    """A copy of a JSON-like value with every string in it redacted (keys included).

    Keys, and the values of the keys in ``keep`` (identifiers and times the code made),
    are masked for patterns and registered values of :data:`WORD_SAFE_LENGTH` or more
    only, so that a short registered value cannot make the record unreadable.
    """
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        copy = {}
        for key, item in value.items():
            name = str(key)
            safe = redact(name, shortest=WORD_SAFE_LENGTH)
            if name in keep and isinstance(item, str):
                copy[safe] = redact(item, shortest=WORD_SAFE_LENGTH)
            else:
                copy[safe] = redact_data(item, keep)
        return copy
    if isinstance(value, list | tuple):
        return [redact_data(item, keep) for item in value]
    return value


def _redact_record(record: logging.LogRecord) -> None:
    """Render the record's message once, redacted, and drop the arguments."""
    if getattr(record, "_c66tui_redacted", False):
        return
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep what we can show safely
        message = f"{record.msg!r} {record.args!r}"
    record.msg = redact(message)
    record.args = None
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    record._c66tui_redacted = True


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in the record's message. Never drops records."""

    def filter(self, record: logging.LogRecord) -> bool:
        _redact_record(record)
        return True


_FILTER = RedactingFilter()
_install_lock = threading.Lock()
_factory_installed = False


def _is_covered(name: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in LOGGER_PREFIXES)


def install_redaction() -> RedactingFilter:
    """Install the redacting filter (idempotent) and return it.

    Attaches it to the ``httpx``, ``httpcore`` and ``c66tui`` loggers and their existing
    child loggers, and wraps the record factory so that records from any logger under
    those names are redacted when they are created.
    """
    global _factory_installed
    with _install_lock:
        names = set(LOGGER_PREFIXES)
        names.update(name for name in list(logging.Logger.manager.loggerDict) if _is_covered(name))
        for name in names:
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)
        if not _factory_installed:
            previous = logging.getLogRecordFactory()

            def factory(*args, **kwargs) -> logging.LogRecord:
                record = previous(*args, **kwargs)
                _redact_record(record)  # every logger: ours, httpx's, a library's
                return record

            logging.setLogRecordFactory(factory)
            _factory_installed = True
    return _FILTER


def forget_secrets() -> None:
    """Forget every value given to :func:`register_secret` (the registry of a new process)."""
    with _secrets_lock:
        _secrets.clear()
        _matchers.clear()
