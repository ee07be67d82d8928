"""Keep tokens, codes and client secrets out of log output.

``redact(text)`` masks bearer tokens, ``access_token=``, ``refresh_token=``, ``code=``,
``code_verifier=`` and ``client_secret=`` values (in query strings, form bodies and JSON),
plus any exact secret value registered with :func:`register_secret` (the API client
registers its token). ``install_redaction()`` attaches a :class:`RedactingFilter` to the
``httpx``, ``httpcore`` and ``c66tui`` loggers and to their existing children, and wraps
the log record factory so records from child loggers created later are masked too (a
filter on a parent logger does not see records that merely propagate through it).
"""

from __future__ import annotations

import logging
import re
import threading

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
            r"((?:access_token|refresh_token|id_token|client_secret|code_verifier|code)=)"
            r"[^&\s\"',;)\]}]+"
        ),
        r"\1" + MASK,
    ),
    # JSON / repr forms: "access_token": "xxx" or 'client_secret': 'xxx'.
    (
        re.compile(
            r"(?i)([\"']?(?:access_token|refresh_token|id_token|client_secret|code_verifier|"
            r"authorization|token)[\"']?\s*[:=]\s*[\"'])[^\"']*([\"'])"
        ),
        r"\1" + MASK + r"\2",
    ),
)

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_MAX_SECRETS = 64
_MIN_SECRET_LENGTH = 8


def register_secret(value: str) -> None:
    """Mask every exact occurrence of ``value`` in redacted text from now on.

    Very short values are ignored (they would mask ordinary words); the registry is
    bounded so long-running processes do not grow it forever.
    """
    if not isinstance(value, str) or len(value) < _MIN_SECRET_LENGTH:
        return
    with _secrets_lock:
        if len(_secrets) >= _MAX_SECRETS:
            _secrets.pop()
        _secrets.add(value)


def redact(text: str) -> str:
    """Return ``text`` with tokens, codes and secrets replaced by ``[REDACTED]``."""
    if not text:
        return text
    # Patterns first: a registered value that happens to be part of a key name
    # (``client_secret``) must not break the key=value matching.
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)
    for value in known:
        if value in text:
            text = text.replace(value, MASK)
    return text


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
                if _is_covered(record.name):
                    _redact_record(record)
                return record

            logging.setLogRecordFactory(factory)
            _factory_installed = True
    return _FILTER


def forget_secrets() -> None:
    """Forget every value given to :func:`register_secret` (the registry of a new process)."""
    with _secrets_lock:
        _secrets.clear()
