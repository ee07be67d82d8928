"""Writes and their life cycles: redeploy, queueing, cancel, actions, settings, env vars, jobs.

The states are read from the raw JSON fields, each answer held against its published
sample first (:mod:`tests.contract.documented`), never through the client's models.
"""

from __future__ import annotations

import pytest

from c66tui.sandbox import seed
from tests.contract.documented import (
    DEPLOY_FAILED,
    DEPLOYED,
    DEPLOYING,
    HEALTHY,
    JOB_FAILED,
    JOB_STARTED,
    JOB_SUCCESS,
    QUEUED,
    like_sample,
    meaning,
    moment,
    seconds_between,
)
from tests.contract.published import SAMPLES, sample

HIST = seed.HISTORY_STACK


def _stack(api, uid):
    return like_sample("v3/stack_get", api.get(f"/stacks/{uid}").json()["response"], "stack")


def _deployments(api, uid):
    listed = api.get(f"/stacks/{uid}/deployments").json()["response"]
    return [like_sample("v3/deployments_list", d) for d in listed]


def _head(api, uid):
    return _deployments(api, uid)[0]


def _action(api, uid, action_id):
    answer = api.get(f"/stacks/{uid}/actions/{action_id}").json()["response"]
    return like_sample("v3/action_get", answer, "action")


def _unfinished(action) -> bool:
    """An action still running: no finish time and no result yet."""
    return action["finished_at"] is None and action["finished_success"] is None


def _job(api, uid, job_uid):
    answer = api.get(f"/stacks/{uid}/jobs/{job_uid}").json()["response"]
    return like_sample("2024/jobs_list", answer, "job")


def test_redeploy_moves_status_5_6_1_and_records_the_deployment(api, world, uid):
    stack = uid(HIST)
    live_before = _head(api, stack)
    answer = api.post(f"/stacks/{stack}/deployments", data={"git_ref": "v1.4.2"})
    assert answer.status_code == 200
    result = like_sample("2024/redeploy", answer.json()["response"])
    assert result["ok"] is True and result["queued"] is False
    assert result["message"] == "Stack queued for redeployment"
    assert isinstance(result["async_action_id"], int) and result["async_action_id"] > 0
    assert _stack(api, stack)["status"] == QUEUED and "is_busy" not in _stack(api, stack)
    head = _head(api, stack)
    assert head["is_deploying"] is True and head["finished_at"] is None
    assert head["outcome"] is None and head["id"] > live_before["id"]
    assert head["triggered_by"] == "demo@example.com" and meaning(head["triggered_via"]) == "api"
    assert world.details(world.stacks[stack]).deployments[0].git_ref == "v1.4.2"
    assert "git_ref" not in head and len(head["git_hash"]) == 40
    assert head["commit_url"].endswith(head["git_hash"])
    assert head["is_live"] is False
    world.advance(5)
    assert _stack(api, stack)["status"] == DEPLOYING
    assert _unfinished(_action(api, stack, result["async_action_id"]))
    world.advance(30)
    after = _stack(api, stack)
    assert after["status"] == DEPLOYED and after["health"] == HEALTHY
    head = _head(api, stack)
    assert head["is_deploying"] is False and meaning(head["outcome"]) == "success"
    assert head["is_live"] is True and head["is_head"] is True
    assert seconds_between(head) == pytest.approx(30, abs=1)
    previous = api.get(f"/stacks/{stack}/deployments/{live_before['id']}").json()["response"]
    like_sample("v3/deployment_get", previous)
    assert previous["is_live"] is False and previous["is_head"] is False
    action = _action(api, stack, result["async_action_id"])
    assert action["finished_success"] is True and action["action"] == "application_deployment"
    assert moment(action["finished_at"]) >= moment(action["started_at"])


