"""The client reads every published sample without misreading a field.

Each test feeds a sample (``samples/``, see SOURCES) through the real client over an
httpx mock transport, or through the model the client uses, and checks the values a user
would see: codes and their names, outcome objects, each documented date form, ``cron:
null``, string and integer ids, lists whose counts disagree with their items.
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from c66tui.api import Cloud66Client
from c66tui.api.legacy import action_from_ack, settings_from_legacy
from c66tui.api.models import Deployment, Job, Stack
from c66tui.ops.deploy_state import deployment_phase
from tests.contract.published import SAMPLES, sample, sources

UID = "5999b763474b0eafa5fafb64bff0ba80"


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def serve(routes: dict[tuple[str, str], object]) -> httpx.MockTransport:
    """Answer ``(method, path)`` with the sample body given (bytes for a raw body)."""

    def handler(request: httpx.Request) -> httpx.Response:
        body = routes.get((request.method, request.url.path))
        if body is None:
            return httpx.Response(404, json={"error": "not_found"})
        if isinstance(body, bytes):
            return httpx.Response(200, content=body, headers={"content-type": "application/json"})
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handler)


def client(routes, base="https://app.cloud66.com/api/3") -> Cloud66Client:
    return Cloud66Client(base, "t0ken", transport=serve(routes), retries=1, backoff_base=0)


def test_every_sample_has_a_source():
    listed = sources()
    files = {
        str(p.relative_to(SAMPLES))
        for p in SAMPLES.rglob("*")
        if p.is_file() and p.name != "SOURCES"
    }
    assert files == set(listed)
    for repository, commit, path, section in listed.values():
        assert "/" in repository and len(commit) == 40 and path and section


async def test_stacks_codes_dates_and_hook():
    async with client({("GET", "/api/3/stacks"): sample("v3/stacks_list")}) as api:
        (stack,) = await api.list_stacks()
    assert stack.uid == UID and stack.name == "Awesome App"
    assert (stack.status, stack.status_name) == (1, "deployed")
    assert (stack.health, stack.health_name) == (3, "healthy")
    assert not stack.is_deploying and not stack.maintenance_mode
    assert stack.last_activity == at(2014, 8, 14, 1, 46, 53)  # +00:00 form
    assert stack.created_at == at(2014, 8, 14, 0, 38, 14)  # the _iso twin ("...Z")
    assert stack.raw["created_at"] == "2014-08-14 00:38:14 UTC"
    words = Stack.from_api({"uid": "x", "created_at": stack.raw["created_at"]})
    assert words.created_at == at(2014, 8, 14, 0, 38, 14)  # the "... UTC" form alone


async def test_legacy_stack_payload_without_envelope():
    base = "https://app.cloud66.com/api/2"
    uid = "46ae3ee56f94ff4b2be8c887f8a6d343"
    async with client({("GET", f"/api/2/stacks/{uid}"): sample("v2/stack_get")}, base) as api:
        stack = await api.get_stack(uid)
    assert (stack.status_name, stack.health_name) == ("deploy failed", "impaired")
    assert stack.maintenance_mode and stack.created_at == at(2013, 1, 25, 14, 13, 18)


async def test_deployments_outcome_objects_and_phase():
    routes = {
        ("GET", f"/api/3/stacks/{UID}/deployments"): sample("v3/deployments_list"),
        ("GET", f"/api/3/stacks/{UID}/deployments/107"): sample("v3/deployment_get"),
    }
    async with client(routes) as api:
        (listed,) = await api.list_deployments(UID)
        one = await api.get_deployment(UID, 107)
    for deployment in (listed, one):
        assert deployment.id == 107 and deployment.triggered_via == "web"
        assert deployment.outcome == "success" and deployment.succeeded
        assert deployment.duration_seconds == 727
        assert deployment.short_hash == "5675fcd" and deployment.is_live
        assert deployment_phase(deployment) == "success"
    running = dict(sample("v3/deployment_get")["response"], is_deploying=True, finished_at=None)
    assert deployment_phase(Deployment.from_api(running)) == "deploying"  # outcome ignored


async def test_redeploy_answers_of_both_doc_generations():
    for name, queued, action_id in (("v3/redeploy", False, None), ("2024/redeploy", True, 40)):
        routes = {("POST", f"/api/3/stacks/{UID}/deployments"): sample(name)}
        async with client(routes) as api:
            result = await api.redeploy(UID)
        assert result.ok and result.message == "Stack queued for redeployment"
        assert (result.queued, result.async_action_id) == (queued, action_id)


async def test_actions_with_string_resource_ids():
    routes = {
        ("GET", f"/api/3/stacks/{UID}/actions"): sample("v3/actions_list"),
        ("POST", f"/api/3/stacks/{UID}/actions"): sample("v3/action_run"),
        ("GET", f"/api/3/stacks/{UID}/actions/10"): sample("v3/action_get"),
    }
    async with client(routes) as api:
        (listed,) = await api.list_actions(UID)
        started = await api.run_stack_action(UID, "clear_caches")
        finished = await api.wait_for_action(UID, started.id, interval=0)
    assert listed.id == 10 and listed.resource_id == "283" and listed.is_finished
    assert not started.is_finished and started.finished_success is None
    assert finished.finished_success is True and finished.finished_at == at(2014, 9, 1, 19, 8, 9)


async def test_env_vars_counts_ids_history_and_flags():
    routes = {("GET", f"/api/3/stacks/{UID}/environments"): sample("v3/env_vars_list")}
    async with client(routes) as api:
        env = await api.list_env_vars(UID)
    # top-level count 30, pagination.count 4, four items: the items are what counts.
    assert [e.key for e in env] == [
        "STACK_GIT_BRANCH",
        "STACK_PATH",
        "POSTGRESQL_USERNAME",
        "POSTGRESQL_PASSWORD",
    ]
    branch, path, user, password = env
    assert branch.id == 4152 and branch.readonly and not branch.is_writable
    assert user.is_generated and not user.readonly and user.is_writable
    assert not user.is_deletable  # generated: may change, may not delete
    assert password.is_password and password.history == ()
    assert user.history[1]["value"] == "123"
    assert branch.created_at == at(2014, 8, 29, 17, 21, 25)


async def test_env_var_writes_and_the_empty_delete():
    empty = (SAMPLES / "v3/env_var_delete.body").read_bytes()
    routes = {
        ("POST", f"/api/3/stacks/{UID}/environments"): sample("v3/env_var_add"),
        ("PUT", f"/api/3/stacks/{UID}/environments/POSTGRESQL_SLAVE_ADDRESSES"): sample(
            "v3/env_var_update"
        ),
        ("DELETE", f"/api/3/stacks/{UID}/environments/MY_ENV_1"): empty,
    }
    async with client(routes) as api:
        added = await api.create_env_var(UID, "MY_ENVIRONMENT_VALUE", "SOME_VALUE")
        updated = await api.update_env_var(UID, "POSTGRESQL_SLAVE_ADDRESSES", "127.0.0.1")
        assert await api.delete_env_var(UID, "MY_ENV_1") is None
    assert (added.id, added.action) == (5, "env-var-new")
    assert (updated.id, updated.action) == (3, "env-var-update")


@pytest.mark.parametrize(
    ("name", "cron", "paused"),
    [("v3/jobs_list", "", False), ("2024/jobs_list", "01 00 1 * *", False)],
)
async def test_jobs_cron_null_and_status(name, cron, paused):
    async with client({("GET", f"/api/3/stacks/{UID}/jobs"): sample(name)}) as api:
        (job,) = await api.list_jobs(UID)
    assert job.cron == cron and job.paused is paused and len(job.uid) == 32
    assert job.status_name in ("success", "failed")
    assert job.created_at is not None and job.created_at.tzinfo is UTC
    assert Job.from_api(sample("v3/jobs_list")["response"][0]).params == {"task": "db:migrate"}


async def test_job_run_pause_unpause_actions():
    job = "98ee5a9b93919d9b63bd5377636675bd"
    routes = {
        ("POST", f"/api/3/stacks/{UID}/jobs/{job}/run_now"): sample("v3/job_run"),
        ("POST", f"/api/3/stacks/{UID}/jobs/{job}/pause"): sample("2024/job_pause"),
        ("POST", f"/api/3/stacks/{UID}/jobs/{job}/unpause"): sample("2024/job_unpause"),
    }
    async with client(routes) as api:
        run = await api.run_job(UID, job, "Arg1")
        paused = await api.pause_job(UID, job)
        resumed = await api.resume_job(UID, job)
    assert run.action == "job_run_now" and run.id == 2593
    assert paused.action == resumed.action == "job_pause_handler" and not paused.is_finished


async def test_settings_lists_with_and_without_ids():
    server = "f8468fc145ea49bac474b30a8fea888d"
    routes = {
        ("GET", f"/api/3/stacks/{UID}/settings"): sample("v3/settings_list"),
        ("GET", f"/api/3/stacks/{UID}/servers/{server}/settings"): sample(
            "v3/server_settings_list"
        ),
        ("PUT", f"/api/3/stacks/{UID}/settings/git-branch"): sample("v3/setting_update"),
    }
    async with client(routes) as api:
        stack_settings = await api.list_stack_settings(UID)
        server_settings = await api.list_server_settings(UID, server)
        action = await api.update_stack_setting(UID, "git.branch", "staging")
    # count 5, pagination.count 6, six items.
    assert len(stack_settings) == 6
    by_key = {s.key: s for s in stack_settings}
    assert by_key["stack.name"].readonly and "DNS" in by_key["stack.name"].warning_text
    assert by_key["allowed.web.source"].value is None and by_key["git.branch"].id == "git-branch"
    assert by_key["reconfigure.nginx"].display_value == "false"
    (name,) = server_settings  # no "id" in the sample: the path id is derived from the key
    assert name.path_id == "server-name" and name.readonly
    assert action.action == "stack-set: git.branch" and not action.is_finished


async def test_legacy_settings_and_acknowledgements():
    settings = settings_from_legacy(sample("v2/settings"))
    assert [(s.key, s.value, s.path_id) for s in settings] == [
        ("git.branch", "master", "git-branch"),
        ("git.repository", "https://github.com/cloud66/help.git", "git-repository"),
        ("reconfigure.nginx", "false", "reconfigure-nginx"),
    ]
    applied = action_from_ack(sample("v2/setting"), "update_stack_setting")  # "ok": "true"
    assert applied.is_finished and applied.finished_success is True
    assert applied.finished_message == "Setting applied"
    on = action_from_ack(sample("v2/maintenance_mode"), "set_maintenance_mode")
    assert on.finished_success is True
    restart = action_from_ack(sample("v2/restart"), "restart_stack")
    assert not restart.is_finished and restart.finished_message == "Restart is queued"


async def test_servers_groups_users_accounts():
    routes = {
        ("GET", f"/api/3/stacks/{UID}/servers"): sample("v3/servers_list"),
        ("GET", f"/api/3/stacks/{UID}/server_groups"): sample("v3/server_groups_list"),
        ("GET", "/api/3/users"): sample("v3/users_list"),
        ("GET", "/api/3/accounts"): sample("v3/accounts_list"),
    }
    async with client(routes) as api:
        (server,) = await api.list_servers(UID)
        groups = await api.list_server_groups(UID)
        users = await api.list_users()
        label = await api.account_label()
    assert server.health_name == "healthy" and server.server_type == "Cloud (DigitalOcean)"
    assert server.server_group_id == 128 and "web" in server.server_roles
    assert [(g.id, g.type) for g in groups] == [(128, "rails"), (129, "postgresql")]
    assert [u.email for u in users][:2] == ["jack@gmail.com", "jim@gmail.com"]
    # Two users are listed; neither is "the caller": the label names the account only.
    assert label == "account of test@cloud66.com"
