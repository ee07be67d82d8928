"""The async Cloud 66 API service layer: no Textual here.

``Cloud66Client`` is the entry point; errors live in :mod:`c66tui.api.errors`, models in
:mod:`c66tui.api.models`, the OAuth helpers in :mod:`c66tui.api.oauth`.
"""

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