def test_second_redeploy_is_queued_and_runs_after_the_first(api, world, uid):
    stack = uid(HIST)
    first = api.post(f"/stacks/{stack}/deployments").json()["response"]
    second = api.post(f"/stacks/{stack}/deployments", json={"services": ["web"]}).json()["response"]
    like_sample("2024/redeploy", first)
    like_sample("2024/redeploy", second)
    assert first["queued"] is False and second["queued"] is True
    assert second["async_action_id"] > first["async_action_id"]
    deployments = _deployments(api, stack)
    queued, running = deployments[0], deployments[1]
    # Queued: neither started, deploying nor finished (the docs send no queued flag).
    assert queued["started_at"] is None and queued["is_deploying"] is False
    assert queued["finished_at"] is None and queued["outcome"] is None
    assert running["is_deploying"] is True and moment(running["started_at"])
    third = like_sample(
        "2024/redeploy", api.post(f"/stacks/{stack}/deployments").json()["response"]
    )
    assert third["queued"] is True
    assert _head(api, stack)["id"] == queued["id"]
    world.advance(31)
    now = _deployments(api, stack)
    assert now[0]["id"] == queued["id"] and now[0]["is_deploying"] is True
    assert world.details(world.stacks[stack]).deployments[0].services == ["web"]
    assert meaning(now[1]["outcome"]) == "success"
    assert _stack(api, stack)["status"] == QUEUED
    world.advance(31)
    assert _stack(api, stack)["status"] == DEPLOYED
    assert _action(api, stack, third["async_action_id"])["finished_success"] is True


def test_cancel_running_deployment(api, world, uid):
    stack = uid(HIST)
    api.post(f"/stacks/{stack}/deployments")
    head = _head(api, stack)
    answer = api.delete(f"/stacks/{stack}/deployments/{head['id']}")
    assert answer.status_code == 200
    cancel = like_sample("v3/deployment_cancel", answer.json()["response"])
    assert cancel == {"ok": True, "message": "Cancelling deployment"}
    cancelled = _head(api, stack)
    assert meaning(cancelled["outcome"]) == "cancelled" and cancelled["is_deploying"] is False
    assert moment(cancelled["finished_at"]) >= moment(cancelled["started_at"])
    assert cancelled["is_live"] is False
    assert _stack(api, stack)["status"] == DEPLOYED
    again = api.delete(f"/stacks/{stack}/deployments/{head['id']}")
    assert again.status_code == 409 and again.json()["error"] == "conflict"
    assert api.delete(f"/stacks/{stack}/deployments/1").status_code == 404


def test_cancel_running_starts_the_queued_one(api, uid):
    stack = uid(HIST)
    api.post(f"/stacks/{stack}/deployments")
    api.post(f"/stacks/{stack}/deployments")
    running = _deployments(api, stack)[1]
    api.delete(f"/stacks/{stack}/deployments/{running['id']}")
    head = _head(api, stack)
    assert head["is_deploying"] is True and head["finished_at"] is None
    assert head["outcome"] is None and moment(head["started_at"])


def test_cancel_queued_deployment(api, uid):
    stack = uid(HIST)
    api.post(f"/stacks/{stack}/deployments")
    queued_action = api.post(f"/stacks/{stack}/deployments").json()["response"]["async_action_id"]
    queued = _head(api, stack)
    assert api.delete(f"/stacks/{stack}/deployments/{queued['id']}").status_code == 200
    assert meaning(_head(api, stack)["outcome"]) == "cancelled"
    assert _action(api, stack, queued_action)["finished_success"] is False


def test_seeded_deploying_stack_finishes_on_its_own_clock(api, world, uid):
    stack = uid(seed.DEPLOYING_STACK)
    answer = api.post(f"/stacks/{stack}/deployments").json()["response"]
    assert answer["queued"] is True
    world.finish_all()
    assert _stack(api, stack)["status"] == DEPLOYED
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
    assert _stack(api, stack)["status"] == DEPLOY_FAILED
    head = _head(api, stack)
    assert meaning(head["outcome"]) == "failed" and head["is_live"] is False
    action = _action(api, stack, action_id)
    assert action["finished_success"] is False and "bundle failed" in action["finished_message"]
    api.post(f"/stacks/{stack}/deployments")
    world.finish_all()
    assert _stack(api, stack)["status"] == DEPLOYED


