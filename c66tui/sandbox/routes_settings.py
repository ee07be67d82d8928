"""API routes: stack settings and server settings (list, get, update through an action)."""

from __future__ import annotations

from c66tui.sandbox.envelope import ApiError, bad_request, not_found, paged, single
from c66tui.sandbox.params import coerce_value
from c66tui.sandbox.records import SettingRec
from c66tui.sandbox.routing import API, Ctx


def _find(settings: dict[str, SettingRec], ident: str) -> SettingRec:
    key = ident if ident in settings else ident.replace("-", ".")
    if key not in settings:
        raise not_found("Setting", ident)
    return settings[key]


def _sorted(settings: dict[str, SettingRec]) -> list[SettingRec]:
    return sorted(settings.values(), key=lambda s: s.key)


@API.route("GET", "/stacks/{uid}/settings")
def list_settings(ctx: Ctx):
    settings = ctx.details().settings
    return ctx.listed(_sorted(settings))


@API.route("GET", "/stacks/{uid}/settings/{id}")
def get_setting(ctx: Ctx):
    setting = _find(ctx.details().settings, ctx.params["id"])
    return single({"key": setting.key, "value": setting.value})


@API.route("PUT PATCH", "/stacks/{uid}/settings/{id}", scope="admin", keep=True)
def update_setting(ctx: Ctx):
    stack = ctx.stack()
    sandbox = ctx.sandbox
    setting = _find(sandbox.details(stack).settings, ctx.params["id"])
    if setting.readonly:
        raise bad_request("Setting is read-only", f"{setting.key} cannot be changed")
    value = coerce_value(setting, ctx.raw("value"))

    def effect(at: float) -> str:
        sandbox.apply_stack_setting(stack, setting.key, value)
        return f"{setting.key} set"

    action = sandbox.start_action(
        stack,
        f"stack-set: {setting.key}",
        user=ctx.user,
        metadata={"key": setting.key, "value": value},
        effect=effect,
    )
    return single(action.to_api())


def _server_settings(ctx: Ctx):
    stack = ctx.stack()
    details = ctx.sandbox.details(stack)
    server_uid = ctx.params["server_uid"]
    if server_uid not in details.server_settings:
        raise not_found("Server", server_uid)
    return stack, details.server_settings[server_uid]


@API.route("GET", "/stacks/{uid}/servers/{server_uid}/settings")
def list_server_settings(ctx: Ctx):
    _stack, settings = _server_settings(ctx)
    page = ctx.page()
    return paged(_sorted(settings), page, lambda s: s.to_server_api())


@API.route("GET", "/stacks/{uid}/servers/{server_uid}/settings/{id}")
def get_server_setting(ctx: Ctx):
    _stack, settings = _server_settings(ctx)
    setting = _find(settings, ctx.params["id"])
    return single({"key": setting.key, "value": setting.value})


@API.route(
    "PUT PATCH", "/stacks/{uid}/servers/{server_uid}/settings/{id}", scope="admin", keep=True
)
def update_server_setting(ctx: Ctx):
    stack, settings = _server_settings(ctx)
    sandbox = ctx.sandbox
    setting = _find(settings, ctx.params["id"])
    if setting.readonly:
        raise ApiError(400, "Setting is read-only", details=f"{setting.key} cannot be changed")
    value = coerce_value(setting, ctx.raw("value"))
    server_uid = ctx.params["server_uid"]
    server = next(s for s in sandbox.details(stack).servers if s.uid == server_uid)

    def effect(at: float) -> str:
        setting.value = value
        if setting.key == "server.name":
            server.name = str(value)
        server.updated_at = at
        return f"{setting.key} set"

    action = sandbox.start_action(
        stack,
        f"server-set: {setting.key}",
        user=ctx.user,
        resource_type="server",
        resource_id=server.vendor_uid,
        metadata={"server_uid": server_uid, "key": setting.key, "value": value},
        effect=effect,
    )
    return single(action.to_api())
