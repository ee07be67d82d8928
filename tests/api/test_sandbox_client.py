"""Every client method against the sandbox over a real loopback socket."""

from __future__ import annotations

import pytest

from c66tui.api import Secret
from c66tui.api.errors import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    MissingScopeError,
    NotFoundError,
)
from c66tui.sandbox import seed

from .conftest import make_client


def uid_of(sandbox, name: str) -> str:
    return sandbox.sandbox.find_stack(name).uid


async def test_list_and_get_stacks(api, sandbox):
    stacks = await api.list_stacks()
    assert len(stacks) == seed.DEFAULT_STACK_COUNT
    assert len({s.uid for s in stacks}) == len(stacks)
    expected = [s.uid for s in sandbox.sandbox.ordered_stacks()]
    assert [s.uid for s in stacks] == expected
    assert api.request_count == 2  # 40 stacks = 2 pages of 30
    deploying = await api.get_stack(uid_of(sandbox, seed.DEPLOYING_STACK))
    assert deploying.name == seed.DEPLOYING_STACK and deploying.is_deploying
    assert deploying.last_activity is not None and deploying.created_at is not None
    assert api.rate_limit.limit == 3600 and 0 < api.rate_limit.remaining < 3600


async def test_read_a_stack_in_detail(api, sandbox):
    uid = uid_of(sandbox, seed.HISTORY_STACK)
    deployments = await api.list_deployments(uid)
    assert deployments and deployments[0].id is not None
    assert (await api.get_deployment(uid, deployments[0].id)).id == deployments[0].id
    world = sandbox.sandbox.details(sandbox.sandbox.stacks[uid])
    servers = await api.list_servers(uid)
    groups = await api.list_server_groups(uid)
    assert sorted(s.uid for s in servers) == sorted(s.uid for s in world.servers)
    assert sorted((g.id, g.name) for g in groups) == sorted((g.id, g.name) for g in world.groups)
    assert {s.server_group_id for s in servers} <= {g.id for g in groups}
    server_settings = await api.list_server_settings(uid, servers[0].uid)
    assert server_settings and all(s.key for s in server_settings)
    settings = await api.list_stack_settings(uid)
    assert any(s.key == "git.branch" for s in settings)
    env = await api.list_env_vars(uid)
    assert env and all(e.key for e in env)
    assert sorted(e.key for e in env) == sorted(e.key for e in world.env)
    jobs = await api.list_jobs(uid)
    assert sorted((j.uid, j.name) for j in jobs) == sorted((j.uid, j.name) for j in world.jobs)
    assert (await api.get_job(uid, jobs[0].uid)).name == jobs[0].name
    actions = await api.list_actions(uid)
    assert actions, "every seeded stack has an action history"
    assert (await api.get_action(uid, actions[0].id)).id == actions[0].id


async def test_accounts_users_and_account_label(api):
    accounts = await api.list_accounts()
    assert accounts and accounts[0].owner
    assert (await api.get_account()).id == accounts[0].id
    users = await api.list_users()
    assert any(u.email == seed.DEMO_EMAIL for u in users)
    assert await api.account_label() == f"account of {accounts[0].owner}"


async def test_redeploy_and_follow_its_action(api, sandbox):
    uid = uid_of(sandbox, seed.QUIET_STACK)
    before = await api.list_deployments(uid)
    result = await api.redeploy(uid, git_ref="main")
    assert result.ok and not result.queued and result.async_action_id
    assert result.message == "Stack queued for redeployment"  # the API's own words
    running = await api.get_stack(uid)
    assert running.is_deploying
    sandbox.sandbox.advance(sandbox.sandbox.config.deploy_seconds + 60)
    action = await api.wait_for_action(uid, result.async_action_id, interval=0.01)
    assert action.is_finished and action.finished_success
    after = await api.list_deployments(uid)
    assert len(after) == len(before) + 1
    assert not (await api.get_stack(uid)).is_deploying


async def test_redeploy_while_deploying_is_queued(api, sandbox):
    uid = uid_of(sandbox, seed.DEPLOYING_STACK)
    result = await api.redeploy(uid, services=["web"])
    assert result.ok and result.queued


async def test_cancel_deployment(api, sandbox):
    uid = uid_of(sandbox, seed.DEPLOYING_STACK)
    running = [d for d in await api.list_deployments(uid) if d.is_deploying]
    assert running
    answer = await api.cancel_deployment(uid, running[0].id)
    assert answer.get("ok") is True
    cancelled = await api.get_deployment(uid, running[0].id)
    assert not cancelled.is_deploying
    assert not (await api.get_stack(uid)).is_deploying
    with pytest.raises(ConflictError):  # it has ended: a second cancel is refused
        await api.cancel_deployment(uid, running[0].id)


async def test_stack_actions_and_maintenance(api, sandbox):
    uid = uid_of(sandbox, seed.QUIET_STACK)
    action = await api.run_stack_action(uid, "clear_caches")
    assert action.id and not action.is_finished and action.action
    on = await api.set_maintenance_mode(uid, True)
    sandbox.sandbox.finish_all()
    assert (await api.wait_for_action(uid, on.id, interval=0.01)).finished_success
    assert (await api.get_stack(uid)).maintenance_mode


