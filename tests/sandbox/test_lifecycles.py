"""Writes and their life cycles: redeploy, queueing, cancel, actions, settings, env vars, jobs."""

from __future__ import annotations

import pytest

from c66tui.api.models import Action, Deployment, RedeployResult, Stack
from c66tui.ops.deploy_state import deployment_phase
from c66tui.sandbox import seed

HIST = seed.HISTORY_STACK


def _stack(api, uid):
    return api.get(f"/stacks/{uid}").json()["response"]


def _head(api, uid):
    return Deployment.from_api(api.get(f"/stacks/{uid}/deployments").json()["response"][0])


def _action(api, uid, action_id):
    return Action.from_api(api.get(f"/stacks/{uid}/actions/{action_id}").json()["response"])


def test_redeploy_moves_status_5_6_1_and_records_the_deployment(api, world, uid):
    stack = uid(HIST)
    live_before = _head(api, stack)
    answer = api.post(f"/stacks/{stack}/deployments", data={"git_ref": "v1.4.2"})
    assert answer.status_code == 200
    result = RedeployResult.from_api(answer.json()["response"])
    assert result.ok and not result.queued and result.message == "Stack queued for redeployment"
    assert result.async_action_id
    assert _stack(api, stack)["status"] == 5 and "is_busy" not in _stack(api, stack)
    head = _head(api, stack)
    assert head.is_deploying and head.finished_at is None and head.id > live_before.id
    assert head.triggered_by == "demo@example.com" and head.triggered_via == "api"
    assert world.details(world.stacks[stack]).deployments[0].git_ref == "v1.4.2"
    assert "git_ref" not in head.raw and len(head.git_hash) == 40
    assert head.commit_url.endswith(head.git_hash)
    assert not head.is_live
    world.advance(5)
    assert _stack(api, stack)["status"] == 6
    assert _action(api, stack, result.async_action_id).is_finished is False
    world.advance(30)
    after = _stack(api, stack)
    assert after["status"] == 1 and after["health"] == 3
    head = _head(api, stack)
    assert not head.is_deploying and head.succeeded and head.is_live and head.is_head
    assert head.duration_seconds == pytest.approx(30, abs=1)
    previous = Deployment.from_api(
        api.get(f"/stacks/{stack}/deployments/{live_before.id}").json()["response"]
    )
    assert not previous.is_live and not previous.is_head
    action = _action(api, stack, result.async_action_id)
    assert action.finished_success is True and action.action == "application_deployment"


def test_second_redeploy_is_queued_and_runs_after_the_first(api, world, uid):
    stack = uid(HIST)
    first = api.post(f"/stacks/{stack}/deployments").json()["response"]
    second = api.post(f"/stacks/{stack}/deployments", json={"services": ["web"]}).json()["response"]
    assert first["queued"] is False and second["queued"] is True
    assert second["async_action_id"] > first["async_action_id"]
    deployments = api.get(f"/stacks/{stack}/deployments").json()["response"]
    queued, running = deployments[0], deployments[1]
    assert queued["started_at"] is None and queued["is_deploying"] is False
    assert queued["finished_at"] is None and queued["outcome"] is None
    assert deployment_phase(Deployment.from_api(queued)) == "queued"
    assert running["is_deploying"] is True
    third = api.post(f"/stacks/{stack}/deployments").json()["response"]
    assert third["queued"] is True
    assert api.get(f"/stacks/{stack}/deployments").json()["response"][0]["id"] == queued["id"]
    world.advance(31)
    now = api.get(f"/stacks/{stack}/deployments").json()["response"]
    assert now[0]["id"] == queued["id"] and now[0]["is_deploying"] is True
    assert world.details(world.stacks[stack]).deployments[0].services == ["web"]
    assert now[1]["outcome"]["meaning"] == "success"
    assert Stack.from_api(_stack(api, stack)).is_deploying
    world.advance(31)
    assert _stack(api, stack)["status"] == 1
    assert _action(api, stack, third["async_action_id"]).finished_success is True


