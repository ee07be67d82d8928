"""The ASGI application: one catch-all Starlette route that dispatches to the API (the
legacy v2 surface under ``/api/2``, the v3 surface under ``/api/3``, paths with or without
``.json``), the OAuth pages and the control endpoints, plus an outer layer for latency,
faults and the request log.

Order of checks on an API request: token (401) -> hourly budget (503 ``throttled``) ->
route (404/405) -> scope (403) -> body (400) -> handler. Every answer is JSON except the
OAuth pages; unexpected exceptions become a JSON 500, never an HTML traceback.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from c66tui.sandbox import (  # noqa: F401 - importing a route module registers its routes
    routes_access,
    routes_deploy,
    routes_env,
    routes_jobs,
    routes_legacy,
    routes_minimal,
    routes_ping,
    routes_settings,
    routes_stacks,
)
from c66tui.sandbox.config import SandboxConfig
from c66tui.sandbox.control import CONTROL
from c66tui.sandbox.envelope import ApiError, error_response, json_response
from c66tui.sandbox.faults import apply_fault
from c66tui.sandbox.oauth import OAUTH
from c66tui.sandbox.persist import attach
from c66tui.sandbox.routing import API, LEGACY, OPEN_V3, Ctx, Router, parse_body
from c66tui.sandbox.state import Sandbox

__all__ = ["create_app", "SandboxApp"]
routes_access.install()  # after every route module above has registered its routes

log = logging.getLogger("c66tui.sandbox")
API_PREFIX = re.compile(r"^/api/(2|3)(/.*)?$")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _normalize(path: str) -> str:
    if path.endswith(".json"):
        path = path[: -len(".json")]
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return path or "/"


def bearer_token(request: Request) -> str | None:
    """The token from ``Authorization: Bearer`` (any case), else ``?access_token=``."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    query = request.query_params.get("access_token")
    return query.strip() if query and query.strip() else None


async def _body(request: Request) -> dict[str, Any]:
    if request.method not in WRITE_METHODS:
        return {}
    raw = await request.body()
    params = parse_body(raw, request.headers.get("content-type", ""))
    entry = request.scope.get("c66.log")
    if entry is not None and params:
        entry["params"] = params
    return params


def _ctx(
    request: Request, sandbox: Sandbox, token, path: str, params, body, generation: str = "3"
) -> Ctx:
    return Ctx(
        generation=generation,
        sandbox=sandbox,
        token=token,
        method=request.method,
        path=path,
        params=params,
        query=dict(request.query_params),
        body=body,
        headers=request.headers,
        api_version=request.scope.get("c66.api_version", ""),
    )


def _render(result: Any, headers: dict[str, str] | None = None) -> Response:
    if isinstance(result, Response):
        if headers:
            result.headers.update(headers)
        return result
    return json_response(result, 200, headers)


async def api_request(request: Request, path: str, generation: str = "3") -> Response:
    """One Cloud 66 API call (see the module docstring for the order of checks);
    ``generation`` ``"2"`` serves the legacy surface only, ``"3"`` the v3 routes."""
    sandbox: Sandbox = request.app.state.sandbox
    value = bearer_token(request)
    limit = sandbox.config.rate_limit
    request_id = request.headers.get("request-id") or request.headers.get("x-request-id")
    rate = {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(limit),
        "X-Request-Id": (request_id or uuid.uuid4().hex)[:200],
    }
    try:
        with sandbox.lock:
            sandbox.settle()
            token = sandbox.token(value)
            if token is None:
                challenge = 'Bearer realm="Cloud 66"'
                if value:
                    challenge += ', error="invalid_token"'
                raise ApiError(
                    401,
                    "Invalid or missing access token" if value else "No access token supplied",
                    headers={"WWW-Authenticate": challenge},
                )
            limit, remaining, retry_after = sandbox.consume_rate(token)
        rate["X-RateLimit-Remaining"] = str(remaining)
        if retry_after is not None:
            raise ApiError(
                503,
                "Rate limit exceeded",
                error="throttled",
                details=f"At most {limit} requests per hour; try again in {retry_after} s",
                headers={"Retry-After": str(retry_after)},
            )
        route, params = (API if generation == "3" else LEGACY).match(request.method, path)
        if not token.has(route.scope):
            raise ApiError(
                403,
                f"The access token lacks the '{route.scope}' scope",
                details=f"This call needs the {route.scope} scope",
                headers={
                    "WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{route.scope}"'
                },
            )
        body = await _body(request)
        ctx = _ctx(request, sandbox, token, path, params, body, generation)
        with sandbox.lock:
            sandbox.settle()
            result = route.handler(ctx)
            if sandbox.write_log is not None and route.keeps(ctx):
                query = {k: v for k, v in ctx.query.items() if k != "access_token"}
                sandbox.write_log.record_write(
                    request.method, path, query, body, ctx.user, generation
                )
        return _render(result, rate)
    except ApiError as err:
        response = error_response(err)
        response.headers.update(rate)
        return response


