"""Control endpoints under /_sandbox/ and the Python-side controls."""

from __future__ import annotations

import time

import httpx

from c66tui.sandbox import SandboxConfig, seed
from c66tui.sandbox.server import SandboxServer


def test_request_log_with_since_and_clear(api, root, world):
    root.delete("/_sandbox/requests")
    api.get("/stacks", params={"page": 2})
    api.post("/stacks/nope/deployments", data={"git_ref": "main"})
    log = root.get("/_sandbox/requests").json()
    assert log["count"] == 2 and log["next"] == 2
    first, second = log["requests"]
    assert first["method"] == "GET" and first["path"] == "/api/3/stacks"
    assert first["status"] == 200 and first["query"] == "page=2"
    assert isinstance(first["time"], float)
    assert second["status"] == 404 and second["params"] == {"git_ref": "main"}
    assert root.get("/_sandbox/requests", params={"since": 1}).json()["count"] == 1
    assert root.get("/_sandbox/requests", params={"since": "x"}).status_code == 400
    assert root.get("/_sandbox/requests", params={"since": "\u00b2"}).status_code == 400
    assert root.delete("/_sandbox/requests").json() == {"ok": True}
    assert world.request_log == []


def test_mint_tokens(root):
    minted = root.post("/_sandbox/tokens", json={"scopes": ["public", "jobs"], "email": "a@b.c"})
    body = minted.json()
    assert body["scopes"] == ["jobs", "public"] and body["email"] == "a@b.c"
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert root.get("/api/3/stacks", headers=headers).status_code == 200
    assert root.get("/api/3/users", headers=headers).status_code == 403
    spaced = root.post("/_sandbox/tokens", json={"scopes": "public users"}).json()
    assert spaced["scopes"] == ["public", "users"]
    everything = root.post("/_sandbox/tokens", json={}).json()
    assert set(everything["scopes"]) == {"public", "redeploy", "jobs", "users", "admin"}
    assert root.post("/_sandbox/tokens", json={"scopes": [1]}).status_code == 400


def test_advance_finish_reset(api, root, uid):
    stack = uid(seed.HISTORY_STACK)
    api.post(f"/stacks/{stack}/deployments")
    before = root.get("/_sandbox/info").json()["epoch"]
    moved = root.post("/_sandbox/advance", json={"seconds": 10}).json()
    assert moved["ok"] and moved["epoch"] >= before + 10
    assert api.get(f"/stacks/{stack}").json()["response"]["status"] == 6
    root.post("/_sandbox/finish")
    assert api.get(f"/stacks/{stack}").json()["response"]["status"] == 1
    assert root.post("/_sandbox/advance", json={"seconds": "soon"}).status_code == 400
    assert root.post("/_sandbox/advance", json={}).status_code == 400
    for bad in (-5, 10**400, [1], True):
        assert root.post("/_sandbox/advance", json={"seconds": bad}).status_code == 400
    assert root.post("/_sandbox/reset").json() == {"ok": True}
    deployments = api.get(f"/stacks/{stack}/deployments").json()["pagination"]["count"]
    assert deployments == 42


def test_fail_next_validation(root, uid):
    ok = {"kind": "deploy", "stack_uid": uid(seed.HISTORY_STACK)}
    assert root.post("/_sandbox/fail-next", json=ok).status_code == 200
    assert root.post("/_sandbox/fail-next", json={**ok, "kind": "meteor"}).status_code == 400
    assert root.post("/_sandbox/fail-next", json={**ok, "stack_uid": "x"}).status_code == 404
    assert root.post("/_sandbox/fail-next", json={"kind": "deploy"}).status_code == 400


def test_info_names_the_special_stacks(root, world):
    info = root.get("/_sandbox/info").json()
    assert info["stacks"] == 40 and info["demo_token"] == "sandbox-demo-token"
    assert info["named_stacks"]["deploying"]["name"] == seed.DEPLOYING_STACK
    uid = info["named_stacks"]["failed"]["uid"]
    assert world.find_stack(seed.FAILED_STACK).uid == uid


def test_unknown_control_path_is_json_404(root):
    answer = root.get("/_sandbox/nothing")
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"
    assert root.put("/_sandbox/reset").status_code == 405


def test_python_controls(world, api):
    token = world.mint_token([], email="x@example.com")
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/stacks", headers=headers).status_code == 200
    assert api.get("/accounts", headers=headers).status_code == 403
    assert world.revoke_token(token) is True
    assert world.revoke_token("unknown") is False
    assert api.get("/stacks", headers=headers).status_code == 401
    now = world.now()
    assert world.advance(60) >= now + 60


def test_reset_restores_the_seed_world(world, api, uid):
    stack = uid(seed.HISTORY_STACK)
    api.put(f"/stacks/{stack}/settings/git-branch", data={"value": "other"})
    world.finish_all()
    token = world.mint_token(["public"])
    world.reset()
    assert api.get(f"/stacks/{stack}/settings/git-branch").json()["response"]["value"] == "main"
    assert world.token(token) is None


def test_latency_option_slows_each_request():
    # A lower bound only: a busy machine makes the request slower, never faster.
    with SandboxServer(config=SandboxConfig(latency_ms=600, stacks=2)) as srv:
        with httpx.Client(
            base_url=srv.api_url, headers={"Authorization": "Bearer sandbox-demo-token"}
        ) as client:
            started = time.perf_counter()
            assert client.get("/stacks").status_code == 200
            assert time.perf_counter() - started >= 0.6


def test_latency_option_leaves_control_endpoints_alone():
    # An hour of latency: a control call that waited for it would never answer.
    with SandboxServer(config=SandboxConfig(latency_ms=3_600_000, stacks=2)) as srv:
        assert httpx.get(f"{srv.base_url}/_sandbox/info", timeout=60).status_code == 200


def test_default_token_option():
    with SandboxServer(config=SandboxConfig(default_token="my-token", stacks=1)) as srv:
        answer = httpx.get(f"{srv.api_url}/stacks", headers={"Authorization": "Bearer my-token"})
        assert answer.status_code == 200 and answer.json()["count"] == 1


def test_request_log_is_bounded(world, api, monkeypatch):
    monkeypatch.setattr(type(world), "LOG_LIMIT", 10)
    for _ in range(12):
        api.get("/stacks/nope")
    assert len(world.request_log) <= 10
    assert world.request_log[-1]["index"] == 11 and world.log_count == 12