def test_cancel_running_deployment(api, world, uid):
    stack = uid(HIST)
    api.post(f"/stacks/{stack}/deployments")
    head = _head(api, stack)
    answer = api.delete(f"/stacks/{stack}/deployments/{head.id}")
    assert answer.status_code == 200
    assert answer.json()["response"]["message"] == "Cancelling deployment"
    cancelled = _head(api, stack)
    assert cancelled.outcome == "cancelled" and not cancelled.is_deploying
    assert cancelled.finished_at is not None and not cancelled.is_live
    assert _stack(api, stack)["status"] == 1
    again = api.delete(f"/stacks/{stack}/deployments/{head.id}")
    assert again.status_code == 409 and again.json()["error"] == "conflict"
    assert api.delete(f"/stacks/{stack}/deployments/1").status_code == 404


def test_cancel_running_starts_the_queued_one(api, uid):
    stack = uid(HIST)
    api.post(f"/stacks/{stack}/deployments")
    api.post(f"/stacks/{stack}/deployments")
    running = api.get(f"/stacks/{stack}/deployments").json()["response"][1]
    api.delete(f"/stacks/{stack}/deployments/{running['id']}")
    head = _head(api, stack)
    assert head.is_deploying and deployment_phase(head) == "deploying"


def test_cancel_queued_deployment(api, uid):
    stack = uid(HIST)
    api.post(f"/stacks/{stack}/deployments")
    queued_action = api.post(f"/stacks/{stack}/deployments").json()["response"]["async_action_id"]
    queued = _head(api, stack)
    assert api.delete(f"/stacks/{stack}/deployments/{queued.id}").status_code == 200
    assert _head(api, stack).outcome == "cancelled"
    assert _action(api, stack, queued_action).finished_success is False


def test_seeded_deploying_stack_finishes_on_its_own_clock(api, world, uid):
    stack = uid(seed.DEPLOYING_STACK)
    answer = api.post(f"/stacks/{stack}/deployments").json()["response"]
    assert answer["queued"] is True
    world.finish_all()
    assert _stack(api, stack)["status"] == 1
    assert world.pending == 0


def test_fail_next_deploy(api, root, world, uid):
    stack = uid(HIST)
    assert (
        root.post(
            "/_sandbox/fail-next",
            json={"kind": "deploy", "stack_uid": stack, "message": "bundle failed"},
        ).status_code
        == 200
    )
    action_id = api.post(f"/stacks/{stack}/deployments").json()["response"]["async_action_id"]
    world.finish_all()
    assert _stack(api, stack)["status"] == 2
    head = _head(api, stack)
    assert head.outcome == "failed" and not head.is_live
    action = _action(api, stack, action_id)
    assert action.finished_success is False and "bundle failed" in action.finished_message
    api.post(f"/stacks/{stack}/deployments")
    world.finish_all()
    assert _stack(api, stack)["status"] == 1


def test_legacy_redeploy_post_and_get(legacy, api, uid):
    stack = uid(HIST)
    posted = legacy.post(f"/stacks/{stack}/redeploy.json").json()["response"]
    assert posted == {"ok": True, "message": "Stack queued for redeployment"}
    got = legacy.get(f"/stacks/{stack}/redeploy").json()["response"]
    assert got["ok"] is True
    assert api.post(f"/stacks/{stack}/redeploy").status_code == 404  # a legacy page only
    # The git_ref is checked as on the deployments route, and a refused one queues nothing.
    before = len(api.get(f"/stacks/{stack}/deployments").json()["response"])
    for bad in ("a branch", "x" * 251):
        answer = legacy.post(f"/stacks/{stack}/redeploy", data={"git_ref": bad})
        assert answer.status_code == 400 and answer.json()["error"] == "bad_request", bad
    assert len(api.get(f"/stacks/{stack}/deployments").json()["response"]) == before


def test_legacy_restart_and_maintenance_and_setting(legacy, api, uid):
    stack = uid(HIST)
    restart = legacy.post(f"/stacks/{stack}/restart").json()["response"]
    assert restart == {"ok": True, "message": "Restart is queued"}
    on = legacy.post(f"/stacks/{stack}/maintenance_mode", data={"value": "1"}).json()["response"]
    assert on["maintenance"] is True and on["message"] == "Stack maintenance mode is on"
    assert _stack(api, stack)["maintenance_mode"] is True
    assert legacy.post(f"/stacks/{stack}/maintenance_mode").status_code == 400
    applied = legacy.post(
        f"/stacks/{stack}/setting", data={"setting_name": "asset.prefix", "setting_value": "/a"}
    )
    # The legacy page shows "ok" as the string "true".
    assert applied.json()["response"] == {"ok": "true", "message": "Setting applied"}
    assert api.get(f"/stacks/{stack}/settings/asset-prefix").json()["response"]["value"] == "/a"
    for path in ("restart", "maintenance_mode", "setting"):  # legacy pages only
        assert api.post(f"/stacks/{stack}/{path}").status_code == 404
    unknown = legacy.post(
        f"/stacks/{stack}/setting", data={"setting_name": "nope", "setting_value": 1}
    )
    assert unknown.status_code == 400