def test_legacy_redeploy_post_and_get(legacy, api, uid):
    stack = uid(HIST)
    posted = legacy.post(f"/stacks/{stack}/redeploy.json").json()["response"]
    assert (
        posted == {"ok": True, "message": "Stack queued for redeployment"} == sample("v2/redeploy")
    )
    got = legacy.get(f"/stacks/{stack}/redeploy").json()["response"]
    assert got == sample("v2/redeploy")
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
    assert restart == {"ok": True, "message": "Restart is queued"} == sample("v2/restart")
    on = legacy.post(f"/stacks/{stack}/maintenance_mode", data={"value": "1"}).json()["response"]
    assert on == sample("v2/maintenance_mode")
    assert _stack(api, stack)["maintenance_mode"] is True
    assert legacy.post(f"/stacks/{stack}/maintenance_mode").status_code == 400
    applied = legacy.post(
        f"/stacks/{stack}/setting", data={"setting_name": "asset.prefix", "setting_value": "/a"}
    )
    # The legacy page shows "ok" as the string "true".
    assert applied.json()["response"] == {"ok": "true", "message": "Setting applied"}
    assert applied.json()["response"] == sample("v2/setting")
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
    action = like_sample("v3/action_run", answer.json()["response"], "action")
    assert action["action"] == "maintenance_mode" and action["started_via"] == "api"
    assert _unfinished(action) and action["user"] == "demo@example.com"
    assert action["resource_type"] == "stack" and moment(action["started_at"])
    assert _stack(api, stack)["maintenance_mode"] is False
    world.advance(3)
    assert _stack(api, stack)["maintenance_mode"] is True
    setting = api.get(f"/stacks/{stack}/settings/maintenance-mode").json()["response"]
    assert like_sample("v3/setting_get", setting)["value"] is True
    finished = _action(api, stack, action["id"])
    assert finished["finished_success"] is True and moment(finished["finished_at"])


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
    assert action["finished_success"] is False and action["finished_message"]
    assert isinstance(action["finished_message"], str) and moment(action["finished_at"])
    assert _stack(api, stack)["maintenance_mode"] is False


def test_stack_setting_update_lifecycle(api, world, uid):
    stack = uid(HIST)
    answer = api.put(f"/stacks/{stack}/settings/git-branch.json", data={"value": "release"})
    action = like_sample("v3/setting_update", answer.json()["response"], "action")
    assert action["action"] == "stack-set: git.branch" and _unfinished(action)
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
    action = like_sample("v3/server_setting_update", answer.json()["response"], "action")
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
    action = like_sample("v3/env_var_add", created.json()["response"], "action")
    assert action["action"] == "env-var-new" and _unfinished(action)
    assert action["metadata"]["apply_strategy"] == "deployment"
    assert api.get(f"/stacks/{stack}/environments/NEW_FLAG").status_code == 404
    world.advance(3)
    var = api.get(f"/stacks/{stack}/environments/NEW_FLAG").json()["response"]
    assert like_sample("v3/env_var_get", var, "env_var")["value"] == "on"
    assert (
        api.get(f"/stacks/{stack}/environments/{var['id']}").json()["response"]["key"] == "NEW_FLAG"
    )
    duplicate = api.post(f"/stacks/{stack}/environments", data={"key": "NEW_FLAG", "value": "x"})
    assert duplicate.status_code == 400
    assert duplicate.json()["error_description"] == (
        "Another environment variable with the same key exists. Use PUT to change it."
    )
    updated = api.put(f"/stacks/{stack}/environments/NEW_FLAG", json={"value": "off"})
    updated_action = like_sample("v3/env_var_update", updated.json()["response"], "action")
    assert updated_action["action"] == "env-var-update"
    world.advance(3)
    var = api.get(f"/stacks/{stack}/environments/NEW_FLAG").json()["response"]
    assert var["value"] == "off" and var["history"][0]["value"] == "on"
    deleted = api.delete(f"/stacks/{stack}/environments/NEW_FLAG")
    documented = (SAMPLES / "v3/env_var_delete.body").read_bytes()
    assert deleted.status_code == 200 and deleted.content == documented == b""
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
    action = like_sample("v3/job_run", answer.json()["response"], "action")
    assert action["action"] == "job_run_now" and action["metadata"]["job_args"] == "--fast 3"
    assert _unfinished(action)
    assert _job(api, stack, job["uid"])["status"] == JOB_STARTED
    world.advance(3)
    after = _job(api, stack, job["uid"])
    assert after["status"] == JOB_SUCCESS and "last_run_at" not in after
    done = _action(api, stack, action["id"])
    assert done["finished_success"] is True and "--fast 3" in done["finished_message"]


