"""The async Cloud 66 API service layer: no Textual here.

``Cloud66Client`` is the entry point; errors live in :mod:`c66tui.api.errors`, models in
:mod:`c66tui.api.models`, the OAuth helpers in :mod:`c66tui.api.oauth`.

The public names below are imported from their submodule on first use, so
``import c66tui.api.secret`` (or the models) does not load httpx and the client. Code in
this package imports from the submodules themselves, which type checkers follow.
"""

from __future__ import annotations

from c66tui.lazy import lazy_exports

_HOMES = {
    "Cloud66Client": "client",
    **dict.fromkeys(
        (
            "ActionTimeoutError",
            "AuthenticationError",
            "BadRequestError",
            "Cloud66Error",
            "ConflictError",
            "MissingScopeError",
            "NetworkError",
            "NotFoundError",
            "OAuthError",
            "OutcomeUnknownError",
            "RateLimitedError",
            "ServerError",
            "UnexpectedResponseError",
        ),
        "errors",
    ),
    **dict.fromkeys(
        (
            "Account",
            "Action",
            "Deployment",
            "EnvVar",
            "Job",
            "RateLimit",
            "RedeployResult",
            "Server",
            "ServerGroup",
            "Setting",
            "Stack",
            "User",
        ),
        "models",
    ),
    "install_redaction": "redaction",
    "redact": "redaction",
    "Secret": "secret",
}
"""Each public name and the submodule that defines it."""


__getattr__, __dir__ = lazy_exports(__name__, _HOMES, globals())

__all__ = sorted(_HOMES)
