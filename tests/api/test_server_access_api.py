"""The lease and server-key calls of the client against the sandbox, over a real socket.

Both generations: ``/api/3`` sends ``POST /stacks/{uid}/firewalls`` (the body the official
Go library sends, plus TCP) and follows the ``open_lease`` action; ``/api/2`` sends the
legacy ``POST /stacks/{uid}/lease``. Each generation's paths are unknown to the other.
The journal records every lease once, and a lost answer is "unknown", never resent.
"""

from __future__ import annotations

import httpx
import pytest

from c66tui.api import Cloud66Client
from c66tui.api.errors import MissingScopeError, NotFoundError
from c66tui.api.models import Action
from c66tui.api.redaction import redact
from c66tui.ops.journal import Journal
from c66tui.ops.lease import LeaseRequest, open_lease
from c66tui.sandbox.seed import HISTORY_STACK
from c66tui.sandbox.ssh_keys import PLACEHOLDER_KEY
from tests.ops.test_write_engine import Session


def _client(sandbox, version: str, scopes=("public", "admin")) -> Cloud66Client:
    token = sandbox.sandbox.mint_token(list(scopes))
    url = sandbox.api2_url if version == "2" else sandbox.api3_url
    return Cloud66Client(url, token, timeout=3.0, deadline=6.0, backoff_base=0.01)


def _posts(sandbox, fragment: str) -> list[dict]:
    log = sandbox.sandbox.request_log
    return [e for e in log if e["method"] == "POST" and fragment in e["path"]]


def _stack_and_server(sandbox):
    world = sandbox.sandbox
    stack = world.find_stack(HISTORY_STACK)
    return stack, world.details(stack).servers[0]


async def test_v3_lease_sends_the_documented_body_and_follows_the_action(sandbox, tmp_path):
    stack, server = _stack_and_server(sandbox)
    journal = Journal(tmp_path / "journal.jsonl")
    request = LeaseRequest(stack.uid, stack.name, 22, 20, "AUTO", server.uid)
    async with _client(sandbox, "3") as api:
        result = await open_lease(Session(api, journal), request, poll_seconds=0.05)
    assert result.ok, result
    assert "allowed to connect" in result.message
    [post] = _posts(sandbox, "/firewalls")
    assert post["path"].startswith("/api/3/")
    token = sandbox.sandbox.mint_token(["public"])
    listed = httpx.get(
        f"{sandbox.api3_url}/stacks/{stack.uid}/firewalls.json",
        headers={"Authorization": f"Bearer {token}"},
    ).json()["response"]
    assert [(r["from_ip"], r["port"], r["rule_type"]) for r in listed] == [
        ("127.0.0.1", 22, "dynamic")
    ]
    [entry] = journal.entries()
    assert (entry.kind, entry.outcome, entry.stack_uid) == ("lease", "ok", stack.uid)
    assert entry.params == {"port": 22, "minutes": 20, "from_ip": "AUTO", "server_uid": server.uid}


async def test_v3_lease_body_is_what_the_go_library_sends(sandbox):
    stack, server = _stack_and_server(sandbox)
    async with _client(sandbox, "3") as api:
        action = await api.open_lease(stack.uid, server_uid=server.uid)
    assert isinstance(action, Action) and action.action == "open_lease"
    [post] = _posts(sandbox, "/firewalls")
    assert post["path"] == f"/api/3/stacks/{stack.uid}/firewalls"
    assert post["params"] == {
        "ttl": 20,
        "from_ip": "AUTO",
        "port": 22,
        "protocol": 1,
        "server_id": server.uid,
    }


async def test_v2_lease_is_the_legacy_call_and_answers_at_once(sandbox, tmp_path):
    stack, _server = _stack_and_server(sandbox)
    journal = Journal(tmp_path / "journal.jsonl")
    async with _client(sandbox, "2") as api:
        result = await open_lease(
            Session(api, journal), LeaseRequest(stack.uid, stack.name, 2222, 5)
        )
    assert result.ok
    assert result.message == f"127.0.0.1 is allowed to connect to {stack.name} for 5 minute(s)."
    assert [p["path"] for p in _posts(sandbox, "/lease")] == [f"/api/2/stacks/{stack.uid}/lease"]