def test_stack_action_maintenance_mode_changes_data_when_finished(api, world, uid):
    stack = uid(HIST)
    answer = api.post(f"/stacks/{stack}/actions", json={"command": "maintenance_mode", "value": 1})
    assert answer.status_code == 200
    action = Action.from_api(answer.json()["response"])
    assert action.action == "maintenance_mode" and action.started_via == "api"
    assert not action.is_finished and action.user == "demo@example.com"
    assert _stack(api, stack)["maintenance_mode"] is False
    world.advance(3)
    assert _stack(api, stack)["maintenance_mode"] is True
    setting = api.get(f"/stacks/{stack}/settings/maintenance-mode").json()["response"]
    assert setting["value"] is True
    finished = _action(api, stack, action.id)
    assert finished.finished_success is True and finished.finished_at is not None


def test_action_ids_increase(api, uid):
    stack = uid(HIST)
    ids = [
        api.post(f"/stacks/{stack}/actions", data={"command": c}).json()["response"]["id"]
        for c in ("clear_caches", "restart", "clear_caches")
    ]
    assert ids == [ids[0], ids[0] + 1, ids[0] + 2]
    listed = [a["id"] for a in api.get(f"/stacks/{stack}/actions").json()["response"][:3]]
    assert listed == ids[::-1]


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"command": "explode"},
        {"command": "maintenance_mode"},
        {"command": "maintenance_mode", "value": "maybe"},
        {"command": "promote_slave_db"},
        {"command": "resync_slave_db", "server": "Ibex", "server_group": "oracle"},
        {"command": "container_restart"},
        {"command": "service_restart"},
    ],
)
def test_stack_action_bad_requests(api, uid, form):
    answer = api.post(f"/stacks/{uid(HIST)}/actions", data=form)
    assert answer.status_code == 400
    assert answer.json()["error"] == "bad_request"


def test_db_action_accepts_either_parameter_pair(api, uid):
    stack = uid(HIST)
    documented = {"command": "resync_slave_db", "server": "Ibex", "server_group": "postgresql"}
    go_style = {"command": "promote_slave_db", "server_uid": "abc", "db_type": "mysql"}
    assert api.post(f"/stacks/{stack}/actions", data=documented).status_code == 200
    assert api.post(f"/stacks/{stack}/actions", json=go_style).status_code == 200


def test_fail_next_action(api, root, world, uid):
    stack = uid(HIST)
    root.post("/_sandbox/fail-next", json={"kind": "action", "stack_uid": stack})
    answer = api.post(f"/stacks/{stack}/actions", data={"command": "maintenance_mode", "value": 1})
    world.advance(3)
    action = _action(api, stack, answer.json()["response"]["id"])
    assert action.finished_success is False and action.finished_message
    assert _stack(api, stack)["maintenance_mode"] is False


def test_stack_setting_update_lifecycle(api, world, uid):
    stack = uid(HIST)
    answer = api.put(f"/stacks/{stack}/settings/git-branch.json", data={"value": "release"})
    action = Action.from_api(answer.json()["response"])
    assert action.action == "stack-set: git.branch"
    assert api.get(f"/stacks/{stack}/settings/git-branch").json()["response"]["value"] == "main"
    world.advance(3)
    assert api.get(f"/stacks/{stack}/settings/git-branch").json()["response"]["value"] == "release"
    assert _stack(api, stack)["git_branch"] == "release"
    bool_setting = api.put(f"/stacks/{stack}/settings/reconfigure.nginx", json={"value": True})
    assert bool_setting.status_code == 200
    world.advance(3)
    assert (
        api.get(f"/stacks/{stack}/settings/reconfigure-nginx").json()["response"]["value"] is True
    )


