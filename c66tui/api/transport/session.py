"""One HTTP session to the Cloud 66 API: headers, token, deadline, retries, decoding.

:class:`ApiSession` owns a single ``httpx.AsyncClient`` (no redirects followed, explicit
timeouts, connection pool sized to the concurrency limit). Every call:

* gets a fresh ``Request-Id`` (a write: the one its caller chose, see
  :mod:`.request_ids`); the bearer token (and ``X-Account``) is added only when the
  request goes to the configured API origin;
* runs under one overall deadline (``asyncio.timeout``), which also stops a server that
  trickles its body slower than the per-read timeout would notice;
* for GET: is retried on connection failures, timeouts/resets, 5xx, 429 and 503
  ``throttled``, with full-jitter backoff or the server's ``Retry-After``;
* for POST/PUT/DELETE: is sent exactly once. A failure before the request was written is
  a :class:`NetworkError`; anything after that is an :class:`OutcomeUnknownError`;
* returns the decoded JSON body, or raises one of :mod:`c66tui.api.errors`: no httpx
  exception ever leaves this module.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict

import httpx

from c66tui.redaction import install_redaction, register_secret
from c66tui.secret import Secret

from ..errors import NetworkError
from ..models import RateLimit
from ..ratelimit import parse_retry_after, rate_limit_from_headers
from .answers import (
    Answer,
    Reply,
    decode,
    describe,
    http_error,
    network_error,
    outcome_unknown,
)
from .http import ApiAuth, default_user_agent, make_http_client, normalize_base_url, origin_of
from .request_ids import request_id_for
from .retry import NOT_SENT_EXCEPTIONS, READ_METHODS, RetryPolicy, is_retryable_error
from .retry import is_retryable_exception as _retryable_exc

log = logging.getLogger("c66tui.api")

MAX_BODY_BYTES = 50 * 1024 * 1024


class SessionOptions(TypedDict, total=False):
    """The tuning of an :class:`ApiSession` (every key optional; see its defaults)."""

    transport: httpx.AsyncBaseTransport | None
    timeout: float
    deadline: float
    max_concurrency: int
    retries: int
    user_agent: str | None
    account_id: int | None
    backoff_base: float
    backoff_cap: float
    on_rate_limit: Callable[[RateLimit], None] | None
    on_warning: Callable[[str], None] | None


@dataclass(slots=True)
class _CallState:
    """What we know about the request on the wire, from httpcore's trace events."""

    request_id: str | None = None
    traced: bool = False
    sent: bool = False

    async def trace(self, name: str, info: dict) -> None:
        self.traced = True
        if "send_request_headers" in name or "send_request_body" in name:
            self.sent = True