async def test_refused_lease_is_recorded_as_failed(sandbox, tmp_path):
    stack, _server = _stack_and_server(sandbox)
    sandbox.sandbox.fail_next("action", stack.uid, "no more leases today")
    journal = Journal(tmp_path / "journal.jsonl")
    async with _client(sandbox, "3") as api:
        result = await open_lease(
            Session(api, journal), LeaseRequest(stack.uid, stack.name), poll_seconds=0.05
        )
    assert result.outcome == "failed" and "no more leases today" in result.message
    assert journal.entries()[0].outcome == "failed"


async def test_lost_answer_is_unknown_and_not_resent(sandbox, tmp_path):
    stack, _server = _stack_and_server(sandbox)
    sandbox.sandbox.inject_fault(r"/lease$", method="POST", drop=True, times=1)
    journal = Journal(tmp_path / "journal.jsonl")
    async with _client(sandbox, "2") as api:
        result = await open_lease(Session(api, journal), LeaseRequest(stack.uid, stack.name))
    assert result.outcome == "unknown"
    assert len(_posts(sandbox, "/lease")) == 1, "a lease is never sent twice"
    assert journal.entries()[0].outcome == "unknown"


async def test_lease_without_admin_scope_is_refused(sandbox, tmp_path):
    stack, _server = _stack_and_server(sandbox)
    journal = Journal(tmp_path / "journal.jsonl")
    async with _client(sandbox, "3", scopes=("public",)) as api:
        result = await open_lease(Session(api, journal), LeaseRequest(stack.uid, stack.name))
    assert result.outcome == "failed" and "admin" in result.message


@pytest.mark.parametrize("version", ["2", "3"])
async def test_server_key_is_handed_out_and_masked_in_logs(sandbox, version):
    stack, server = _stack_and_server(sandbox)
    async with _client(sandbox, version) as api:
        key = await api.get_server_key(stack.uid, server.uid)
    assert key.reveal() == PLACEHOLDER_KEY
    assert "PRIVATE KEY" not in repr(key)
    assert "PRIVATE KEY" not in redact(f"got {key.reveal()} back")


@pytest.mark.parametrize("version", ["2", "3"])
async def test_server_key_needs_admin(sandbox, version):
    stack, server = _stack_and_server(sandbox)
    async with _client(sandbox, version, scopes=("public",)) as api:
        with pytest.raises(MissingScopeError):
            await api.get_server_key(stack.uid, server.uid)


async def test_each_generation_lacks_the_others_paths(sandbox):
    stack, server = _stack_and_server(sandbox)
    token = sandbox.sandbox.mint_token(["public", "admin"])
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers) as http:
        v2_firewalls = await http.post(f"/api/2/stacks/{stack.uid}/firewalls", json={"port": 22})
        v3_lease = await http.post(f"/api/3/stacks/{stack.uid}/lease")
        v3_key = await http.get(f"/api/3/servers/{server.uid}/ssh_private_key")
        v2_include = await http.get(
            f"/api/2/stacks/{stack.uid}/servers/{server.uid}", params={"include_private_key": 1}
        )
    assert [r.status_code for r in (v2_firewalls, v3_lease, v3_key, v2_include)] == [404] * 4


async def test_firewall_rule_needs_port_and_protocol_without_ttl(sandbox):
    stack, _server = _stack_and_server(sandbox)
    token = sandbox.sandbox.mint_token(["public", "admin"])
    headers = {"Authorization": f"Bearer {token}"}
    path = f"/api/3/stacks/{stack.uid}/firewalls"
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers) as http:
        no_port = await http.post(path, json={"ttl": 20, "from_ip": "AUTO"})
        no_protocol = await http.post(path, json={"from_ip": "10.0.0.1", "port": 80})
        auto_without_ttl = await http.post(
            path, json={"from_ip": "AUTO", "port": 80, "protocol": 1}
        )
        rule = await http.post(path, json={"from_ip": "10.0.0.1", "port": 80, "protocol": 1})
    assert [no_port.status_code, no_protocol.status_code, auto_without_ttl.status_code] == [400] * 3
    assert rule.json()["response"]["action"] == "open_lease"


async def test_unknown_server_key_is_not_found(sandbox):
    stack, _server = _stack_and_server(sandbox)
    async with _client(sandbox, "2") as api:
        with pytest.raises(NotFoundError):
            await api.get_server_key(stack.uid, "0" * 32)
