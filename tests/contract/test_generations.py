"""Which API generation each request goes to, proven on the wire.

Every client operation is run against the sandbox (a real loopback server) once on a
``/api/2`` base and once on an ``/api/3`` base, and the sandbox's request log is read back:
on ``/api/2`` no request for a v3-only resource ever reaches ``/api/2`` (they go to the
``/api/3`` sibling), the legacy-documented ones use their legacy paths, and every
operation succeeds (the strict sandbox 404s anything else there).
"""

from __future__ import annotations

import pytest

from c66tui.api import Cloud66Client
from c66tui.api.routes import ROUTES, V2, ApiBase, find_legacy_routes, find_routes
from c66tui.sandbox import Sandbox, seed


async def _every_operation(api: Cloud66Client, world: Sandbox) -> None:
    """Call every operation of the route table once (reads first, then writes)."""
    stack = world.find_stack(seed.HISTORY_STACK)
    details = world.details(stack)
    uid, server, job = stack.uid, details.servers[0].uid, details.jobs[0].uid
    key = next(e.key for e in details.env if not e.readonly and not e.is_generated)
    await api.list_stacks()
    await api.get_stack(uid)
    await api.list_servers(uid)
    await api.list_server_groups(uid)
    await api.list_stack_settings(uid)
    await api.list_server_settings(uid, server)
    deployments = await api.list_deployments(uid)
    await api.get_deployment(uid, deployments[0].id)
    await api.list_env_vars(uid)
    await api.list_jobs(uid)
    await api.get_job(uid, job)
    actions = await api.list_actions(uid)
    await api.get_action(uid, actions[0].id)
    await api.list_accounts()
    await api.list_users()
    assert await api.ping() and await api.ping_auth()
    assert "=" in await api.download_env_vars(uid)
    assert "PRIVATE KEY" in (await api.get_server_key(uid, server)).reveal()
    await api.open_lease(uid, minutes=5)
    await api.update_stack_setting(uid, "asset.prefix", "/x")
    await api.update_server_setting(uid, server, "server.name", "Kestrel")
    await api.create_env_var(uid, "C66TUI_NEW", "1")
    await api.update_env_var(uid, key, "2")
    await api.delete_env_var(uid, key)
    await api.run_job(uid, job, "--now")
    await api.pause_job(uid, job)
    await api.resume_job(uid, job)
    await api.run_stack_action(uid, "clear_caches")
    await api.set_maintenance_mode(uid, True)
    await api.restart_stack(uid)
    await api.redeploy(uid)
    await api.redeploy(uid, git_ref="main")  # the legacy form takes no ref: v3 form
    running = (await api.list_deployments(uid))[0]
    await api.cancel_deployment(uid, running.id)


@pytest.mark.parametrize("generation", ["2", "3"])
async def test_every_operation_goes_where_its_generation_documents_it(sandbox, generation):
    world = sandbox.sandbox
    base = sandbox.api2_url if generation == "2" else sandbox.api3_url
    world.clear_log()
    async with Cloud66Client(base, Sandbox.DEMO_TOKEN, retries=1) as api:
        await _every_operation(api, world)
    used: set[str] = set()
    for entry in world.request_log:
        method, path, status = entry["method"], entry["path"], entry["status"]
        assert 200 <= status < 300, (method, path, status)
        prefix, rest = path[:6], path[6:]
        if prefix == "/api/2":
            specs = find_legacy_routes(method, rest)
            assert specs, f"{method} {path}: not a legacy-documented request"
            assert all(V2 in spec.generations for spec in specs)
        else:
            assert prefix == "/api/3", path
            specs = find_routes(method, rest)
            assert specs, f"{method} {path}: not in the route table"
            if generation == "2":
                # On a legacy base only what the legacy form cannot say goes to v3.
                assert any(s.v3_only or s.name == "redeploy" for s in specs), (method, path)
        used.update(spec.name for spec in specs)
    if generation == "3":
        assert not [e for e in world.request_log if e["path"].startswith("/api/2")]
    assert used == set(ROUTES), set(ROUTES) - used  # every route was exercised


def test_no_v3_only_route_resolves_to_an_api_2_base():
    base = ApiBase("https://app.cloud66.com/api/2")
    ids = {"uid": "u", "id": "1", "key": "K", "server_uid": "s", "job_uid": "j"}
    for spec in ROUTES.values():
        target = base.target(spec.name, **ids)
        if spec.v3_only:
            assert target.url.startswith("https://app.cloud66.com/api/3/"), spec.name
        else:
            assert target.legacy and not target.url.startswith("http"), spec.name
    assert ApiBase("https://app.cloud66.com/api/3").target("list_jobs", uid="u").url == (
        "/stacks/u/jobs"
    )
    # A path given directly is routed the same way (the login check sends /users).
    assert base.target_for_path("GET", "/users").url == "https://app.cloud66.com/api/3/users"
    assert base.target_for_path("GET", "/stacks").url == "/stacks"


def test_every_route_names_its_source():
    for spec in ROUTES.values():
        assert spec.scope in {"public", "redeploy", "jobs", "users", "admin"}, spec.name
        assert "/" in spec.source and spec.path.startswith("/"), spec.name
        if spec.legacy:
            assert spec.legacy.source.startswith("cloud66/help-old _posts/api/"), spec.name
