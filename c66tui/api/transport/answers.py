"""What an API answer means: a decoded body, or the error that says what went wrong.

Every function here turns one answer (or one transport failure) into a :class:`Reply` or
one of :mod:`c66tui.api.errors`, in plain words, without URLs, headers or secrets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..errormap import error_from_response, looks_like_html
from ..errors import Cloud66Error, NetworkError, OutcomeUnknownError, UnexpectedResponseError


@dataclass(slots=True)
class Answer:
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


def decode(response: Answer, request_id: str | None, *, allow_empty: bool) -> Reply:
    content = response.content
    status = response.status
    if not content.strip():
        if allow_empty:
            return Reply(status, None, response.headers, request_id)
        raise UnexpectedResponseError(
            f"Cloud 66 sent an empty answer (HTTP {status}) where data was expected.",
            status=status,
            request_id=request_id,
        )
    if looks_like_html(content, response.headers.get("content-type", "")):
        raise UnexpectedResponseError(
            f"Cloud 66 answered with a web page instead of data (HTTP {status}). A proxy "
            "or login page may be in the way; check the API URL and your network.",
            status=status,
            request_id=request_id,
        )
    try:
        body = json.loads(content)
    except (ValueError, RecursionError):
        raise UnexpectedResponseError(
            f"Cloud 66 sent an answer that is not valid JSON (HTTP {status}); it may "
            "have been cut off. Try again.",
            status=status,
            request_id=request_id,
        ) from None
    return Reply(status, body, response.headers, request_id)


def http_error(response: Answer, method: str, path: str, request_id: str | None) -> Cloud66Error:
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
            request_id=request_id,
        )
    return error_from_response(
        status=status,
        content=response.content,
        headers=response.headers,
        method=method,
        path=path,
        request_id=request_id,
    )


def network_error(
    exc: BaseException, host: str, request_id: str | None, sent: bool | None = None
) -> NetworkError:
    not_sent = " The request was not sent." if sent is False else ""
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
        text = f"Could not connect to Cloud 66 at {host} ({describe(exc)})."
    elif isinstance(exc, httpx.PoolTimeout):
        text = "Too many requests to Cloud 66 are waiting; none was free in time."
    elif isinstance(exc, httpx.TimeoutException):
        text = f"Cloud 66 did not answer in time ({describe(exc)})."
    elif isinstance(exc, httpx.ProxyError):
        text = f"The proxy refused the connection to Cloud 66 ({describe(exc)})."
    elif isinstance(exc, httpx.UnsupportedProtocol):
        text = "The API URL uses a scheme that is not supported."
    elif isinstance(exc, httpx.DecodingError):
        text = f"Cloud 66's answer could not be decoded ({describe(exc)})."
    else:
        text = f"The connection to Cloud 66 failed ({describe(exc)})."
    return NetworkError(
        text + not_sent + " Check your connection and try again.", request_id=request_id
    )


def outcome_unknown(method: str, request_id: str | None, reason: str) -> OutcomeUnknownError:
    return OutcomeUnknownError(
        f"The {method} request was sent but {reason}, so it is not known whether Cloud "
        "66 carried it out. Check the stack (deployments, actions) before trying again.",
        request_id=request_id,
    )


def describe(exc: BaseException) -> str:
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