class ApiSession:
    """The request engine behind :class:`c66tui.api.Cloud66Client`."""

    def __init__(
        self,
        base_url: str,
        token: Secret | str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        deadline: float = 30.0,
        max_concurrency: int = 6,
        retries: int = 3,
        user_agent: str | None = None,
        account_id: int | None = None,
        backoff_base: float = 0.5,
        backoff_cap: float = 8.0,
        on_rate_limit: Callable[[RateLimit], None] | None = None,
        on_warning: Callable[[str], None] | None = None,
    ) -> None:
        install_redaction()
        self.base_url = normalize_base_url(base_url)
        self._token = token if isinstance(token, Secret) else Secret(token)
        register_secret(self._token.reveal())
        self.timeout = float(timeout)
        self.deadline = float(deadline)
        self.max_concurrency = max(1, int(max_concurrency))
        self.policy = RetryPolicy(attempts=max(1, int(retries)), base=backoff_base, cap=backoff_cap)
        self.account_id = account_id
        self.on_rate_limit = on_rate_limit
        self.on_warning = on_warning
        self.rate_limit = RateLimit()
        self.last_warning: str | None = None
        self.request_count = 0
        self._client = make_http_client(
            base_url=self.base_url,
            auth=ApiAuth(self._token, origin_of(self.base_url), account_id),
            headers={
                "Accept": "application/json",
                "User-Agent": user_agent or default_user_agent(),
            },
            timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 5.0)),
            limits=httpx.Limits(
                max_connections=self.max_concurrency,
                max_keepalive_connections=self.max_concurrency,
            ),
            transport=transport,
        )

    # -- lifecycle -------------------------------------------------------------------

    async def aclose(self) -> None:
        await self._client.aclose()

    @property
    def closed(self) -> bool:
        return self._client.is_closed

    # -- one call --------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
    ) -> Reply:
        """Send one API call (with retries for reads) under the overall deadline."""
        method = method.upper()
        state = _CallState()
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            async with asyncio.timeout(self.deadline):
                if method in READ_METHODS:
                    return await self._read(method, path, params, state, started)
                return await self._write(method, path, params, json_body, state)
        except TimeoutError:
            seconds = f"{self.deadline:g}"
            if method in READ_METHODS:
                raise NetworkError(
                    f"Cloud 66 did not answer within {seconds} seconds. Check your "
                    "connection and try again.",
                    request_id=state.request_id,
                ) from None
            if state.traced and not state.sent:
                raise NetworkError(
                    f"Could not reach Cloud 66 within {seconds} seconds; the request was not sent.",
                    request_id=state.request_id,
                ) from None
            raise outcome_unknown(method, state.request_id, "no answer arrived in time") from None

    async def _read(
        self, method: str, path: str, params: dict | None, state: _CallState, started: float
    ) -> Reply:
        loop = asyncio.get_running_loop()
        attempts = self.policy.attempts
        for attempt in range(1, attempts + 1):
            last_try = attempt == attempts
            try:
                response = await self._send(method, path, params, None, state)
            except httpx.HTTPError as exc:
                error = network_error(exc, self.base_url.host, state.request_id)
                if last_try or not _retryable_exc(exc):
                    raise error from exc
                delay = self.policy.backoff(attempt)
                if delay > self.deadline - (loop.time() - started):
                    raise error from exc
                log.debug(
                    "%s %s failed (%s); retrying in %.2fs", method, path, type(exc).__name__, delay
                )
                await asyncio.sleep(delay)
                continue
            if 200 <= response.status < 300:
                return decode(response, state.request_id, allow_empty=False)
            error = http_error(response, method, path, state.request_id)
            if last_try or not is_retryable_error(error):
                raise error
            remaining = self.deadline - (loop.time() - started)
            retry_after = parse_retry_after(
                response.headers.get("retry-after"), date_header=response.headers.get("date")
            )
            if retry_after is not None:
                if retry_after > remaining:
                    # Do not sleep past the deadline: say how long to wait instead.
                    raise error
                delay = retry_after
            else:
                delay = self.policy.backoff(attempt)
                if delay > remaining:
                    raise error
            log.debug("%s %s answered %s; retrying in %.2fs", method, path, response.status, delay)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _write(
        self, method: str, path: str, params: dict | None, json_body: Any, state: _CallState
    ) -> Reply:
        try:
            response = await self._send(method, path, params, json_body, state)
        except NOT_SENT_EXCEPTIONS as exc:
            raise network_error(exc, self.base_url.host, state.request_id, sent=False) from exc
        except httpx.HTTPError as exc:
            if state.traced and not state.sent:
                raise network_error(exc, self.base_url.host, state.request_id, sent=False) from exc
            raise outcome_unknown(method, state.request_id, describe(exc)) from exc
        if 200 <= response.status < 300:
            return decode(response, state.request_id, allow_empty=True)
        raise http_error(response, method, path, state.request_id)

    async def _send(
        self, method: str, path: str, params: dict | None, json_body: Any, state: _CallState
    ) -> Answer:
        """Send one HTTP request and read its whole (decoded, size-bounded) body."""
        request_id = request_id_for(method)
        state.request_id = request_id
        request = self._client.build_request(
            method,
            path,
            params=params,
            json=json_body,
            headers={"Request-Id": request_id},
            extensions={"trace": state.trace},
        )
        self.request_count += 1
        response = await self._client.send(request, stream=True)
        try:
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise httpx.DecodingError("response body too large", request=request)
                chunks.append(chunk)
        finally:
            await response.aclose()
        answer = Answer(response.status_code, response.headers, b"".join(chunks))
        self._observe(answer.headers)
        log.debug(
            "%s %s -> %s (request id %s)",
            method,
            request.url.raw_path.decode("ascii", "replace"),
            answer.status,
            request_id,
        )
        return answer

    # -- answers ---------------------------------------------------------------------

    def _observe(self, headers: httpx.Headers) -> None:
        """Track rate-limit headers and Cloud 66 warnings."""
        limit = rate_limit_from_headers(headers)
        if limit is not None:
            self.rate_limit = limit
            if self.on_rate_limit is not None:
                try:
                    self.on_rate_limit(limit)
                except Exception:  # a listener bug must not break the call
                    log.exception("rate-limit listener failed")
        warning = headers.get("x-cloud66-warning")
        if warning:
            self.last_warning = warning
            if self.on_warning is not None:
                try:
                    self.on_warning(warning)
                except Exception:
                    log.exception("warning listener failed")