def test_job_run_now_via_get_with_json_args(api, world, uid):
    stack = uid(HIST)
    job = api.get(f"/stacks/{stack}/jobs").json()["response"][1]
    got = api.get(f"/stacks/{stack}/jobs/{job['uid']}/run_now", params={"job_args": "x"})
    assert got.json()["response"]["metadata"]["job_args"] == "x"


def test_job_run_now_with_a_json_list_of_args(api, world, uid):
    # The Go library's form: a JSON body whose `args` is a list of words.
    stack = uid(HIST)
    job = api.get(f"/stacks/{stack}/jobs").json()["response"][0]
    answer = api.post(f"/stacks/{stack}/jobs/{job['uid']}/run_now", json={"args": ["--verbose", 3]})
    action = answer.json()["response"]
    assert action["metadata"]["job_args"] == "--verbose 3"
    world.finish_all()
    assert _action(api, stack, action["id"])["finished_message"].endswith(
        "with arguments: --verbose 3"
    )


def test_job_run_fails_when_told(api, root, world, uid):
    stack = uid(HIST)
    job = api.get(f"/stacks/{stack}/jobs").json()["response"][0]
    root.post("/_sandbox/fail-next", json={"kind": "job", "stack_uid": stack, "message": "boom"})
    action = api.post(f"/stacks/{stack}/jobs/{job['uid']}/run_now").json()["response"]
    world.advance(3)
    assert _job(api, stack, job["uid"])["status"] == JOB_FAILED
    done = _action(api, stack, action["id"])
    assert done["finished_message"] == "boom" and done["finished_success"] is False


def test_job_pause_and_unpause(api, world, uid):
    stack = uid(HIST)
    job = api.get(f"/stacks/{stack}/jobs").json()["response"][0]
    for verb, expected in (("pause", True), ("unpause", False), ("pause", True)):
        answer = api.post(f"/stacks/{stack}/jobs/{job['uid']}/{verb}")
        action = like_sample(f"2024/job_{verb}", answer.json()["response"], "action")
        assert action["action"] == "job_pause_handler" and _unfinished(action)
        world.advance(3)
        assert _job(api, stack, job["uid"])["paused"] is expected
    assert api.post(f"/stacks/{stack}/jobs/nope/run_now").status_code == 404


def test_finish_all_settles_everything(api, world, uid):
    stack = uid(HIST)
    api.post(f"/stacks/{stack}/deployments")
    api.post(f"/stacks/{stack}/deployments")
    api.post(f"/stacks/{stack}/actions", data={"command": "restart"})
    world.finish_all()
    assert world.pending == 0
    actions = api.get(f"/stacks/{stack}/actions").json()["response"]
    assert all(moment(like_sample("v3/actions_list", a, "action")["finished_at"]) for a in actions)
