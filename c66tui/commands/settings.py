"""``c66tui settings list|set`` (as ``cx settings``): a stack's settings, or with
``--server NAME`` one server's (the Settings screen's server tab).

``set`` sends the value exactly as given (byte for byte) through the same journalled,
single-flight write as the Settings screen, and follows the action Cloud 66 starts.
A server is named by its name (exact, else a unique prefix) or its uid.
"""

from __future__ import annotations

from typing import Any

from c66tui.commands import exit_codes
from c66tui.commands.confirm import confirm
from c66tui.commands.exit_codes import CommandError
from c66tui.commands.options import add_group, stack_command
from c66tui.commands.resolve import pick
from c66tui.commands.writes import account_of, finish_write, perform, stack_facts

WRITE_SCOPE = "admin"
"""The scope a settings change needs (as on the Settings screen)."""


def register(commands: Any, common: Any) -> None:
    actions = add_group(
        commands, "settings", common, "list and change stack settings", "settings_command"
    )
    listing = stack_command(
        actions, "list", common, "the stack's settings (optionally some keys)", list_settings
    )
    listing.add_argument("keys", nargs="*", metavar="KEY", help="only these settings")
    change = stack_command(actions, "set", common, "change one setting", set_setting, write=True)
    change.add_argument("key", metavar="KEY")
    change.add_argument("value", metavar="VALUE")
    for parser in (listing, change):
        parser.add_argument("--server", metavar="SERVER", help="a server's settings instead")


class Target:
    """Whose settings a command reads and changes: the stack's, or one server's."""

    def __init__(self, stack: Any, server: Any = None) -> None:
        self.stack = stack
        self.server = server

    def read(self, api: Any) -> Any:
        if self.server is None:
            return api.list_stack_settings(self.stack.uid)
        return api.list_server_settings(self.stack.uid, self.server.uid)

    def send(self, api: Any, setting: Any, value: str) -> Any:
        if self.server is None:
            return api.update_stack_setting(self.stack.uid, setting.path_id, value)
        return api.update_server_setting(self.stack.uid, self.server.uid, setting.path_id, value)

    def flight_key(self, setting: Any) -> str:
        """As the Settings screen's tabs: one change per setting of a stack or server."""
        owner = self.server.uid if self.server is not None else self.stack.uid
        return f"setting:{owner}:{setting.key}"

    @property
    def name(self) -> str:
        return self.stack.name + (f" / {self.server.name}" if self.server is not None else "")


async def settings_target(context) -> Target:
    """The stack of ``-s``, and the server of ``--server`` when given."""
    stack = await context.stack()
    wanted = getattr(context.args, "server", None)
    if not wanted:
        return Target(stack)
    servers = await context.read(lambda api: api.list_servers(stack.uid))
    server = pick(servers, wanted, "server", key=lambda s: s.name, ident=lambda s: s.uid)
    return Target(stack, server)


async def list_settings(context) -> int:
    """The settings, or just those named."""
    from c66tui.commands.documents import setting_doc  # deferred: asyncio, as in stacks

    target = await settings_target(context)
    found = await context.read(target.read)
    if context.args.keys:
        wanted = set(context.args.keys)
        missing = wanted - {s.key for s in found}
        if missing:
            raise CommandError(exit_codes.USAGE, f"no such setting: {', '.join(sorted(missing))}")
        found = [s for s in found if s.key in wanted]
    if context.output.json_mode:
        context.output.document([setting_doc(s) for s in found])
        return exit_codes.OK
    rows = [(s.key, s.display_value, "read-only" if s.readonly else "") for s in found]
    context.output.table(("KEY", "VALUE", "ACCESS"), rows)
    return exit_codes.OK


async def set_setting(context) -> int:
    """Change one setting once and follow it to its outcome."""
    from c66tui.commands.documents import result_doc  # deferred: asyncio
    from c66tui.ops.setting_writes import Write

    args = context.args
    target = await settings_target(context)
    stack = target.stack
    found = await context.read(target.read)
    setting = next((s for s in found if s.key == args.key), None)
    if setting is None:
        raise CommandError(exit_codes.USAGE, f"{target.name} has no setting '{args.key}'")
    if setting.readonly:
        raise CommandError(exit_codes.USAGE, f"{setting.key} is read-only: nothing was sent")
    context.require(WRITE_SCOPE)
    value = args.value
    facts = [*stack_facts(stack, account_of(context))]
    if target.server is not None:
        facts.append(("Server", target.server.name))
    facts.append(("Setting", setting.key))
    facts += [("From", setting.display_value or "(empty)"), ("To", value)]
    if setting.warning_text:
        facts.append(("Warning", setting.warning_text))
    confirm(context.output, "change this setting", facts, stack=stack, assume_yes=args.yes)

    async def send(api: Any) -> Any:
        return await target.send(api, setting, value)

    params: dict[str, Any] = {"key": setting.key, "value": value}
    if target.server is not None:
        params["server"] = target.server.name
    write = Write(
        kind="setting",
        flight_key=target.flight_key(setting),
        stack=stack,
        what=f"{setting.key} on {target.name}",
        send=send,
        params=params,
    )
    result, code = await perform(context, write)
    doc = result_doc(
        "setting_set",
        stack,
        result,
        key=setting.key,
        server=target.server.name if target.server is not None else None,
    )
    finish_write(context.output, doc, code)
    return code
