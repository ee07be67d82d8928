"""Replay of the Go library's requests against the sandbox over a loopback socket.

Every entry of :data:`golib_requests.REQUESTS` is sent as the library sends it (method,
``/api/3`` path, unescaped query, compact JSON body, its headers) to the sandbox served by
uvicorn, and the answer is checked the way ``encoding/json`` would decode it into the
library's struct (:mod:`golib_decode`). No Go toolchain is needed.
"""

from __future__ import annotations

import json
import uuid
from urllib.parse import quote_plus

import httpx
import pytest

from c66tui.sandbox import Sandbox
from c66tui.sandbox.routes_minimal import backups_of
from c66tui.sandbox.seed import HISTORY_STACK
from c66tui.sandbox.tokens import ALL_SCOPES
from tests.contract.golib_decode import envelope_problems
from tests.contract.golib_requests import LEASE, REQUESTS

USER_AGENT = "cx/0.0.0-replay (linux; amd64)"
DB_ROLES = ("mysql", "postgresql", "redis", "mongodb")


def world_values(world: Sandbox) -> dict[str, str]:
    """The ``{name}`` values of the request table, taken from the seed world."""
    stack = world.find_stack(HISTORY_STACK)
    details = world.details(stack)
    db_server = next(s for s in details.servers if any(r in DB_ROLES for r in s.roles))
    job_stack, service_job = next(
        (s, job)
        for s in world.ordered_stacks()
        for job in world.details(s).jobs
        if job.type == "DockerServiceTaskJob"
    )
    user_keys = [e.key for e in details.env if not e.is_generated and not e.readonly]
    me = next(u for u in world.users if u.email == world.config.user_email or u.id == 801)
    return {
        "stack": stack.uid,
        "stack_name": stack.name,
        "stack_environment": stack.environment,
        "stack_git": stack.git,
        "stack_branch": stack.git_branch,
        "server": details.servers[0].uid,
        "db_server": db_server.uid,
        "db_type": next(r for r in db_server.roles if r in DB_ROLES),
        "action": str(details.actions[0].id),
        "backup": str(backups_of(world, stack)[0]["id"]),
        "env_key": "SENTRY_DSN" if "SENTRY_DSN" in user_keys else user_keys[0],
        "job_stack": job_stack.uid,
        "service_job": service_job.uid,
        "job_server": service_job.server_uid or "",
        "user": str(me.id),
        "account": str(me.primary_account_id),
    }


def fill(value, values: dict[str, str]):
    """``value`` with every ``{name}`` replaced (strings inside dicts and lists too)."""
    if isinstance(value, str):
        return value.format(**values) if "{" in value else value
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, values) for v in value]
    return value


def library_url(entry: dict, values: dict[str, str]) -> str:
    """Path and query exactly as ``NewRequest`` joins them (escaping only what the
    caller escaped with ``url.QueryEscape``)."""
    escape = set(entry.get("escape", ()))
    pairs = []
    for key, raw in entry.get("query", ()):
        value = fill(raw, values)
        pairs.append(f"{key}={quote_plus(value, safe='') if key in escape else value}")
    path = fill(entry["path"], values)
    return path + ("?" + "&".join(pairs) if pairs else "")


def send(base: str, entry: dict, values: dict[str, str], token: str) -> httpx.Response:
    headers = {
        "Accept": "application/json",
        "Request-Id": str(uuid.uuid4()),
        "User-Agent": USER_AGENT,
    }
    if not entry.get("no_token"):
        headers["Authorization"] = f"Bearer {token}"
    headers.update(fill(entry.get("headers", {}), values))
    content = None
    if entry.get("body") is not None:
        content = json.dumps(fill(entry["body"], values), separators=(",", ":")).encode()
        headers["Content-Type"] = "application/json"
    with httpx.Client(base_url=base, timeout=10) as client:
        return client.request(entry["method"], library_url(entry, values), headers=headers,
                              content=content)  # fmt: skip


@pytest.mark.parametrize("entry", REQUESTS, ids=[e["call"] for e in REQUESTS])
def test_library_request_is_answered_as_its_struct_reads(sandbox, entry):
    world = sandbox.sandbox
    values = world_values(world)
    scopes = list(ALL_SCOPES) + list(entry.get("scopes", ()))
    token = Sandbox.DEMO_TOKEN if not entry.get("scopes") else world.mint_token(scopes)
    base = sandbox.base_url.rstrip("/") + "/api/3"
    response = send(base, entry, values, token)
    assert 200 <= response.status_code < 300, (
        f"{entry['call']} ({entry['source']}): {response.status_code} {response.text[:300]}"
    )
    problems = envelope_problems(response.json(), entry["answer"], paged=entry.get("paged", False))
    assert problems == [], f"{entry['call']} ({entry['source']}) would not decode: {problems}"
    if "expect_count" in entry:
        assert len(response.json()["response"]) == entry["expect_count"]
    seen = [e for e in world.request_log if e["path"].startswith("/api/3/")]
    assert seen and seen[-1]["method"] == entry["method"]
    assert seen[-1]["path"] == "/api/3" + fill(entry["path"], values)


def test_lease_sync_polls_the_action_to_its_end(sandbox):
    """``LeaseSync``: the lease's action, polled as ``WaitStackAsyncAction`` polls it,
    ends with ``finished_at`` set and a boolean ``finished_success`` (the library
    dereferences it), and the rule for the caller is then in place."""
    world = sandbox.sandbox
    values = world_values(world)
    base = sandbox.base_url.rstrip("/") + "/api/3"
    started = send(base, LEASE, values, Sandbox.DEMO_TOKEN)
    assert started.status_code == 200, started.text[:300]
    action = started.json()["response"]
    assert action["finished_at"] is None and action["finished_success"] is None
    poll = {"call": "getStackAsyncAction", "source": "async.go", "method": "GET",
            "path": f"/stacks/{{stack}}/actions/{action['id']}.json"}  # fmt: skip
    running = send(base, poll, values, Sandbox.DEMO_TOKEN)
    assert running.status_code == 200
    assert envelope_problems(running.json(), "AsyncResult", paged=False) == []
    world.finish_all()
    done = send(base, poll, values, Sandbox.DEMO_TOKEN)
    assert done.status_code == 200
    assert envelope_problems(done.json(), "AsyncResult", paged=False) == []
    finished = done.json()["response"]
    assert finished["id"] == action["id"] and finished["finished_at"] is not None
    assert finished["finished_success"] is True, finished
    assert "127.0.0.1" in finished["finished_message"]
    rules = send(base, {"method": "GET", "path": "/stacks/{stack}/firewalls.json"}, values,
                 Sandbox.DEMO_TOKEN).json()["response"]  # fmt: skip
    assert [(r["from_ip"], r["port"], r["rule_type"]) for r in rules] == [
        ("127.0.0.1", 22, "dynamic")
    ]
