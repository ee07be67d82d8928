"""The async Cloud 66 API service layer: no Textual here.

``Cloud66Client`` is the entry point; errors live in :mod:`c66tui.api.errors`, models in
:mod:`c66tui.api.models`, the OAuth helpers in :mod:`c66tui.api.oauth`.

The public names below are imported from their submodule on first use, so
``import c66tui.api.secret`` (or the models) does not load httpx and the client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers and editors; at run time see __getattr__ below
    from .client import Cloud66Client
    from .errors import (
        ActionTimeoutError,
        AuthenticationError,
        BadRequestError,
        Cloud66Error,
        ConflictError,
        MissingScopeError,
        NetworkError,
        NotFoundError,
        OAuthError,
        OutcomeUnknownError,
        RateLimitedError,
        ServerError,
        UnexpectedResponseError,
    )
    from .models import (
        Account,
        Action,
        Deployment,
        EnvVar,
        Job,
        RateLimit,
        RedeployResult,
        Server,
        ServerGroup,
        Setting,
        Stack,
        User,
    )
    from .redaction import install_redaction, redact
    from .secret import Secret

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


def __getattr__(name: str) -> Any:
    """Import a public name's submodule on first use (``from c66tui.api import X``).

    Importing the package itself stays cheap: the app's first frame needs the models and
    :class:`Secret`, not httpx, which only :mod:`.client` and :mod:`.oauth` load.
    """
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = [
    "Account",
    "Action",
    "ActionTimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "Cloud66Client",
    "Cloud66Error",
    "ConflictError",
    "Deployment",
    "EnvVar",
    "Job",
    "MissingScopeError",
    "NetworkError",
    "NotFoundError",
    "OAuthError",
    "OutcomeUnknownError",
    "RateLimit",
    "RateLimitedError",
    "RedeployResult",
    "Secret",
    "Server",
    "ServerError",
    "ServerGroup",
    "Setting",
    "Stack",
    "UnexpectedResponseError",
    "User",
    "install_redaction",
    "redact",
]
