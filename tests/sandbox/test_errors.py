"""Error classes: 401, 403 by scope, 404, 405, 400, 500 as JSON; rate limits and throttling."""

from __future__ import annotations

import httpx
import pytest

from c66tui.sandbox import SandboxConfig, seed
from c66tui.sandbox.routing import API
from c66tui.sandbox.server import SandboxServer
from tests.sandbox.conftest import token_client

DEMO = "sandbox-demo-token"


def _is_json_error(answer: httpx.Response, status: int, error: str) -> None:
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert body["error"] == error and body["error_description"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer nope"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer"},
    ],
)
def test_unauthenticated(root, headers):
    _is_json_error(root.get("/api/2/stacks", headers=headers), 401, "unauthenticated")


def test_unknown_route_without_token_is_401_under_api_and_404_elsewhere(root):
    _is_json_error(root.get("/api/2/nothing"), 401, "unauthenticated")
    _is_json_error(root.get("/nothing/here"), 404, "not_found")
    _is_json_error(root.get("/api/4/stacks"), 404, "not_found")


def test_bearer_scheme_is_case_insensitive_and_query_token_works(root):
    for scheme in ("Bearer", "bearer", "BEARER"):
        answer = root.get("/api/2/stacks", headers={"Authorization": f"{scheme} {DEMO}"})
        assert answer.status_code == 200
    assert root.get("/api/2/stacks.json", params={"access_token": DEMO}).status_code == 200


def test_header_wins_over_query_parameter(root):
    answer = root.get(
        "/api/2/stacks",
        params={"access_token": DEMO},
        headers={"Authorization": "Bearer revoked-or-unknown"},
    )
    assert answer.status_code == 401
    answer = root.get(
        "/api/2/stacks", params={"access_token": "bad"}, headers={"Authorization": f"Bearer {DEMO}"}
    )
    assert answer.status_code == 200


def test_revoked_token_is_401(sandbox, root):
    token = root.post("/_sandbox/tokens", json={"scopes": ["public"]}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert root.get("/api/2/stacks", headers=headers).status_code == 200
    assert root.delete(f"/_sandbox/tokens/{token}").status_code == 200
    _is_json_error(root.get("/api/2/stacks", headers=headers), 401, "unauthenticated")
    assert root.delete("/_sandbox/tokens/never-issued").status_code == 404


SCOPED = [
    ("GET", "/stacks/{uid}/environments", "admin"),
    ("GET", "/stacks/{uid}/environments/STACK_PATH", "admin"),
    ("POST", "/stacks/{uid}/environments", "admin"),
    ("PUT", "/stacks/{uid}/environments/LOG_LEVEL", "admin"),
    ("DELETE", "/stacks/{uid}/environments/LOG_LEVEL", "admin"),
    ("PUT", "/stacks/{uid}/settings/git-branch", "admin"),
    ("POST", "v2:/stacks/{uid}/setting", "admin"),
    ("POST", "/stacks/{uid}/deployments", "redeploy"),
    ("DELETE", "/stacks/{uid}/deployments/1", "redeploy"),
    ("POST", "/stacks/{uid}/actions", "redeploy"),
    ("POST", "v2:/stacks/{uid}/redeploy", "redeploy"),
    ("POST", "v2:/stacks/{uid}/restart", "redeploy"),
    ("POST", "v2:/stacks/{uid}/maintenance_mode", "redeploy"),
    ("GET", "/users", "users"),
    ("GET", "/accounts", "users"),
    ("GET", "/accounts/4021", "users"),
]


@pytest.mark.parametrize(("method", "path", "scope"), SCOPED)
def test_scope_table(sandbox, uid, method, path, scope):
    """Each request's scope (``v2:`` marks a request of the legacy ``/api/2`` surface)."""
    legacy, path = path.startswith("v2:"), path.removeprefix("v2:")
    path = path.format(uid=uid(seed.HISTORY_STACK))
    others = [s for s in ("public", "redeploy", "jobs", "users", "admin") if s != scope]
    with token_client(sandbox, others, legacy=legacy) as lacking:
        answer = lacking.request(method, path)
        _is_json_error(answer, 403, "forbidden")
        assert scope in answer.json()["error_description"]
        assert f'scope="{scope}"' in answer.headers["www-authenticate"]
    with token_client(sandbox, [scope], legacy=legacy) as having:
        # With the scope the request is judged on its merits: done, or refused for its
        # (empty) parameters or an unknown id, never for permission nor by a crash.
        answer = having.request(method, path)
        assert answer.status_code in (200, 400, 404, 409), answer.text
        if answer.status_code != 200:
            assert answer.json()["error"] != "forbidden"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/stacks"),
        ("GET", "/stacks/{uid}"),
        ("GET", "/stacks/{uid}/jobs"),
        ("GET", "/stacks/{uid}/deployments"),
        ("GET", "/stacks/{uid}/settings"),
        ("GET", "/stacks/{uid}/servers"),
        ("GET", "/stacks/{uid}/actions"),
        ("GET", "v2:/stacks/{uid}/status"),
        ("GET", "v2:/users/cloud_status"),
        ("GET", "v2:/stacks/{uid}/settings"),
        ("GET", "v2:/stacks/{uid}"),
    ],
)
def test_public_reads_work_with_a_no_scope_token(sandbox, uid, method, path):
    legacy, path = path.startswith("v2:"), path.removeprefix("v2:")
    with token_client(sandbox, [], legacy=legacy) as client:
        answer = client.request(method, path.format(uid=uid(seed.HISTORY_STACK)))
        assert answer.status_code == 200


