"""The legacy v2 surface, served under ``/api/2``: only what cloud66/help-old's
``_posts/api/`` pages document (stacks, stack settings, redeploy, restart, maintenance
mode, servers, server groups, cloud status). Everything else is a 404 there, as it may be
on the real ``/api/2``; the v3 routes live in the other ``routes_*`` modules.

Answers use the ``response`` envelope (every v2 client reads it) around the fields the
legacy pages list; writes answer ``{"ok": true, "message": ...}``.
"""

from __future__ import annotations

from c66tui.sandbox import legacy_json
from c66tui.sandbox.envelope import (
    ApiError,
    ack,
    bad_request,
    not_found,
    paged,
    scalar,
    single,
)
from c66tui.sandbox.params import coerce_value, git_ref_param
from c66tui.sandbox.routing import LEGACY, Ctx


@LEGACY.route("GET", "/stacks")
def list_stacks(ctx: Ctx):
    stacks = ctx.sandbox.ordered_stacks()
    return paged(stacks, ctx.page(), lambda s: legacy_json.stack(s, with_hook=ctx.sees_hook))


@LEGACY.route("GET", "/stacks/{uid}")
def get_stack(ctx: Ctx):
    return single(legacy_json.stack(ctx.stack(), with_hook=ctx.sees_hook))


@LEGACY.route("GET", "/stacks/{uid}/status")
def stack_status(ctx: Ctx):
    return scalar(ctx.stack().legacy_status)


@LEGACY.route("GET", "/users/cloud_status")
def cloud_status(ctx: Ctx):
    return scalar("Healthy")


@LEGACY.route("GET", "/stacks/{uid}/settings")
def list_settings(ctx: Ctx):
    return single(legacy_json.settings(ctx.details().settings))


@LEGACY.route("POST", "/stacks/{uid}/setting", scope="admin", keep=True)
def set_setting(ctx: Ctx):
    stack = ctx.stack()
    name = ctx.text("setting_name", required=True, allow_empty=False).strip()
    settings = ctx.sandbox.details(stack).settings
    key = name if name in settings else name.replace("-", ".")
    if key not in settings:
        raise ApiError(400, "Setting not found", details=f"No setting named {name}")
    setting = settings[key]
    if setting.readonly:
        raise bad_request("Setting is read-only", f"{key} cannot be changed")
    if stack.busy:
        raise bad_request("Stack is deploying or failed", "Try again once the deploy ends")
    value = coerce_value(setting, ctx.raw("setting_value"))
    ctx.sandbox.apply_stack_setting(stack, key, value)
    return single({"ok": "true", "message": "Setting applied"})


@LEGACY.route("POST GET", "/stacks/{uid}/redeploy", scope="redeploy")
def redeploy(ctx: Ctx):
    """Documented as GET (2014 page) and POST (2013 page, every client); both accepted."""
    stack = ctx.stack()
    queued, action = ctx.sandbox.redeploy(stack, user=ctx.user, git_ref=git_ref_param(ctx))
    return ack("Stack queued for redeployment")


@LEGACY.route("POST", "/stacks/{uid}/restart", scope="redeploy")
def restart(ctx: Ctx):
    ctx.sandbox.start_action(ctx.stack(), "restart", user=ctx.user)
    return ack("Restart is queued")


@LEGACY.route("POST", "/stacks/{uid}/maintenance_mode", scope="redeploy", keep=True)
def maintenance(ctx: Ctx):
    stack = ctx.stack()
    on = ctx.flag("value", required=True)
    sandbox = ctx.sandbox
    sandbox.set_maintenance(stack, on)
    action = sandbox.start_action(
        stack, "maintenance_mode", user=ctx.user, metadata={"value": int(on)}, auto_finish=False
    )
    sandbox.finish_action(action, sandbox.clock.now(), True, "Completed")
    return ack(f"Stack maintenance mode is {'on' if on else 'off'}", maintenance=on)


@LEGACY.route("GET", "/stacks/{uid}/servers")
def list_servers(ctx: Ctx):
    servers = ctx.details().servers
    return paged(servers, ctx.page(), legacy_json.server)


@LEGACY.route("GET", "/stacks/{uid}/server_groups")
def list_groups(ctx: Ctx):
    groups = ctx.details().groups
    return paged(groups, ctx.page(), legacy_json.group)


@LEGACY.route("GET", "/stacks/{uid}/server_groups/{id}")
def get_group(ctx: Ctx):
    return single(legacy_json.group(ctx.sandbox.find_group(ctx.stack(), ctx.params["id"])))


@LEGACY.route("GET", "/stacks/{uid}/server_groups/{id}/servers")
def list_group_servers(ctx: Ctx):
    stack = ctx.stack()
    group = ctx.sandbox.find_group(stack, ctx.params["id"])
    servers = [s for s in ctx.sandbox.details(stack).servers if s.group_id == group.id]
    return paged(servers, ctx.page(), legacy_json.server)


@LEGACY.route("GET", "/stacks/{uid}/server_groups/{id}/servers/{server_uid}")
def get_group_server(ctx: Ctx):
    stack = ctx.stack()
    group = ctx.sandbox.find_group(stack, ctx.params["id"])
    server = ctx.sandbox.find_server(stack, ctx.params["server_uid"])
    if server.group_id != group.id:
        raise not_found("Server", ctx.params["server_uid"])
    return single(legacy_json.server(server))
