"""The API layer's names for the one redaction point, :mod:`c66tui.redaction`.

Redaction serves the whole process (logs, the journal, crash reports, the screen), so it
lives outside the API layer; the client registers its token there.
"""

from c66tui.redaction import (
    MASK,
    RECORD_KEYS,
    WORD_SAFE_LENGTH,
    RedactingFilter,
    forget_secrets,
    install_redaction,
    redact,
    redact_data,
    register_secret,
)

__all__ = [
    "MASK",
    "RECORD_KEYS",
    "WORD_SAFE_LENGTH",
    "RedactingFilter",
    "forget_secrets",
    "install_redaction",
    "redact",
    "redact_data",
    "register_secret",
]
