"""Error mapping: status + body to the hierarchy, scopes inferred from method and path."""

from __future__ import annotations

import json

import httpx
import pytest

from c66tui.api.errormap import error_from_response, required_scope, resource_name
from c66tui.api.errors import (
    AuthenticationError,
    BadRequestError,
    Cloud66Error,
    ConflictError,
    MissingScopeError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitedError,
    ServerError,
    ServerErrorAfterSend,
    UnexpectedResponseError,
)


def _map(status, body=None, *, headers=None, method="GET", path="/stacks/abc", raw=None):
    content = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
    return error_from_response(
        status=status,
        content=content,
        headers=httpx.Headers(headers or {}),
        method=method,
        path=path,
        request_id="rid-1",
    )


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("POST", "/stacks/u1/deployments", "redeploy"),
        ("POST", "/api/2/stacks/u1/deployments.json", "redeploy"),
        ("DELETE", "/stacks/u1/deployments/5", "redeploy"),
        ("POST", "/stacks/u1/actions", "redeploy"),
        ("GET", "/stacks/u1/environments", "admin"),
        ("PUT", "/stacks/u1/environments/KEY", "admin"),
        ("PUT", "/stacks/u1/settings/git-branch", "admin"),
        ("PUT", "/stacks/u1/servers/s1/settings/server-name", "admin"),
        # The reference (3.8) and the sandbox: job writes are public.
        ("POST", "/stacks/u1/jobs/j1/run_now", "public"),
        ("POST", "/stacks/u1/jobs/j1/pause", "public"),
        ("POST", "/api/2/stacks/u1/jobs/j1/unpause.json", "public"),
        ("GET", "/stacks/u1/jobs", "public"),
        ("GET", "/users", "users"),
        ("GET", "/accounts?page=1", "users"),
        ("GET", "/stacks", "public"),
        ("GET", "/stacks/u1/deployments", "public"),
    ],
)
def test_required_scope(method, path, scope):
    assert required_scope(method, path) == scope


def test_resource_name():
    assert resource_name("/stacks/u1") == "stack"
    assert resource_name("/stacks/u1/jobs/j1") == "job"
    assert resource_name("/stacks/u1/environments/KEY") == "environment variable"
    assert resource_name("/stacks/u1/deployments") == "deployment"
    assert resource_name("/weird") == "item"


def test_missing_scope_message_names_the_scope():
    error = _map(
        403,
        {"error": "forbidden", "error_description": "Forbidden"},
        method="POST",
        path="/stacks/u1/deployments",
    )
    assert isinstance(error, MissingScopeError)
    assert error.scope == "redeploy"
    assert error.message == (
        "Your token does not have the 'redeploy' scope needed for this. Log in again and grant it."
    )
    assert error.status == 403 and error.error == "forbidden" and error.request_id == "rid-1"


def test_403_scope_from_www_authenticate():
    error = _map(
        403, {}, headers={"www-authenticate": 'Bearer error="insufficient_scope", scope="admin"'}
    )
    assert isinstance(error, MissingScopeError) and error.scope == "admin"


def test_403_on_public_read_is_a_permission_problem():
    error = _map(403, {"error": "forbidden", "details": "No access to stack"})
    assert isinstance(error, MissingScopeError) and error.scope is None
    assert "administrator" in error.message and "No access to stack" in error.message


@pytest.mark.parametrize(
    ("status", "body", "cls", "words"),
    [
        (
            400,
            {
                "error": "bad_request",
                "error_description": "Invalid value",
                "details": "value must not be blank",
            },
            BadRequestError,
            "value must not be blank",
        ),
        (400, {}, BadRequestError, "missing or not valid"),
        (401, {"error": "unauthenticated"}, AuthenticationError, "Log in again"),
        (
            404,
            {"error": "not_found", "error_description": "Stack not found"},
            NotFoundError,
            "could not find that stack (Stack not found)",
        ),
        (
            409,
            {"error": "conflict", "error_description": "Stack is deploying"},
            ConflictError,
            "busy or in a conflicting state: Stack is deploying",
        ),
        (429, {"error": "throttled"}, RateLimitedError, "Try again later"),
        (503, {"error": "throttled"}, RateLimitedError, "request limit"),
        (503, {"error": "service_unavailable"}, ServerError, "HTTP 503"),
        (500, {"error": "internal_error"}, ServerError, "Request id: rid-1"),
        (408, {"error": "time_out"}, ServerError, "HTTP 408"),
        (418, {"error": "teapot"}, UnexpectedResponseError, "HTTP 418"),
        (402, {"error": "trial_expired"}, Cloud66Error, "trial has expired"),
    ],
)
def test_status_mapping(status, body, cls, words):
    error = _map(status, body)
    assert type(error) is cls
    assert words in error.message
    assert error.status == status