@pytest.mark.parametrize(
    ("setting", "form", "status"),
    [
        ("stack-name", {"value": "x"}, 400),
        ("git-branch", {}, 400),
        ("reconfigure-nginx", {"value": "perhaps"}, 400),
        ("nope", {"value": "1"}, 404),
        ("git-branch", {"value": "  "}, 400),
    ],
)
def test_stack_setting_update_errors(api, uid, setting, form, status):
    answer = api.put(f"/stacks/{uid(HIST)}/settings/{setting}", data=form)
    assert answer.status_code == status


def test_server_setting_update(api, world, uid):
    stack = uid(HIST)
    server = api.get(f"/stacks/{stack}/servers").json()["response"][0]
    answer = api.put(
        f"/stacks/{stack}/servers/{server['uid']}/settings/server-name", data={"value": "Gazelle"}
    )
    action = answer.json()["response"]
    assert action["action"] == "server-set: server.name" and action["resource_type"] == "server"
    world.advance(3)
    assert (
        api.get(f"/stacks/{stack}/servers/{server['uid']}").json()["response"]["name"] == "Gazelle"
    )
    readonly = api.put(
        f"/stacks/{stack}/servers/{server['uid']}/settings/server-reboot-required",
        data={"value": "true"},
    )
    assert readonly.status_code == 400
    missing = api.put(f"/stacks/{stack}/servers/nope/settings/server-name", data={"value": "a"})
    assert missing.status_code == 404


def test_env_var_create_update_delete(api, world, uid):
    stack = uid(HIST)
    created = api.post(
        f"/stacks/{stack}/environments",
        data={"key": "NEW_FLAG", "value": "on", "apply_strategy": "deployment"},
    )
    action = created.json()["response"]
    assert action["action"] == "env-var-new"
    assert action["metadata"]["apply_strategy"] == "deployment"
    assert api.get(f"/stacks/{stack}/environments/NEW_FLAG").status_code == 404
    world.advance(3)
    var = api.get(f"/stacks/{stack}/environments/NEW_FLAG").json()["response"]
    assert var["value"] == "on"
    assert (
        api.get(f"/stacks/{stack}/environments/{var['id']}").json()["response"]["key"] == "NEW_FLAG"
    )
    duplicate = api.post(f"/stacks/{stack}/environments", data={"key": "NEW_FLAG", "value": "x"})
    assert duplicate.status_code == 400
    assert duplicate.json()["error_description"] == (
        "Another environment variable with the same key exists. Use PUT to change it."
    )
    updated = api.put(f"/stacks/{stack}/environments/NEW_FLAG", json={"value": "off"})
    assert updated.json()["response"]["action"] == "env-var-update"
    world.advance(3)
    var = api.get(f"/stacks/{stack}/environments/NEW_FLAG").json()["response"]
    assert var["value"] == "off" and var["history"][0]["value"] == "on"
    deleted = api.delete(f"/stacks/{stack}/environments/NEW_FLAG")
    assert deleted.status_code == 200 and deleted.content == b""  # as documented
    assert api.get(f"/stacks/{stack}/environments/NEW_FLAG").status_code == 404


def _env_keys(api, stack):
    env = []
    for page in (1, 2):
        env += api.get(f"/stacks/{stack}/environments", params={"page": page}).json()["response"]
    generated = next(e["key"] for e in env if e["is_generated"] and not e["readonly"])
    writable = next(e["key"] for e in env if not e["is_generated"] and not e["readonly"])
    return {
        "readonly": "STACK_PATH",
        "generated": generated,
        "writable": writable,
        "missing": "MISSING_KEY",
    }


