"""API routes: deployments (history, redeploy, cancel) and stack actions."""

from __future__ import annotations

from c66tui.sandbox.envelope import ack, bad_request, single
from c66tui.sandbox.params import git_ref_param
from c66tui.sandbox.routing import API, Ctx

DB_GROUPS = {"all", "mysql", "postgresql", "redis", "mongodb"}


@API.route("GET", "/stacks/{uid}/deployments")
def list_deployments(ctx: Ctx):
    return ctx.listed(ctx.details().deployments)


@API.route("GET", "/stacks/{uid}/deployments/{id}")
def get_deployment(ctx: Ctx):
    return single(ctx.sandbox.find_deploy(ctx.stack(), ctx.params["id"]).to_api())


@API.route("POST", "/stacks/{uid}/deployments", scope="redeploy")
def redeploy(ctx: Ctx):
    """Redeploy; see :meth:`Sandbox.redeploy` for how a redeploy during a deploy queues.
    An empty ``git_ref`` is absent: the Go library sends ``""`` when no ref is given."""
    stack = ctx.stack()
    git_ref = git_ref_param(ctx)
    services = ctx.items("services") or ctx.items("services_filter")
    for name in ("deploy_strategy", "rollout_strategy", "deployment_profile", "user_reference"):
        ctx.text(name)
    queued, action = ctx.sandbox.redeploy(stack, user=ctx.user, git_ref=git_ref, services=services)
    return ack("Stack queued for redeployment", queued=queued, async_action_id=action.id)


@API.route("DELETE", "/stacks/{uid}/deployments/{id}", scope="redeploy")
def cancel_deployment(ctx: Ctx):
    ctx.sandbox.cancel_deploy(ctx.stack(), ctx.params["id"])
    return ack("Cancelling deployment")


@API.route("GET", "/stacks/{uid}/actions")
def list_actions(ctx: Ctx):
    actions = ctx.details().actions
    reference = ctx.query.get("user_reference")
    if reference:
        actions = [a for a in actions if a.metadata.get("user_reference") == reference]
    return ctx.listed(actions)


@API.route("GET", "/stacks/{uid}/actions/{id}")
def get_action(ctx: Ctx):
    return single(ctx.sandbox.find_action(ctx.stack(), ctx.params["id"]).to_api())


def changes_maintenance(ctx: Ctx) -> bool:
    """Whether a stack action is a lasting change: only maintenance mode is (restarts,
    cache clears and the like are events, like deploys)."""
    return (ctx.text("command") or "").strip() == "maintenance_mode"


@API.route("POST", "/stacks/{uid}/actions", scope="redeploy", keep=changes_maintenance)
def create_action(ctx: Ctx):
    stack = ctx.stack()
    sandbox = ctx.sandbox
    command = ctx.text("command", required=True, allow_empty=False).strip()
    metadata = {}
    reference = ctx.text("user_reference")
    if reference:
        metadata["user_reference"] = reference
    effect = None
    if command == "maintenance_mode":
        on = ctx.flag("value", required=True)
        metadata["value"] = int(on)

        def effect(at: float, on=on) -> str:
            sandbox.set_maintenance(stack, on)
            return f"Maintenance mode {'enabled' if on else 'disabled'}"

    elif command in ("clear_caches", "restart"):
        pass
    elif command in ("promote_slave_db", "resync_slave_db", "disable_replication_slave_db"):
        server = ctx.text("server") or ctx.text("server_uid")
        group = ctx.text("server_group") or ctx.text("db_type")
        if not server or not group:
            raise bad_request("Missing parameter: server", "server and server_group are required")
        if group not in DB_GROUPS:
            raise bad_request("Invalid parameter: server_group", f"one of {sorted(DB_GROUPS)}")
        metadata.update(server=server, server_group=group)
    elif command == "container_restart":
        metadata["container"] = ctx.text("container", required=True, allow_empty=False)
    elif command in ("service_restart", "service_pause", "service_resume"):
        metadata["service_name"] = ctx.text("service_name", required=True, allow_empty=False)
    elif command in ("process_pause", "process_resume", "process_restart"):
        metadata["process_name"] = ctx.text("process_name")
    else:
        raise bad_request("Invalid parameter: command", f"Unknown command {command!r}")
    action = sandbox.start_action(stack, command, user=ctx.user, metadata=metadata, effect=effect)
    return single(action.to_api())