async def test_settings_updates(api, sandbox):
    uid = uid_of(sandbox, seed.QUIET_STACK)
    action = await api.update_stack_setting(uid, "git.branch", "release")
    assert action.id
    sandbox.sandbox.finish_all()
    settings = {s.key: s for s in await api.list_stack_settings(uid)}
    assert settings["git.branch"].value == "release"
    readonly = next(s for s in settings.values() if s.readonly)
    with pytest.raises(BadRequestError) as info:
        await api.update_stack_setting(uid, readonly.key, "x")
    assert "read-only" in info.value.message
    server = (await api.list_servers(uid))[0]
    setting = next(s for s in await api.list_server_settings(uid, server.uid) if not s.readonly)
    assert (await api.update_server_setting(uid, server.uid, setting.key, setting.value)).id


async def test_env_var_lifecycle(api, sandbox):
    uid = uid_of(sandbox, seed.QUIET_STACK)
    created = await api.create_env_var(uid, "C66TUI_TEST", "one")
    assert created.id
    sandbox.sandbox.finish_all()
    with pytest.raises(BadRequestError) as info:
        await api.create_env_var(uid, "C66TUI_TEST", "again")
    # The text the cx toolbelt compares with, word for word.
    assert info.value.description == (
        "Another environment variable with the same key exists. Use PUT to change it."
    )
    assert (await api.update_env_var(uid, "C66TUI_TEST", "two", apply_strategy="immediately")).id
    sandbox.sandbox.finish_all()
    values = {e.key: e.value for e in await api.list_env_vars(uid)}
    assert values["C66TUI_TEST"] == "two"
    # The documented answer to a delete is an empty 200: no action to follow.
    assert await api.delete_env_var(uid, "C66TUI_TEST") is None
    assert "C66TUI_TEST" not in {e.key for e in await api.list_env_vars(uid)}


async def test_jobs_run_pause_resume(api, sandbox):
    uid = uid_of(sandbox, seed.HISTORY_STACK)
    job = (await api.list_jobs(uid))[0]
    run = await api.run_job(uid, job.uid, args="--verbose")
    assert run.id and run.action == "job_run_now"
    sandbox.sandbox.finish_all()
    assert (await api.wait_for_action(uid, run.id, interval=0.01)).finished_success
    assert (await api.pause_job(uid, job.uid)).id
    assert (await api.resume_job(uid, job.uid)).id


async def test_authentication_errors(sandbox):
    async with make_client(sandbox.api_url, Secret("not-a-real-token")) as api:
        with pytest.raises(AuthenticationError) as info:
            await api.list_stacks()
        assert info.value.status == 401 and "Log in again" in info.value.message
        assert api.request_count == 1  # not retried
    token = sandbox.sandbox.mint_token(["public"])
    sandbox.sandbox.revoke_token(token)
    async with make_client(sandbox.api_url, token) as api:
        with pytest.raises(AuthenticationError):
            await api.get_stack(uid_of(sandbox, seed.QUIET_STACK))


async def test_missing_scopes_are_named(sandbox):
    token = sandbox.sandbox.mint_token(["public"])
    uid = uid_of(sandbox, seed.QUIET_STACK)
    async with make_client(sandbox.api_url, token) as api:
        assert (await api.get_stack(uid)).uid == uid
        with pytest.raises(MissingScopeError) as info:
            await api.redeploy(uid)
        assert info.value.scope == "redeploy"
        assert info.value.message == (
            "Your token does not have the 'redeploy' scope needed for this. "
            "Log in again and grant it."
        )
        with pytest.raises(MissingScopeError) as info:
            await api.list_env_vars(uid)
        assert info.value.scope == "admin"
        with pytest.raises(MissingScopeError) as info:
            await api.update_stack_setting(uid, "git.branch", "x")
        assert info.value.scope == "admin"
        assert await api.get_account() is None
        assert await api.account_label() == ""
    assert len([e for e in sandbox.sandbox.request_log if e["method"] == "POST"]) == 1


async def test_not_found_and_bad_request(api, sandbox):
    with pytest.raises(NotFoundError) as info:
        await api.get_stack("0" * 32)
    assert "could not find that stack" in info.value.message
    assert info.value.description == "Stack not found"
    uid = uid_of(sandbox, seed.QUIET_STACK)
    with pytest.raises(NotFoundError) as info:
        await api.get_job(uid, "f" * 32)
    assert "job" in info.value.message
    with pytest.raises(BadRequestError) as info:
        await api.redeploy(uid, git_ref="not a ref")
    assert "git_ref" in info.value.message
    with pytest.raises(BadRequestError):
        await api.run_stack_action(uid, "explode")


async def test_account_header_and_api3(sandbox):
    api_url = sandbox.api3_url
    from c66tui.sandbox import Sandbox

    async with make_client(api_url, Sandbox.DEMO_TOKEN, account_id=4021) as api:
        assert len(await api.list_stacks()) == seed.DEFAULT_STACK_COUNT


async def test_a_legacy_base_names_missing_scopes_of_v3_requests_too(sandbox):
    token = sandbox.sandbox.mint_token(["public"])
    async with make_client(sandbox.api2_url, token) as api:
        uid = uid_of(sandbox, seed.QUIET_STACK)
        assert (await api.list_stack_settings(uid))[0].key  # the legacy form, public
        with pytest.raises(MissingScopeError) as info:
            await api.list_env_vars(uid)  # v3 only: sent to the /api/3 sibling
        assert info.value.scope == "admin"
        with pytest.raises(MissingScopeError) as info:
            await api.update_stack_setting(uid, "git.branch", "x")  # legacy POST /setting
        assert info.value.scope == "admin"
    paths = [e["path"] for e in sandbox.sandbox.request_log]
    assert any(p.startswith("/api/3/stacks/") and "/environments" in p for p in paths)
    assert any(p.endswith("/setting") and p.startswith("/api/2/") for p in paths)