@pytest.mark.parametrize(
    ("method", "kind", "form", "status"),
    [
        ("PUT", "readonly", {"value": "x"}, 400),
        ("DELETE", "readonly", {}, 400),
        ("PUT", "generated", {"value": "x"}, 200),  # generated but not read-only
        ("DELETE", "generated", {}, 400),
        ("PUT", "missing", {"value": "x"}, 404),
        ("DELETE", "missing", {}, 404),
        ("PUT", "writable", {}, 400),
        ("PUT", "writable", {"value": "x", "apply_strategy": "later"}, 400),
    ],
)
def test_env_var_refusals(api, uid, method, kind, form, status):
    stack = uid(HIST)
    key = _env_keys(api, stack)[kind]
    answer = api.request(method, f"/stacks/{stack}/environments/{key}", data=form)
    assert answer.status_code == status
    if status != 200:
        assert answer.json()["error"] == ("bad_request" if status == 400 else "not_found")


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"key": "A"},
        {"key": "1BAD", "value": "x"},
        {"key": "has space", "value": "x"},
        {"value": "x"},
    ],
)
def test_env_var_create_bad_requests(api, uid, form):
    assert api.post(f"/stacks/{uid(HIST)}/environments", data=form).status_code == 400


def test_job_run_now_records_arguments_and_changes_status(api, world, uid):
    stack = uid(HIST)
    job = api.get(f"/stacks/{stack}/jobs").json()["response"][0]
    answer = api.post(f"/stacks/{stack}/jobs/{job['uid']}/run_now", data={"job_args": "--fast 3"})
    action = answer.json()["response"]
    assert action["action"] == "job_run_now" and action["metadata"]["job_args"] == "--fast 3"
    assert api.get(f"/stacks/{stack}/jobs/{job['uid']}").json()["response"]["status"] == 1
    world.advance(3)
    after = api.get(f"/stacks/{stack}/jobs/{job['uid']}").json()["response"]
    assert after["status"] == 2 and "last_run_at" not in after
    done = _action(api, stack, action["id"])
    assert done.finished_success and "--fast 3" in done.finished_message


def test_job_run_now_via_get_with_json_args(api, world, uid):
    stack = uid(HIST)
    job = api.get(f"/stacks/{stack}/jobs").json()["response"][1]
    got = api.get(f"/stacks/{stack}/jobs/{job['uid']}/run_now", params={"job_args": "x"})
    assert got.json()["response"]["metadata"]["job_args"] == "x"


def test_job_run_now_with_a_json_list_of_args(api, world, uid):
    # The Go library's form: a JSON body whose `args` is a list of words.
    stack = uid(HIST)
    job = api.get(f"/stacks/{stack}/jobs").json()["response"][0]
    answer = api.post(
        f"/stacks/{stack}/jobs/{job['uid']}/run_now", json={"args": ["--verbose", 3]}
    )
    action = answer.json()["response"]
    assert action["metadata"]["job_args"] == "--verbose 3"
    world.finish_all()
    assert _action(api, stack, action["id"]).finished_message.endswith(
        "with arguments: --verbose 3"
    )


def test_job_run_fails_when_told(api, root, world, uid):
    stack = uid(HIST)
    job = api.get(f"/stacks/{stack}/jobs").json()["response"][0]
    root.post("/_sandbox/fail-next", json={"kind": "job", "stack_uid": stack, "message": "boom"})
    action = api.post(f"/stacks/{stack}/jobs/{job['uid']}/run_now").json()["response"]
    world.advance(3)
    assert api.get(f"/stacks/{stack}/jobs/{job['uid']}").json()["response"]["status"] == 3
    assert _action(api, stack, action["id"]).finished_message == "boom"


def test_job_pause_and_unpause(api, world, uid):
    stack = uid(HIST)
    job = api.get(f"/stacks/{stack}/jobs").json()["response"][0]
    for verb, expected in (("pause", True), ("unpause", False), ("pause", True)):
        answer = api.post(f"/stacks/{stack}/jobs/{job['uid']}/{verb}")
        assert answer.json()["response"]["action"] == "job_pause_handler"
        world.advance(3)
        assert (
            api.get(f"/stacks/{stack}/jobs/{job['uid']}").json()["response"]["paused"] is expected
        )
    assert api.post(f"/stacks/{stack}/jobs/nope/run_now").status_code == 404


def test_finish_all_settles_everything(api, world, uid):
    stack = uid(HIST)
    api.post(f"/stacks/{stack}/deployments")
    api.post(f"/stacks/{stack}/deployments")
    api.post(f"/stacks/{stack}/actions", data={"command": "restart"})
    world.finish_all()
    assert world.pending == 0
    assert all(a["finished_at"] for a in api.get(f"/stacks/{stack}/actions").json()["response"])
