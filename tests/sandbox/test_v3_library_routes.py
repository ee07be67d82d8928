"""The ``/api/3`` routes that serve the official Go library: behaviour beyond the shapes
the replay checks (filters, formats, scopes, refusals), over the loopback socket."""

from __future__ import annotations

import json

import httpx
import pytest

from c66tui.sandbox import Sandbox
from c66tui.sandbox.seed import HISTORY_STACK, MARKUP_STACK
from c66tui.sandbox.tokens import ALL_SCOPES


@pytest.fixture
def v3(sandbox):
    with httpx.Client(
        base_url=sandbox.base_url.rstrip("/") + "/api/3",
        headers={"Authorization": f"Bearer {Sandbox.DEMO_TOKEN}"},
        timeout=10,
    ) as client:
        yield client


def v3_with(sandbox, scopes) -> httpx.Client:
    token = sandbox.sandbox.mint_token(scopes)
    return httpx.Client(
        base_url=sandbox.base_url.rstrip("/") + "/api/3",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def test_ping_needs_no_token_but_ping_auth_does(sandbox, v3):
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as bare:
        assert bare.get("/api/3/ping.json").json() == {"response": {"ok": True, "message": "pong"}}
        assert bare.get("/api/3/ping.json", headers={"Authorization": "Bearer nope"}).is_success
        assert bare.post("/api/3/ping.json").status_code == 405
        refused = bare.get("/api/3/ping/auth.json", headers={"Authorization": "Bearer nope"})
        assert refused.status_code == 401
        assert bare.get("/api/3/ping/auth.json").status_code == 401
    assert v3.get("/ping/auth.json").json()["response"]["ok"] is True


def test_stack_list_filters_match_whole_values_and_empty_means_no_filter(world, v3):
    everything = v3.get("/stacks.json").json()["pagination"]["count"]
    empty = {"filter_name": "", "filter_environment": "", "filter_git_branch": ""}
    assert v3.get("/stacks.json", params=empty).json()["pagination"]["count"] == everything
    staging = v3.get("/stacks.json", params={"filter_environment": "staging"}).json()
    expected = sum(1 for s in world.stacks.values() if s.environment == "staging")
    assert staging["pagination"]["count"] == expected > 0
    assert {s["environment"] for s in staging["response"]} == {"staging"}
    markup = world.find_stack(MARKUP_STACK)
    by_name = v3.get("/stacks.json", params={"filter_name": MARKUP_STACK.upper()}).json()
    assert [s["uid"] for s in by_name["response"]] == [markup.uid]
    partial = v3.get("/stacks.json", params={"filter_name": MARKUP_STACK[:5]}).json()
    assert partial["response"] == [] and partial["count"] == 0
    both = {"filter_git_repo": markup.git, "filter_git_branch": "no-such-branch"}
    assert v3.get("/stacks.json", params=both).json()["response"] == []


def test_v2_keeps_its_own_shapes(sandbox, uid):
    with httpx.Client(
        base_url=sandbox.base_url.rstrip("/") + "/api/2",
        headers={"Authorization": f"Bearer {Sandbox.DEMO_TOKEN}"},
        timeout=10,
    ) as v2:
        stack = v2.get(f"/stacks/{uid(HISTORY_STACK)}").json()["response"]
        assert "backend" not in stack and "namespaces" not in stack
        assert v2.get("/ping").status_code == 404


def test_dotenv_download_has_the_requested_kinds_in_order(world, v3):
    stack = world.find_stack(HISTORY_STACK)
    env = world.details(stack).env
    query = {"environments_format": "dotenv", "requested_types": "user"}
    contents = v3.get(f"/stacks/{stack.uid}/environments.json", params=query).json()
    text = contents["response"]["contents"]
    assert text.endswith("\n")
    keys = [line.split("=", 1)[0] for line in text.splitlines()]
    assert keys == [e.key for e in env if not e.is_generated]
    locked = {"environments_format": "dotenv", "requested_types": "locked"}
    text = v3.get(f"/stacks/{stack.uid}/environments.json", params=locked).json()
    assert [ln.split("=")[0] for ln in text["response"]["contents"].splitlines()] == [
        e.key for e in env if e.readonly
    ]


def test_json_download_is_an_object_of_every_variable_by_default(world, v3):
    stack = world.find_stack(HISTORY_STACK)
    query = {"environments_format": "json"}
    answer = v3.get(f"/stacks/{stack.uid}/environments.json", params=query).json()
    data = json.loads(answer["response"]["contents"])
    assert data == {e.key: e.value for e in world.details(stack).env}


def test_env_download_refuses_unknown_formats_and_kinds_and_needs_admin(sandbox, world, v3):
    uid = world.find_stack(HISTORY_STACK).uid
    path = f"/stacks/{uid}/environments.json"
    bad = v3.get(path, params={"environments_format": "yaml"})
    assert bad.status_code == 400 and "environments_format" in bad.json()["error_description"]
    bad = v3.get(path, params={"environments_format": "dotenv", "requested_types": "secret"})
    assert bad.status_code == 400 and "secret" in bad.json()["details"]
    with v3_with(sandbox, ["public"]) as reader:
        assert reader.get(path, params={"environments_format": "dotenv"}).status_code == 403
    listed = v3.get(path, params={"environments_format": "api"}).json()
    assert listed["pagination"]["count"] == len(world.details(world.find_stack(HISTORY_STACK)).env)


def test_service_task_jobs_carry_service_name_task_and_private_ip(world, v3):
    jobs = [
        (stack, job)
        for stack in world.ordered_stacks()
        for job in world.details(stack).jobs
        if job.type == "DockerServiceTaskJob"
    ]
    assert jobs
    for stack, job in jobs[:5]:
        params = v3.get(f"/stacks/{stack.uid}/jobs/{job.uid}.json").json()["response"]["params"]
        servers = {s.uid: s for s in world.details(stack).servers}
        assert params["service_name"] and params["task"]
        assert params["private_ip"] == servers[job.server_uid].int_ipv4


def test_accounts_mark_the_current_one(v3):
    accounts = v3.get("/accounts.json").json()["response"]
    assert [a["id"] for a in accounts if a["current_account"]] == [4021]
    assert all(isinstance(a["friendly_name"], str) and a["friendly_name"] for a in accounts)
    assert not any("name" in a for a in accounts)  # the library reads friendly_name only
    chosen = v3.get("/accounts.json", headers={"X-Account": "4022"}).json()["response"]
    assert [a["id"] for a in chosen if a["current_account"]] == [4022]
    one = v3.get("/accounts/4023.json", params={"include_servers": "true"}).json()["response"]
    assert one["unmanaged_servers"] == [] and one["current_account"] is False
    assert v3.get("/accounts/9.json").status_code == 404


def test_an_empty_git_ref_deploys_the_branch_but_a_blank_one_is_refused(world, v3):
    uid = world.find_stack(HISTORY_STACK).uid
    answer = v3.post(f"/stacks/{uid}/deployments.json", json={"git_ref": "", "services": None})
    assert answer.status_code == 200 and answer.json()["response"]["ok"] is True
    refused = v3.post(f"/stacks/{uid}/deployments.json", json={"git_ref": "  "})
    assert refused.status_code == 400


def test_reboot_needs_the_reboot_scope_and_a_strategy(sandbox, world, v3):
    stack = world.find_stack(HISTORY_STACK)
    path = f"/stacks/{stack.uid}/reboot_servers.json"
    assert v3.post(path, json={"strategy": "parallel"}).status_code == 403
    with v3_with(sandbox, [*ALL_SCOPES, "reboot"]) as rebooter:
        assert rebooter.post(path, json={"strategy": "", "group": ""}).status_code == 400
        assert rebooter.post(path, json={"strategy": "sideways"}).status_code == 400
        action = rebooter.post(path, json={"strategy": "serial", "group": ""}).json()["response"]
        assert action["action"] == "stack_reboot" and action["finished_at"] is None
        server = world.details(stack).servers[0].uid
        one = rebooter.post(f"/stacks/{stack.uid}/servers/{server}/reboot_server.json")
        assert one.json()["response"]["action"] == "server_reboot"
        missing = rebooter.post(f"/stacks/{stack.uid}/servers/nope/reboot_server.json")
        assert missing.status_code == 404
    world.finish_all()
    done = v3.get(f"/stacks/{stack.uid}/actions/{action['id']}.json").json()["response"]
    assert done["finished_success"] is True and done["metadata"]["group"] == "web"


def test_backups_configuration_and_operation_logs(world, v3):
    stack = world.find_stack(HISTORY_STACK)
    backups = v3.get(f"/stacks/{stack.uid}/backups.json").json()["response"]
    assert backups and all(b["db_type"] for b in backups)
    kind = backups[0]["db_type"]
    only = v3.get(f"/stacks/{stack.uid}/backups.json", params={"db_type": kind}).json()
    assert {b["db_type"] for b in only["response"]} == {kind}
    one = v3.get(f"/stacks/{stack.uid}/backups/{backups[0]['id']}.json").json()["response"]
    assert one == backups[0]
    assert v3.get(f"/stacks/{stack.uid}/backups/0.json").status_code == 404
    files = v3.get(f"/stacks/{stack.uid}/backups/{one['id']}/files.json").json()["response"]
    assert files == [{"id": "tar", "name": one["file_name"]}]
    url = v3.get(f"/stacks/{stack.uid}/backups/{one['id']}/files/tar.json").json()["response"]
    assert url["ok"] is True and url["public_url"].endswith(one["file_name"])
    assert v3.get(f"/stacks/{stack.uid}/backups/{one['id']}/files/zip.json").status_code == 404
    configs = v3.get(f"/stacks/{stack.uid}/configuration.json").json()["response"]
    assert [c["type"] for c in configs] == ["nginx"]
    assert v3.get(f"/stacks/{stack.uid}/configuration/haproxy/show.json").status_code == 404
    action = v3.post(f"/stacks/{stack.uid}/actions.json", json={"command": "restart"}).json()
    op = action["response"]["id"]
    assert len(v3.get(f"/operations/{op}/logs.json").json()["response"]) == 1
    world.finish_all()
    logs = v3.get(f"/operations/{op}/logs.json").json()["response"]
    assert [e["v"] for e in logs] == [2, 2] and logs[1]["m"]
    world.fail_next("action", stack.uid, "disk full")
    failing = v3.post(f"/stacks/{stack.uid}/actions.json", json={"command": "restart"}).json()
    world.finish_all()
    errors = v3.get(
        f"/operations/{failing['response']['id']}/logs.json", params={"min_severity": "5"}
    ).json()["response"]
    assert [(e["v"], e["m"]) for e in errors] == [(5, "disk full")]
    assert v3.get(f"/operations/{op}/logs.json", params={"min_severity": "9"}).status_code == 400
    assert v3.get("/operations/999999999/logs.json").status_code == 404
