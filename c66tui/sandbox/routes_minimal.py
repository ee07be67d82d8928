"""API routes (``/api/3`` only) the product does not use, answered with minimal data so
that clients calling them (the Go library, ``cx``) get the documented shape, not a 404.

* ``POST /stacks/{uid}/reboot_servers`` (docs: ``strategy`` parallel|serial required,
  ``group`` optional, scope ``reboot``): a ``stack_reboot`` action;
* ``POST /stacks/{uid}/servers/{server_uid}/reboot_server`` (docs ``_servers.md``,
  scope ``reboot``): a ``server_reboot`` action;
* ``GET /stacks/{uid}/configuration`` and ``/configuration/{type}/show`` (library
  ``configuration.go``; not in the published docs): the stack's nginx configuration;
* ``GET /stacks/{uid}/backups``, ``/backups/{id}``, ``/backups/{id}/files`` and
  ``/files/{id}`` (docs ``_backups.md``; library ``backups.go``): one backup per database
  server, one ``tar`` file each (creating and importing backups are not served);
* ``GET /operations/{uid}/logs`` (library ``operation.go``; not in the published docs):
  the log of an async action, addressed by its id, as ``{v, m, t, s, e}`` entries.
"""

from __future__ import annotations

from c66tui.sandbox.envelope import bad_request, iso_z, not_found, paged, single
from c66tui.sandbox.records import ActionRec, StackRec
from c66tui.sandbox.routing import API, Ctx
from c66tui.sandbox.state import Sandbox

REBOOT_STRATEGIES = ("parallel", "serial")
DB_ROLES = ("mysql", "postgresql", "redis", "mongodb")
SEVERITY_INFO, SEVERITY_ERROR = 2, 5


@API.route("POST", "/stacks/{uid}/reboot_servers", scope="reboot")
def reboot_servers(ctx: Ctx):
    stack = ctx.stack()
    strategy = (ctx.text("strategy") or "").strip()
    if not strategy:
        raise bad_request("Missing parameter: strategy", "strategy is parallel or serial")
    if strategy not in REBOOT_STRATEGIES:
        raise bad_request("Invalid parameter: strategy", "strategy is parallel or serial")
    group = (ctx.text("group") or "").strip() or "web"
    metadata = {"strategy": strategy, "group": group}
    action = ctx.sandbox.start_action(stack, "stack_reboot", user=ctx.user, metadata=metadata)
    return single(action.to_api())


@API.route("POST", "/stacks/{uid}/servers/{server_uid}/reboot_server", scope="reboot")
def reboot_server(ctx: Ctx):
    stack = ctx.stack()
    wanted = ctx.params["server_uid"]
    if not any(server.uid == wanted for server in ctx.sandbox.details(stack).servers):
        raise not_found("Server", wanted)
    metadata = {"server_uid": wanted}
    action = ctx.sandbox.start_action(stack, "server_reboot", user=ctx.user, metadata=metadata)
    return single(action.to_api())


def _nginx(ctx: Ctx, stack: StackRec) -> dict:
    at = iso_z(stack.created_at)
    return {
        "name": "Nginx",
        "type": "nginx",
        "body": f"server {{\n  listen 80;\n  server_name {stack.fqdn};\n}}\n",
        "comments": "Default configuration",
        "can_apply": True,
        "changed_by": ctx.sandbox.accounts[0].owner if ctx.sandbox.accounts else "",
        "created_at": at,
        "updated_at": at,
    }


@API.route("GET", "/stacks/{uid}/configuration")
def list_configuration(ctx: Ctx):
    items = [_nginx(ctx, ctx.stack())]
    return paged(items, ctx.page())


@API.route("GET", "/stacks/{uid}/configuration/{type}/show")
def show_configuration(ctx: Ctx):
    config = _nginx(ctx, ctx.stack())
    if ctx.params["type"] != config["type"]:
        raise not_found("Configuration", ctx.params["type"])
    return single(config)


