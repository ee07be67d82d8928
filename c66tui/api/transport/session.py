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
import ipaddress
import json
import logging
import platform
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from ... import __version__
from ..errormap import error_from_response, looks_like_html
from ..errors import (
    Cloud66Error,
    NetworkError,
    OutcomeUnknownError,
    UnexpectedResponseError,
)
from ..models import RateLimit
from ..ratelimit import parse_retry_after, rate_limit_from_headers
from ..redaction import install_redaction, register_secret
from ..secret import Secret
from .request_ids import request_id_for
from .retry import NOT_SENT_EXCEPTIONS, READ_METHODS, RetryPolicy, is_retryable_error
from .retry import is_retryable_exception as _retryable_exc

log = logging.getLogger("c66tui.api")

_DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_BODY_BYTES = 50 * 1024 * 1024


def default_user_agent() -> str:
    """``c66tui/<version> (<os>; <arch>)``."""
    system = platform.system().lower() or "unknown"
    machine = platform.machine().lower() or "unknown"
    return f"c66tui/{__version__} ({system}; {machine})"


def origin_of(url: httpx.URL) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the default port filled in."""
    scheme = url.scheme.lower()
    return scheme, url.host.lower(), url.port or _DEFAULT_PORTS.get(scheme)


def normalize_base_url(base_url: str) -> httpx.URL:
    """Validate an API base URL (http or https, with a host) and drop a trailing slash."""
    text = str(base_url).strip()
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise ValueError(f"Not a valid API URL: {text!r}") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"The API URL must start with https:// (or http://): {text!r}")
    return url.copy_with(path=url.path.rstrip("/") or "/", query=None, fragment=None)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (no proxy is ever wanted there)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_http_client(
    *, base_url: httpx.URL | str | None = None, **kwargs: Any
) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` that never follows redirects.

    Proxy and CA settings come from the environment (``HTTPS_PROXY``, ``NO_PROXY``,
    ``SSL_CERT_FILE``), except for loopback addresses, which are never proxied. A SOCKS
    proxy without httpx's SOCKS extra becomes a :class:`NetworkError` with the fix.
    """
    host = httpx.URL(str(base_url)).host if base_url is not None else ""
    options: dict[str, Any] = {"follow_redirects": False, "trust_env": not is_loopback(host)}
    if base_url is not None:
        options["base_url"] = base_url
    options.update(kwargs)
    try:
        return httpx.AsyncClient(**options)
    except ImportError as exc:
        raise NetworkError(
            "A SOCKS proxy is configured (ALL_PROXY or HTTPS_PROXY), but SOCKS support is "
            "not installed. Install it with: pip install 'httpx[socks]'.",
        ) from exc


class ApiAuth(httpx.Auth):
    """Adds ``Authorization: Bearer`` (and ``X-Account``) only for the API origin.

    A URL on any other host (a ``commit_url``, a ``redeploy_hook``) never gets the token.
    """

    def __init__(
        self, token: Secret, origin: tuple[str, str, int | None], account_id: int | None = None
    ) -> None:
        self._token = token
        self._origin = origin
        self._account_id = account_id

    def auth_flow(self, request: httpx.Request):
        if origin_of(request.url) == self._origin:
            if self._token:
                request.headers["Authorization"] = f"Bearer {self._token.reveal()}"
            if self._account_id is not None:
                request.headers["X-Account"] = str(self._account_id)
        else:
            request.headers.pop("Authorization", None)
        yield request

    def __repr__(self) -> str:
        return f"ApiAuth(origin={self._origin!r})"


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


@dataclass(slots=True)
class _Answer:
    """One HTTP answer with its body fully read."""

    status: int
    headers: httpx.Headers
    content: bytes


