"""Retry policy, Retry-After parsing and rate-limit headers."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import httpx

from c66tui.api.errors import BadRequestError, RateLimitedError, ServerError
from c66tui.api.ratelimit import parse_retry_after, rate_limit_from_headers
from c66tui.api.transport.retry import (
    RetryPolicy,
    is_retryable_error,
    is_retryable_exception,
)


def test_full_jitter_backoff_bounds():
    policy = RetryPolicy(attempts=3, base=0.5, cap=8.0)
    rng = random.Random(1)
    for failures, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (5, 8.0), (10, 8.0)]:
        waits = [policy.backoff(failures, rng) for _ in range(200)]
        assert all(0.0 <= w <= ceiling for w in waits)
        assert max(waits) > ceiling * 0.8  # jitter spreads over the whole range


def test_retryable_classification():
    assert is_retryable_exception(httpx.ConnectError("x"))
    assert is_retryable_exception(httpx.ReadTimeout("x"))
    assert is_retryable_exception(httpx.RemoteProtocolError("x"))
    assert not is_retryable_exception(httpx.UnsupportedProtocol("x"))
    assert is_retryable_error(RateLimitedError("x", status=429))
    assert is_retryable_error(ServerError("x", status=502))
    assert not is_retryable_error(ServerError("x", status=501))
    assert not is_retryable_error(ServerError("x", status=503, error="not_implemented"))
    assert not is_retryable_error(BadRequestError("x", status=400))


def test_retry_after_forms():
    now = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=now) == 30
    # The response's Date header wins over the local clock.
    assert (
        parse_retry_after(
            "Wed, 21 Oct 2015 07:29:00 GMT",
            date_header="Wed, 21 Oct 2015 07:28:50 GMT",
            now=datetime(2000, 1, 1, tzinfo=UTC),
        )
        == 10
    )
    assert parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now=now) == 0
    assert parse_retry_after("-5") == 0
    assert parse_retry_after("1e12") == 7 * 24 * 3600
    for junk in (None, "", "soon", "nan"):
        assert parse_retry_after(junk) is None


def test_rate_limit_headers():
    assert rate_limit_from_headers(httpx.Headers({})) is None
    limit = rate_limit_from_headers(
        httpx.Headers({"X-RateLimit-Limit": "3600", "X-RateLimit-Remaining": "3597"})
    )
    assert (limit.limit, limit.remaining) == (3600, 3597)
    assert abs(limit.fraction_left - 3597 / 3600) < 1e-9
    newer = rate_limit_from_headers(httpx.Headers({"RateLimit-Remaining": "5"}))
    assert newer.limit is None and newer.remaining == 5
    assert rate_limit_from_headers(httpx.Headers({"X-RateLimit-Limit": "lots"})) is None
