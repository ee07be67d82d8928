"""Turn an HTTP error answer into one of the service layer's errors, with a plain message.

Cloud 66 error bodies look like ``{"error": "not_found", "error_description": "Stack not
found", "details": "..."}``. ``details`` is preferred for the message (as the official
clients do), then ``error_description``. A 403 does not say which scope was missing, so
it is inferred from the method and path (:func:`required_scope`).

A 5xx answer to a write (POST, PUT, PATCH, DELETE) is a :class:`ServerErrorAfterSend`:
the server failed while handling it, so whether it was carried out is unknown, and the
caller must check rather than send it again. Only a 501 (not offered) and throttling
(refused before anything ran) are certain refusals.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from c66tui.redaction import redact

from .errors import (
    AuthenticationError,
    BadRequestError,
    Cloud66Error,
    ConflictError,
    MissingScopeError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    ServerErrorAfterSend,
    UnexpectedResponseError,
)
from .ratelimit import parse_retry_after

_SCOPE_TABLE: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (method, re.compile(pattern), scope)
    for method, pattern, scope in (
        ("*", r"/environments(/|$)", "admin"),
        ("PUT", r"/settings/[^/]+$", "admin"),
        ("POST", r"/setting$", "admin"),
        ("POST", r"/stacks/[^/]+/deployments$", "redeploy"),
        ("DELETE", r"/stacks/[^/]+/deployments/[^/]+$", "redeploy"),
        ("POST", r"/stacks/[^/]+/actions$", "redeploy"),
        ("POST", r"/stacks/[^/]+/(redeploy|restart|maintenance_mode)$", "redeploy"),
        # Documented as public (the 'jobs' scope exists but no endpoint requires it).
        ("POST", r"/jobs/[^/]+/(run_now|pause|unpause|resume)$", "public"),
        ("*", r"^/(users|accounts)(/|$)", "users"),
        ("GET", r".*", "public"),
    )
)

_SAFE_METHODS = frozenset({"GET", "HEAD"})
"""Methods that change nothing on the server (a 5xx to anything else may have done so)."""

_COLLECTIONS = {
    "stacks": "stack",
    "deployments": "deployment",
    "servers": "server",
    "server_groups": "server group",
    "settings": "setting",
    "environments": "environment variable",
    "jobs": "job",
    "actions": "action",
    "users": "user",
    "accounts": "account",
}

_MAX_DETAIL = 300


def _api_path(path: str) -> str:
    """The path below the ``/api/N`` prefix, without ``.json`` or a query string."""
    path = path.split("?", 1)[0]
    path = re.sub(r"^.*?/api/\d+(?=/)", "", path)
    if path.endswith(".json"):
        path = path[: -len(".json")]
    return "/" + path.strip("/")


def required_scope(method: str, path: str) -> str | None:
    """The OAuth scope Cloud 66 requires for ``method path`` (``None`` if unknown)."""
    method = method.upper()
    api_path = _api_path(path)
    for table_method, pattern, scope in _SCOPE_TABLE:
        if table_method in ("*", method) and pattern.search(api_path):
            return scope
    return None


def resource_name(path: str) -> str:
    """A human name for what ``path`` addresses: ``/stacks/x/jobs/y`` gives ``job``."""
    parts = [p for p in _api_path(path).split("/") if p]
    for index in range(len(parts) - 1, -1, -1):
        name = _COLLECTIONS.get(parts[index])
        if name and (index == len(parts) - 1 or index == len(parts) - 2):
            return name
        if name:
            break
    return "item"


def parse_error_body(content: bytes) -> dict[str, Any]:
    """The error object of a body, or ``{}`` when it is not a JSON object."""
    if not content or len(content) > 1_000_000:
        return {}
    try:
        data = json.loads(content)
    except (ValueError, RecursionError):
        return {}
    if isinstance(data, dict) and isinstance(data.get("response"), dict) and "error" not in data:
        data = data["response"]
    return data if isinstance(data, dict) else {}


def looks_like_html(content: bytes, content_type: str = "") -> bool:
    """True when a body is a web page (a proxy or login page) rather than data."""
    if "html" in content_type.lower():
        return True
    head = content[:512].lstrip().lower()
    return head.startswith(b"<")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        value = json.dumps(value) if isinstance(value, (dict, list)) else str(value)
    value = redact(" ".join(value.split()))  # a server may echo the request's own token
    if not value:
        return None
    if len(value) > _MAX_DETAIL:
        value = value[: _MAX_DETAIL - 1] + "…"
    return value


def _join(description: str | None, details: str | None) -> str | None:
    """``description; details`` without repeating one inside the other."""
    if not description or not details:
        return description or details
    if details.lower() in description.lower():
        return description
    if description.lower() in details.lower():
        return details
    combined = f"{description.rstrip('.')}; {details}"
    return combined if len(combined) <= _MAX_DETAIL else combined[: _MAX_DETAIL - 1] + "…"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def is_throttled(status: int, body: Mapping[str, Any], headers: Mapping[str, str]) -> bool:
    """429, or a 503 whose body says ``throttled`` or whose headers say none remain."""
    if status == 429:
        return True
    if status != 503:
        return False
    if str(body.get("error", "")).lower() == "throttled":
        return True
    remaining = headers.get("x-ratelimit-remaining")
    return remaining is not None and remaining.strip() == "0"


def error_from_response(
    *,
    status: int,
    content: bytes,
    headers: Mapping[str, str],
    method: str,
    path: str,
    request_id: str | None = None,
) -> Cloud66Error:
    """Map an error answer to the hierarchy with a plain-English message."""
    body = parse_error_body(content)
    error = _text(body.get("error"))
    description = _text(body.get("error_description") or body.get("message"))
    details = _text(body.get("details"))
    detail = _join(description, details)
    common = {
        "status": status,
        "error": error,
        "description": description,
        "request_id": request_id,
    }
    html = (
        not body
        and bool(content.strip())
        and looks_like_html(content, headers.get("content-type", ""))
    )
    thing = resource_name(path)

    if is_throttled(status, body, headers):
        retry_after = parse_retry_after(headers.get("retry-after"), date_header=headers.get("date"))
        if retry_after is not None:
            wait = f"Try again in {retry_after:.0f} seconds."
        else:
            wait = "Try again later."
        return RateLimitedError(
            f"Cloud 66's request limit for this hour is used up. {wait}",
            retry_after=retry_after,
            **common,
        )
    if status == 401:
        return AuthenticationError(
            "Cloud 66 did not accept your token (it may have been revoked or mistyped). "
            "Log in again.",
            **common,
        )
    if status == 403:
        challenge = headers.get("www-authenticate", "")
        match = re.search(r'scope="([^"]+)"', challenge)
        scope = match.group(1) if match else required_scope(method, path)
        if scope and scope != "public":
            return MissingScopeError(
                f"Your token does not have the '{scope}' scope needed for this. "
                "Log in again and grant it.",
                scope=scope,
                **common,
            )
        because = f" ({detail})" if detail else ""
        return MissingScopeError(
            f"Cloud 66 does not allow you to do this{because}. Your role on this account or "
            "stack may not permit it; ask an account administrator.",
            scope=None,
            **common,
        )
    if status == 404:
        because = f" ({detail})" if detail else ""
        return NotFoundError(
            f"Cloud 66 could not find that {thing}{because}. It may have been removed, or "
            "your token cannot see it.",
            **common,
        )
    if status in (400, 422):
        reason = detail or "a value is missing or not valid"
        return BadRequestError(_sentence(f"Cloud 66 refused the request: {reason}"), **common)
    if status == 402:
        return Cloud66Error(
            "The Cloud 66 account's trial has expired; this needs a paid plan.", **common
        )
    if status == 409:
        reason = f": {detail}" if detail else ""
        return ConflictError(
            _sentence(
                f"Cloud 66 refused because the {thing} is busy or in a conflicting state{reason}"
            ),
            **common,
        )
    if status == 408 or 500 <= status <= 599:
        if status in (501,) or error == "not_implemented":
            return ServerError(
                f"This Cloud 66 API version does not offer that (HTTP {status}).", **common
            )
        kind = "an error page" if html else "an error"
        reason = f" ({detail})" if detail else ""
        ref = f" Request id: {request_id}." if request_id else ""
        if status != 408 and method.upper() not in _SAFE_METHODS:
            # The server failed while handling a write: it may have been carried out.
            return ServerErrorAfterSend(
                f"Cloud 66 answered the {method.upper()} request with {kind} (HTTP {status})"
                f"{reason}, so it is not known whether it was carried out. It was not sent "
                f"again; check the stack before trying again.{ref}",
                **common,
            )
        return ServerError(
            f"Cloud 66 answered with {kind} (HTTP {status}){reason}. Try again in a moment.{ref}",
            **common,
        )
    what = "a web page" if html else "an unexpected answer"
    reason = f" ({detail})" if detail else ""
    return UnexpectedResponseError(f"Cloud 66 gave {what} (HTTP {status}){reason}.", **common)