@dataclass(slots=True)
class Reply:
    """A successful (2xx) answer: decoded JSON ``body`` (``None`` when empty)."""

    status: int
    body: Any
    headers: httpx.Headers = field(repr=False)
    request_id: str | None = None


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
            raise self._outcome_unknown(method, path, state, "no answer arrived in time") from None

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
                error = self._network_error(exc, state)
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
                return self._decode(response, state, allow_empty=False)
            error = self._http_error(response, method, path, state)
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
            raise self._network_error(exc, state, sent=False) from exc
        except httpx.HTTPError as exc:
            if state.traced and not state.sent:
                raise self._network_error(exc, state, sent=False) from exc
            raise self._outcome_unknown(method, path, state, _describe(exc)) from exc
        if 200 <= response.status < 300:
            return self._decode(response, state, allow_empty=True)
        raise self._http_error(response, method, path, state)

    async def _send(
        self, method: str, path: str, params: dict | None, json_body: Any, state: _CallState
    ) -> _Answer:
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
        answer = _Answer(response.status_code, response.headers, b"".join(chunks))
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

    def _decode(self, response: _Answer, state: _CallState, *, allow_empty: bool) -> Reply:
        content = response.content
        status = response.status
        if not content.strip():
            if allow_empty:
                return Reply(status, None, response.headers, state.request_id)
            raise UnexpectedResponseError(
                f"Cloud 66 sent an empty answer (HTTP {status}) where data was expected.",
                status=status,
                request_id=state.request_id,
            )
        if looks_like_html(content, response.headers.get("content-type", "")):
            raise UnexpectedResponseError(
                f"Cloud 66 answered with a web page instead of data (HTTP {status}). A proxy "
                "or login page may be in the way; check the API URL and your network.",
                status=status,
                request_id=state.request_id,
            )
        try:
            body = json.loads(content)
        except (ValueError, RecursionError):
            raise UnexpectedResponseError(
                f"Cloud 66 sent an answer that is not valid JSON (HTTP {status}); it may "
                "have been cut off. Try again.",
                status=status,
                request_id=state.request_id,
            ) from None
        return Reply(status, body, response.headers, state.request_id)

    def _http_error(
        self, response: _Answer, method: str, path: str, state: _CallState
    ) -> Cloud66Error:
        status = response.status
        if 300 <= status < 400:
            location = response.headers.get("location", "")
            where = ""
            if location:
                try:
                    host = httpx.URL(location).host
                except (httpx.InvalidURL, TypeError, ValueError):
                    host = ""
                where = f" to {host}" if host else ""
            return UnexpectedResponseError(
                f"Cloud 66 answered with an unexpected redirect (HTTP {status}{where}). It "
                "was not followed, so your token was not sent anywhere else. Check the API "
                "URL.",
                status=status,
                request_id=state.request_id,
            )
        return error_from_response(
            status=status,
            content=response.content,
            headers=response.headers,
            method=method,
            path=path,
            request_id=state.request_id,
        )

    def _network_error(
        self, exc: BaseException, state: _CallState, sent: bool | None = None
    ) -> NetworkError:
        not_sent = " The request was not sent." if sent is False else ""
        if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
            text = f"Could not connect to Cloud 66 at {self.base_url.host} ({_describe(exc)})."
        elif isinstance(exc, httpx.PoolTimeout):
            text = "Too many requests to Cloud 66 are waiting; none was free in time."
        elif isinstance(exc, httpx.TimeoutException):
            text = f"Cloud 66 did not answer in time ({_describe(exc)})."
        elif isinstance(exc, httpx.ProxyError):
            text = f"The proxy refused the connection to Cloud 66 ({_describe(exc)})."
        elif isinstance(exc, httpx.UnsupportedProtocol):
            text = "The API URL uses a scheme that is not supported."
        elif isinstance(exc, httpx.DecodingError):
            text = f"Cloud 66's answer could not be decoded ({_describe(exc)})."
        else:
            text = f"The connection to Cloud 66 failed ({_describe(exc)})."
        return NetworkError(
            text + not_sent + " Check your connection and try again.", request_id=state.request_id
        )

    def _outcome_unknown(
        self, method: str, path: str, state: _CallState, reason: str
    ) -> OutcomeUnknownError:
        return OutcomeUnknownError(
            f"The {method} request was sent but {reason}, so it is not known whether Cloud "
            "66 carried it out. Check the stack (deployments, actions) before trying again.",
            request_id=state.request_id,
        )


def _describe(exc: BaseException) -> str:
    """A short reason for a transport failure, without URLs or headers."""
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        return (
            "the server's TLS certificate could not be verified; if a corporate proxy "
            "inspects TLS, point SSL_CERT_FILE at its CA bundle"
        )
    if "SSL" in text or "TLS" in text:
        return "the secure (TLS) connection failed"
    names = {
        httpx.ConnectError: "connection refused or host unreachable",
        httpx.ConnectTimeout: "connection timed out",
        httpx.ReadTimeout: "read timed out",
        httpx.WriteTimeout: "write timed out",
        httpx.PoolTimeout: "no free connection",
        httpx.ReadError: "connection reset while reading",
        httpx.WriteError: "connection reset while sending",
        httpx.RemoteProtocolError: "the server closed the connection",
    }
    for kind, text in names.items():
        if isinstance(exc, kind):
            return text
    return type(exc).__name__