def test_job_run_now_is_public(sandbox, uid):
    stack = uid(seed.HISTORY_STACK)
    with token_client(sandbox, []) as client:
        job = client.get(f"/stacks/{stack}/jobs").json()["response"][0]["uid"]
        assert client.post(f"/stacks/{stack}/jobs/{job}/run_now").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/stacks/00000000000000000000000000000000",
        "/stacks/nope/servers",
        "/stacks/{uid}/servers/nope",
        "/stacks/{uid}/deployments/12",
        "/stacks/{uid}/jobs/x",
        "/stacks/{uid}/actions/1",
        "/stacks/{uid}/settings/nope",
        "/stacks/{uid}/environments/1",
        "/stacks/{uid}/server_groups/1",
        "/accounts/1",
        "/users/1",
        "/stacks/{uid}/whatever",
        "/no/such/route",
    ],
)
def test_not_found(api, uid, path):
    _is_json_error(api.get(path.format(uid=uid(seed.HISTORY_STACK))), 404, "not_found")


def test_method_not_allowed_is_json(api, uid):
    answer = api.delete("/stacks")
    _is_json_error(answer, 405, "method_not_allowed")
    assert answer.headers["allow"] == "GET"
    _is_json_error(api.request("BREW", "/stacks"), 405, "method_not_allowed")
    _is_json_error(api.put(f"/stacks/{uid(seed.HISTORY_STACK)}/jobs"), 405, "method_not_allowed")


@pytest.mark.parametrize(
    ("content", "ctype"),
    [
        (b"{not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (b'"text"', "application/json"),
        (b"\xff\xfe\x00", "application/x-www-form-urlencoded"),
        (b"a=1&&b", "application/x-www-form-urlencoded"),
        (
            b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--",
            "multipart/form-data; boundary=x",
        ),
        (b"<xml/>", "application/xml"),
        (b"[" * 100_000, "application/json"),
    ],
)
def test_malformed_bodies_are_bad_requests(api, uid, content, ctype):
    answer = api.post(
        f"/stacks/{uid(seed.HISTORY_STACK)}/environments",
        content=content,
        headers={"content-type": ctype},
    )
    _is_json_error(answer, 400, "bad_request")


def test_json_values_of_the_wrong_type_are_bad_requests(api, uid):
    stack = uid(seed.HISTORY_STACK)
    for body in (
        {"key": ["A"], "value": "x"},
        {"key": "A", "value": {"x": 1}},
        {"key": None, "value": "x"},
    ):
        _is_json_error(api.post(f"/stacks/{stack}/environments", json=body), 400, "bad_request")
    _is_json_error(
        api.post(f"/stacks/{stack}/deployments", json={"git_ref": ["x"]}), 400, "bad_request"
    )
    _is_json_error(
        api.post(f"/stacks/{stack}/deployments", json={"services": [{"a": 1}]}), 400, "bad_request"
    )


def test_internal_errors_are_json(api, monkeypatch):
    route = next(r for r in API.routes if r.template == "/stacks" and r.method == "GET")

    def explode(ctx):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(route, "handler", explode)
    answer = api.get("/stacks")
    _is_json_error(answer, 500, "internal_error")
    assert "kaboom" not in answer.text and "Traceback" not in answer.text


def test_rate_limit_headers_decrease_per_token(sandbox, api):
    first = api.get("/stacks")
    second = api.get("/stacks")
    assert first.headers["x-ratelimit-limit"] == "3600"
    remaining = int(first.headers["x-ratelimit-remaining"])
    assert int(second.headers["x-ratelimit-remaining"]) == remaining - 1
    with token_client(sandbox, ["public"]) as other:
        assert other.get("/stacks").headers["x-ratelimit-remaining"] == "3599"
    missing = api.get("/stacks/nope")
    assert int(missing.headers["x-ratelimit-remaining"]) == remaining - 2


def test_throttling_after_the_hourly_budget():
    with SandboxServer(
        config=SandboxConfig(rate_limit=3, realtime=False, start_time=1_700_000_000 - 600)
    ) as srv:
        headers = {"Authorization": f"Bearer {DEMO}"}
        with httpx.Client(base_url=srv.api_url, headers=headers) as client:
            left = [client.get("/stacks").headers["x-ratelimit-remaining"] for _ in range(3)]
            assert left == ["2", "1", "0"]
            throttled = client.get("/stacks")
            _is_json_error(throttled, 503, "throttled")
            assert throttled.headers["x-ratelimit-remaining"] == "0"
            retry_after = int(throttled.headers["retry-after"])
            assert 1 <= retry_after <= 3600
            srv.sandbox.advance(retry_after)
            fresh = client.get("/stacks")
            assert fresh.status_code == 200 and fresh.headers["x-ratelimit-remaining"] == "2"


def test_request_id_is_echoed(api):
    answer = api.get("/stacks", headers={"Request-Id": "abc-123"})
    assert answer.headers["x-request-id"] == "abc-123"
    assert len(api.get("/stacks/nope").headers["x-request-id"]) == 32
