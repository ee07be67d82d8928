"""The one error hierarchy the service layer raises.

Nothing from httpx escapes the layer: every failure becomes one of these, carrying a plain
sentence for the user (``message``), the API's ``error`` word and ``error_description``
where the server sent them, and the HTTP status when there was one.
"""

from __future__ import annotations

from typing import Any, ClassVar


class Cloud66Error(Exception):
    """Base class: something went wrong talking to Cloud 66.

    A subclass that carries more names them in ``DETAILS``: each is a keyword argument
    of the constructor and an attribute (``None`` when not given).
    """

    DETAILS: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error: str | None = None,
        description: str | None = None,
        request_id: str | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message)
        if unknown := sorted(set(details) - set(self.DETAILS)):
            raise TypeError(f"{type(self).__name__} takes no {', '.join(unknown)}")
        self.message = message
        self.status = status
        self.error = error
        self.description = description
        self.request_id = request_id
        for name in self.DETAILS:
            setattr(self, name, details.get(name))

    def __str__(self) -> str:
        return self.message


class AuthenticationError(Cloud66Error):
    """401: the token is missing, unknown or revoked. The user must log in again."""


class MissingScopeError(Cloud66Error):
    """403: the token lacks the scope this call needs (``scope`` names it when known)."""

    DETAILS = ("scope",)
    scope: str | None


class NotFoundError(Cloud66Error):
    """404: unknown path or id."""


class BadRequestError(Cloud66Error):
    """400: a missing or invalid parameter, or a write the resource refuses (read-only)."""


class ConflictError(Cloud66Error):
    """409: the resource is in a conflicting state."""


class RateLimitedError(Cloud66Error):
    """429, or 503 ``throttled``: the hourly budget is spent.

    ``retry_after`` is the number of seconds the server asked us to wait, when it said.
    """

    DETAILS = ("retry_after",)
    retry_after: float | None


class ServerError(Cloud66Error):
    """5xx (other than throttling) after the retries a GET is allowed."""


class NetworkError(Cloud66Error):
    """The server could not be reached, or a read took longer than the deadline."""


class UnexpectedResponseError(Cloud66Error):
    """A body that is not the JSON envelope we expect (HTML login page, truncated JSON...)."""


class OutcomeUnknownError(Cloud66Error):
    """A write was sent but no answer came back (timeout after sending, reset).

    The request may or may not have been carried out. It is never resent automatically:
    the caller checks the resource (deployments list, action) and lets the user decide.
    """


class ServerErrorAfterSend(OutcomeUnknownError, ServerError):
    """A write was answered with a 5xx: the server (or a gateway in front of it) failed
    while handling it, so it may or may not have been carried out.

    It is an :class:`OutcomeUnknownError` (never resent; the caller reconciles) that still
    carries the HTTP ``status`` of a :class:`ServerError`.
    """


class OAuthError(Cloud66Error):
    """The token endpoint refused a code (RFC 6749 error in ``error``)."""


class ActionTimeoutError(Cloud66Error):
    """An action was still running when ``wait_for_action`` stopped waiting.

    ``action`` is the last state seen; the action itself carries on at Cloud 66.
    """

    DETAILS = ("action",)
    action: Any
