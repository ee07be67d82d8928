"""Injected faults: status, delay, dropped connections, broken bodies, headers, counts.

Writes under a delay or drop fault are carried out before the answer is delayed or lost,
so a client that sees a timeout can prove it did not resend while the deploy exists.
"""

from __future__ import annotations

import httpx
import pytest

from c66tui.sandbox import Sandbox, SandboxConfig, create_app, seed

DEPLOYS = r"/stacks/[0-9a-f]+/deployments$"


def _posts(world, path_part: str) -> list[dict]:
    return [e for e in world.request_log if e["method"] == "POST" and path_part in e["path"]]


def _status(api, stack):
    return api.get(f"/stacks/{stack}").json()["response"]["status"]


def test_status_fault_refuses_without_carrying_out(api, root, world, uid):
    stack = uid(seed.HISTORY_STACK)
    added = root.post("/_sandbox/faults", json={"path": DEPLOYS, "method": "POST", "status": 503})
    assert added.json()["fault"]["when"] == "before"
    answer = api.post(f"/stacks/{stack}/deployments")
    assert answer.status_code == 503 and answer.json()["error"] == "service_unavailable"
    assert _status(api, stack) == 1
    assert api.post(f"/stacks/{stack}/deployments").status_code == 200


def test_delay_on_post_still_applies_the_write(sandbox, root, world, uid):
    stack = uid(seed.HISTORY_STACK)
    root.post("/_sandbox/faults", json={"path": DEPLOYS, "method": "POST", "delay": 0.6})
    headers = {"Authorization": f"Bearer {Sandbox.DEMO_TOKEN}"}
    with httpx.Client(base_url=sandbox.api_url, headers=headers, timeout=0.2) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.post(f"/stacks/{stack}/deployments")
    with httpx.Client(base_url=sandbox.api_url, headers=headers) as client:
        assert _status(client, stack) == 5
        head = client.get(f"/stacks/{stack}/deployments").json()["response"][0]
        assert head["is_deploying"] is True
    assert len(_posts(world, "/deployments")) == 1


def test_drop_on_post_closes_the_connection_after_the_write(api, root, world, uid):
    stack = uid(seed.HISTORY_STACK)
    root.post("/_sandbox/faults", json={"path": DEPLOYS, "method": "POST", "drop": True})
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(f"/stacks/{stack}/deployments")
    assert _status(api, stack) == 5
    posts = _posts(world, "/deployments")
    assert len(posts) == 1 and posts[0]["status"] is None and posts[0]["fault"]["drop"] is True


def test_drop_before_does_not_carry_out(api, root, uid):
    stack = uid(seed.HISTORY_STACK)
    root.post(
        "/_sandbox/faults", json={"path": DEPLOYS, "method": "POST", "drop": True, "when": "before"}
    )
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(f"/stacks/{stack}/deployments")
    assert _status(api, stack) == 1


def test_delayed_error_status_after_the_write(api, root, uid):
    stack = uid(seed.HISTORY_STACK)
    root.post(
        "/_sandbox/faults", json={"path": DEPLOYS, "method": "POST", "status": 502, "delay": 0.05}
    )
    assert api.post(f"/stacks/{stack}/deployments").status_code == 502
    assert _status(api, stack) == 5


def test_truncated_body(api, root):
    root.post("/_sandbox/faults", json={"path": "/stacks$", "body": "truncated"})
    answer = api.get("/stacks")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    with pytest.raises(ValueError):
        answer.json()
    assert int(answer.headers["content-length"]) == len(answer.content)


def test_not_json_body(api, root):
    root.post("/_sandbox/faults", json={"path": "/stacks$", "body": "not_json", "status": 502})
    answer = api.get("/stacks")
    assert answer.status_code == 502
    assert answer.headers["content-type"].startswith("text/plain")
    with pytest.raises(ValueError):
        answer.json()


def test_html_login_page(api, root):
    root.post("/_sandbox/faults", json={"path": "/stacks", "body": "html_login"})
    answer = api.get("/stacks")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "Sign in" in answer.text


