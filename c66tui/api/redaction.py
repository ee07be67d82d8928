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
_MIN_SECRET_LENGTH = 8


def register_secret(value: object) -> None:
    """Mask every exact occurrence of ``value`` (a string or a ``Secret``) from now on.

    Very short values are ignored (they would mask ordinary words); the registry is
    bounded so long-running processes do not grow it forever.
    """
    reveal = getattr(value, "reveal", None)
    if callable(reveal):
        value = reveal()
    if not isinstance(value, str) or len(value) < _MIN_SECRET_LENGTH:
        return
    with _secrets_lock:
        if value in _secrets:
            return
        if len(_secrets) >= _MAX_SECRETS:
            del _secrets[next(iter(_secrets))]
        _secrets[value] = None


def forget_secret(value: object) -> None:
    """Stop masking ``value`` (a string or ``Secret``), e.g. after a test."""
    reveal = getattr(value, "reveal", None)
    if callable(reveal):
        value = reveal()
    with _secrets_lock:
        _secrets.pop(value, None)  # type: ignore[arg-type]


def redact(text: str, extra: tuple[str, ...] | list[str] = ()) -> str:
    """Return ``text`` with tokens, codes and secrets replaced by ``[REDACTED]``.

    ``extra`` adds exact values to mask for this call only (at least four characters).
    """
    if not text:
        return text
    if not isinstance(text, str):
        text = str(text)
    # Patterns first: a registered value that happens to be part of a key name
    # (``client_secret``) must not break the key=value matching.
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    with _secrets_lock:
        known = [*_secrets]
    known.extend(str(value) for value in extra if value and len(str(value)) >= 4)
    for value in sorted(known, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    return text


def redact_data(value: Any) -> Any:
    """A copy of a JSON-like value with every string in it redacted (keys included)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact(str(key)): redact_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_data(item) for item in value]
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