def test_details_preferred_and_description_kept():
    error = _map(
        404,
        {
            "error": "not_found",
            "error_description": "Stack not found",
            "details": "No stack abc is accessible",
        },
    )
    assert "No stack abc is accessible" in error.message
    assert error.description == "Stack not found"


def test_throttled_retry_after_seconds():
    error = _map(429, {}, headers={"retry-after": "42"})
    assert isinstance(error, RateLimitedError) and error.retry_after == 42
    assert "42 seconds" in error.message


def test_503_with_no_remaining_budget_is_throttling():
    error = _map(503, {}, headers={"x-ratelimit-remaining": "0"})
    assert isinstance(error, RateLimitedError)


def test_html_error_pages_keep_the_status_class():
    html = b"<html><body>Bad gateway</body></html>"
    error = _map(502, raw=html, headers={"content-type": "text/html"})
    assert isinstance(error, ServerError) and "error page (HTTP 502)" in error.message
    error = _map(418, raw=html)
    assert isinstance(error, UnexpectedResponseError) and "web page (HTTP 418)" in error.message


def test_long_and_odd_details_are_bounded():
    error = _map(400, {"details": "x" * 5000})
    assert len(error.message) < 400
    error = _map(400, {"details": {"value": ["is invalid"]}})
    assert "is invalid" in error.message


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/stacks/u1/deployments"),
        ("DELETE", "/stacks/u1/deployments/5"),
        ("POST", "/stacks/u1/jobs/j1/run_now"),
        ("POST", "/stacks/u1/jobs/j1/pause"),
        ("PUT", "/stacks/u1/settings/git-branch"),
    ],
)
@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_to_a_write_is_outcome_unknown_not_a_failure(method, path, status):
    error = _map(status, {"error": "internal_error"}, method=method, path=path)
    # Never "try again": the write may have been carried out before the server failed.
    assert isinstance(error, ServerErrorAfterSend)
    assert isinstance(error, OutcomeUnknownError) and isinstance(error, ServerError)
    assert error.status == status and error.request_id == "rid-1"
    assert "not known whether it was carried out" in error.message
    assert "not sent again" in error.message and "Try again" not in error.message
    assert "Request id: rid-1" in error.message


def test_5xx_to_a_read_stays_a_plain_server_error():
    error = _map(502, {"error": "bad_gateway"}, method="GET", path="/stacks/u1")
    assert type(error) is ServerError and "Try again in a moment" in error.message


@pytest.mark.parametrize(
    ("status", "body", "headers", "cls"),
    [
        (501, {"error": "not_implemented"}, {}, ServerError),
        (503, {"error": "throttled"}, {}, RateLimitedError),
        (503, {}, {"x-ratelimit-remaining": "0"}, RateLimitedError),
        (408, {"error": "time_out"}, {}, ServerError),
    ],
)
def test_certain_refusals_of_a_write_stay_refusals(status, body, headers, cls):
    error = _map(status, body, headers=headers, method="POST", path="/stacks/u1/deployments")
    assert type(error) is cls
    assert not isinstance(error, OutcomeUnknownError)


def test_html_error_page_to_a_write_is_outcome_unknown():
    html = b"<html><body>Bad gateway</body></html>"
    error = _map(
        502,
        raw=html,
        headers={"content-type": "text/html"},
        method="POST",
        path="/stacks/u1/deployments",
    )
    assert isinstance(error, ServerErrorAfterSend) and "error page (HTTP 502)" in error.message


def test_403_to_a_public_job_write_is_a_role_refusal_not_a_scope():
    error = _map(403, {"error": "forbidden"}, method="POST", path="/stacks/u1/jobs/j1/run_now")
    assert isinstance(error, MissingScopeError) and error.scope is None
    assert "does not allow you" in error.message and "'jobs' scope" not in error.message
    # When Cloud 66 does name a scope, that one is reported.
    error = _map(
        403,
        {},
        headers={"www-authenticate": 'Bearer error="insufficient_scope", scope="jobs"'},
        method="POST",
        path="/stacks/u1/jobs/j1/pause",
    )
    assert error.scope == "jobs" and "'jobs' scope" in error.message