def test_extra_headers_and_times(api, root):
    root.post(
        "/_sandbox/faults",
        json={"path": "/stacks$", "status": 429, "headers": {"Retry-After": "3"}, "times": 2},
    )
    answers = [api.get("/stacks") for _ in range(3)]
    assert [a.status_code for a in answers] == [429, 429, 200]
    assert answers[0].headers["retry-after"] == "3"
    assert root.get("/_sandbox/faults").json()["faults"] == []


def test_unlimited_fault_until_cleared(api, root):
    root.post("/_sandbox/faults", json={"path": "/stacks$", "status": 500, "times": None})
    assert [api.get("/stacks").status_code for _ in range(3)] == [500, 500, 500]
    assert len(root.get("/_sandbox/faults").json()["faults"]) == 1
    assert root.delete("/_sandbox/faults").status_code == 200
    assert api.get("/stacks").status_code == 200


def test_method_filter(api, root, uid):
    root.post("/_sandbox/faults", json={"path": "/stacks", "method": "POST", "status": 500})
    assert api.get("/stacks").status_code == 200
    assert api.post(f"/stacks/{uid(seed.HISTORY_STACK)}/restart").status_code == 500


def test_fault_on_the_token_endpoint(root):
    root.post("/_sandbox/faults", json={"path": "^/oauth/token", "drop": True})
    with pytest.raises(httpx.RemoteProtocolError):
        root.post("/oauth/token", data={"grant_type": "authorization_code"})


def test_error_word_of_a_status_fault(root):
    root.post(
        "/_sandbox/faults", json={"path": "^/oauth/token", "status": 400, "error": "invalid_scope"}
    )
    answer = root.post("/oauth/token", data={"grant_type": "authorization_code"})
    assert answer.status_code == 400
    assert answer.json() == {"error": "invalid_scope", "error_description": "Injected fault"}
    # Used up: the real endpoint answers again.
    assert root.post("/oauth/token", data={}).json()["error"] == "invalid_request"


def test_faults_never_touch_control_endpoints(root):
    root.post("/_sandbox/faults", json={"path": ".*", "status": 500, "times": None})
    assert root.get("/_sandbox/faults").status_code == 200
    assert root.delete("/_sandbox/faults").status_code == 200


@pytest.mark.parametrize(
    "spec",
    [
        {"path": "("},
        {"path": ".*"},
        {"status": 42},
        {"status": "500"},
        {"delay": -1},
        {"delay": "slow"},
        {"body": "garbage"},
        {"times": "x"},
        {"when": "during", "status": 500},
        {"headers": ["a"], "status": 500},
        {"colour": "red", "status": 500},
        {"method": 5, "drop": True},
        {"error": "invalid_scope"},
        {"error": "Not A Word", "status": 400},
    ],
)
def test_invalid_fault_specs_are_refused(root, spec):
    answer = root.post("/_sandbox/faults", json=spec)
    assert answer.status_code == 400
    assert answer.json()["error"] == "bad_request"


def test_inject_fault_from_python(api, world):
    world.inject_fault(r"/stacks$", status=500, times=1)
    assert api.get("/stacks").status_code == 500
    assert api.get("/stacks").status_code == 200


async def test_drop_in_process_looks_like_a_disconnect():
    sandbox = Sandbox(SandboxConfig())
    sandbox.inject_fault("/stacks", drop=True)
    transport = httpx.ASGITransport(app=create_app(sandbox))
    headers = {"Authorization": f"Bearer {Sandbox.DEMO_TOKEN}"}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sandbox", headers=headers
    ) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get("/api/2/stacks")
        assert (await client.get("/api/2/stacks")).status_code == 200


async def test_in_process_app_serves_the_api():
    app = create_app(config=SandboxConfig(stacks=3))
    assert isinstance(app.state.sandbox, Sandbox)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        answer = await client.get("/api/3/stacks.json", params={"access_token": Sandbox.DEMO_TOKEN})
    assert answer.json()["count"] == 3


def test_headers_only_fault_rewrites_the_real_answer(api, root):
    root.post(
        "/_sandbox/faults", json={"path": "/stacks$", "headers": {"X-RateLimit-Remaining": "7"}}
    )
    answer = api.get("/stacks")
    assert answer.status_code == 200 and answer.json()["count"] == 30
    assert answer.headers.get_list("x-ratelimit-remaining") == ["7"]
