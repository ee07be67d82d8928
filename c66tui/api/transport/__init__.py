"""HTTP plumbing of the service layer: the request session and the retry policy."""

from .retry import RetryPolicy
from .session import ApiSession, Reply

__all__ = ["ApiSession", "Reply", "RetryPolicy"]
