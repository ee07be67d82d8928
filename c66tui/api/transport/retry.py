"""When a GET may be tried again, and how long to wait first.

Only reads are ever retried. Retryable: connection failures, read timeouts and resets
before a complete answer, 5xx (except "not implemented"), 429 and 503 ``throttled``.
Waits use exponential backoff with full jitter (a random time between zero and
``min(cap, base * 2**n)``), or the server's ``Retry-After`` when it gave one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import httpx

from ..errors import Cloud66Error, RateLimitedError, ServerError
from .request_ids import READ_METHODS as READ_METHODS

_RETRYABLE_EXCEPTIONS: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ReadTimeout,
    httpx.PoolTimeout,
    httpx.ReadError,
    httpx.RemoteProtocolError,
)

NOT_SENT_EXCEPTIONS: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
)
"""Failures that happen before a single byte of the request was written."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many attempts a read gets and how the waits between them grow."""

    attempts: int = 3
    base: float = 0.5
    cap: float = 8.0

    def backoff(self, failures: int, rng: random.Random | None = None) -> float:
        """Full-jitter wait after ``failures`` failed attempts (1 for the first)."""
        ceiling = min(self.cap, self.base * (2 ** max(0, failures - 1)))
        return (rng or random).uniform(0.0, max(0.0, ceiling))


def is_retryable_exception(exc: BaseException) -> bool:
    """True for transport failures a GET may safely be retried after."""
    return isinstance(exc, _RETRYABLE_EXCEPTIONS)


def is_retryable_error(error: Cloud66Error) -> bool:
    """True for mapped HTTP errors worth another attempt (throttling, 5xx, 408)."""
    if isinstance(error, RateLimitedError):
        return True
    if isinstance(error, ServerError):
        return error.status != 501 and error.error != "not_implemented"
    return False