def backups_of(sandbox: Sandbox, stack: StackRec) -> list[dict]:
    """One finished backup per database role of each server (derived, not stored)."""
    out = []
    for n, server in enumerate(sandbox.details(stack).servers):
        for db in (role for role in server.roles if role in DB_ROLES):
            at = iso_z(server.updated_at)
            name = f"{db}_{stack.index}"
            out.append(
                {
                    "id": stack.index * 100 + n + 1,
                    "server_uid": server.uid,
                    "file_name": f"{name}.tar",
                    "db_type": db,
                    "database_name": f"{stack.uid[:8]}_{stack.environment}",
                    "file_base": "",
                    "backup_date_iso": at,
                    "backup_status": 0,
                    "backup_result": "",
                    "restore_status": 0,
                    "restore_result": None,
                    "created_at_iso": at,
                    "updated_at_iso": at,
                    "verify_status": 0,
                    "verify_result": None,
                    "storage_path": f"{stack.uid}/backups/{server.uid}/{db}/{name}",
                    "skip_tables": "",
                    "backup_size": 0,
                    "logical_backup": True,
                }
            )
    return out


@API.route("GET", "/stacks/{uid}/backups")
def list_backups(ctx: Ctx):
    backups = backups_of(ctx.sandbox, ctx.stack())
    db_type = (ctx.query.get("db_type") or "").strip()
    if db_type:
        backups = [b for b in backups if b["db_type"] == db_type]
    return paged(backups, ctx.page())


def _backup(ctx: Ctx) -> dict:
    for backup in backups_of(ctx.sandbox, ctx.stack()):
        if str(backup["id"]) == ctx.params["id"]:
            return backup
    raise not_found("Backup", ctx.params["id"])


@API.route("GET", "/stacks/{uid}/backups/{id}")
def get_backup(ctx: Ctx):
    return single(_backup(ctx))


@API.route("GET", "/stacks/{uid}/backups/{id}/files")
def list_backup_files(ctx: Ctx):
    backup = _backup(ctx)
    files = [{"id": "tar", "name": backup["file_name"]}]
    return paged(files, ctx.page())


@API.route("GET", "/stacks/{uid}/backups/{id}/files/{file}")
@API.route("GET", "/stacks/{uid}/backups/{id}/files//{file}")
def backup_file_url(ctx: Ctx):
    """A download address for one file. The second path is what the Go library's
    ``GetBackupSegment`` composes (``"/files/" + "/" + extension``)."""
    backup = _backup(ctx)
    if ctx.params["file"] != "tar":
        raise not_found("Backup file", ctx.params["file"])
    url = f"https://backups.sandbox.invalid/{backup['storage_path']}/{backup['file_name']}"
    return single({"ok": True, "public_url": url})


def find_operation(sandbox: Sandbox, ident: str) -> ActionRec:
    """The action with this id among the stacks whose details exist (an action can only
    be known to a caller who has seen its stack)."""
    for stack in sandbox.ordered_stacks():
        if stack.details is None:
            continue
        for action in stack.details.actions:
            if str(action.id) == ident:
                return action
    raise not_found("Operation", ident)


def log_entries(action: ActionRec) -> list[dict]:
    entries = [{"v": SEVERITY_INFO, "m": f"{action.action} started", "t": action.started_at}]
    if action.finished_at is not None:
        level = SEVERITY_INFO if action.finished_success else SEVERITY_ERROR
        message = action.finished_message or ("Completed" if action.finished_success else "Failed")
        entries.append({"v": level, "m": message, "t": action.finished_at})
    return [{"v": e["v"], "m": e["m"], "t": iso_z(e["t"]), "s": None, "e": 0} for e in entries]


@API.route("GET", "/operations/{uid}/logs")
def operation_logs(ctx: Ctx):
    entries = log_entries(find_operation(ctx.sandbox, ctx.params["uid"]))
    raw = (ctx.query.get("min_severity") or "").strip()
    if raw:
        if not (raw.isdigit() and 0 <= int(raw) <= 5):
            raise bad_request("Invalid parameter: min_severity", "min_severity is 0 to 5")
        entries = [e for e in entries if e["v"] >= int(raw)]
    return paged(entries, ctx.page())