async def plain_request(request: Request, router: Router, path: str) -> Response:
    """An OAuth or control request (no token, no budget)."""
    sandbox: Sandbox = request.app.state.sandbox
    try:
        route, params = router.match(request.method, path)
        body = await _body(request)
        ctx = _ctx(request, sandbox, None, path, params, body)
        with sandbox.lock:
            sandbox.settle()
            return _render(route.handler(ctx))
    except ApiError as err:
        if path == "/oauth/token" and err.status == 400:
            # A body the token endpoint cannot read is an RFC 6749 invalid_request.
            return json_response(
                {"error": "invalid_request", "error_description": err.description},
                400,
                {"Cache-Control": "no-store"},
            )
        return error_response(err)


async def endpoint(request: Request) -> Response:
    """The catch-all route: pick the area by path prefix."""
    path = request.scope["path"]
    try:
        if path.startswith("/_sandbox/"):
            return await plain_request(request, CONTROL, path.rstrip("/"))
        if path.startswith("/oauth/"):
            return await plain_request(request, OAUTH, _normalize(path))
        match = API_PREFIX.match(path)
        if match:
            sub = _normalize(match.group(2) or "/")
            request.scope["c66.api_version"] = match.group(1)
            if match.group(1) == "3" and routes_ping.is_open(sub):
                return await plain_request(request, OPEN_V3, sub)
            return await api_request(request, sub, match.group(1))
        return error_response(ApiError(404, "Not found", details=f"No such resource: {path}"))
    except Exception:  # noqa: BLE001 - every failure must still be a JSON answer
        log.exception("sandbox handler failed for %s %s", request.method, path)
        return json_response(
            {"error": "internal_error", "error_description": "Internal server error"}, 500
        )


async def _http_exception(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    headers = getattr(exc, "headers", None)
    err = ApiError(status, str(getattr(exc, "detail", "")) or "Request failed", headers=headers)
    return error_response(err)


async def _server_error(request: Request, exc: Exception) -> Response:
    return json_response(
        {"error": "internal_error", "error_description": "Internal server error"}, 500
    )


class SandboxApp(Starlette):
    """Starlette plus the outer layer: latency, injected faults and the request log."""

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_sandbox/"):
            await super().__call__(scope, receive, send)
            return
        sandbox: Sandbox = self.state.sandbox
        latency = sandbox.config.latency_ms
        if latency and latency > 0:
            await asyncio.sleep(latency / 1000)
        entry = sandbox.log(
            {
                "method": scope["method"],
                "path": scope["path"],
                "query": scope.get("query_string", b"").decode("latin-1"),
                "status": None,
                "done": False,
            }
        )
        scope["c66.log"] = entry
        try:
            await self._serve(entry, scope, receive, send)
        finally:
            entry["done"] = True  # answered, dropped or abandoned: no longer in flight

    async def _serve(self, entry, scope, receive, send) -> None:
        sandbox: Sandbox = self.state.sandbox
        fault = sandbox.faults.take(scope["method"], scope["path"])
        inner = super().__call__
        if fault is not None:
            entry["fault"] = fault.to_json()
            entry["status"] = await apply_fault(fault, inner, scope, receive, send, send)
            return

        async def send_and_record(message) -> None:
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
            await send(message)

        await inner(scope, receive, send_and_record)


def create_app(sandbox: Sandbox | None = None, config: SandboxConfig | None = None) -> Starlette:
    """The sandbox ASGI app around ``sandbox`` (or a new one built from ``config``)."""
    if sandbox is None:
        sandbox = Sandbox(config or SandboxConfig())
    app = SandboxApp(
        routes=[Route("/{path:path}", endpoint, methods=ALL_METHODS)],
        exception_handlers={HTTPException: _http_exception, Exception: _server_error},
    )
    app.state.sandbox = sandbox
    if sandbox.config.state_file and sandbox.write_log is None:
        attach(sandbox, sandbox.config.state_file)
    return app
