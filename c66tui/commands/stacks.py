"""``c66tui stacks list`` and ``c66tui stacks show`` (as ``cx stacks list``)."""

from __future__ import annotations

from typing import Any

from c66tui.commands import exit_codes
from c66tui.commands.deploys import deployment_table
from c66tui.commands.options import (
    add_command,
    add_environment,
    add_group,
    add_json,
    stack_command,
    uses_api,
)
from c66tui.commands.output import iso
from c66tui.commands.resolve import narrow_environment

RECENT = 5
"""How many deployments and actions ``stacks show`` lists."""


def register(commands: Any, common: Any) -> None:
    actions = add_group(commands, "stacks", common, "list stacks, show one", "stacks_command")
    listing = add_command(actions, "list", common, "list the stacks (optionally some names)")
    listing.add_argument("names", nargs="*", metavar="NAME", help="names or name prefixes")
    add_environment(listing)
    add_json(listing)
    listing.set_defaults(run=uses_api(list_stacks))
    stack_command(actions, "show", common, "one stack: servers, deployments, actions", show_stack)


async def list_stacks(context) -> int:
    """Every stack (or those whose name starts with one of NAME), one per line."""
    from c66tui.commands.documents import stack_doc  # deferred: loads asyncio (parse stays light)

    args, output = context.args, context.output
    stacks = narrow_environment(await context.stacks(), args.environment)
    if args.names:
        wanted = [name.lower() for name in args.names]
        stacks = [s for s in stacks if any(s.name.lower().startswith(w) for w in wanted)]
    stacks = sorted(stacks, key=lambda s: (s.name.lower(), s.environment))
    if output.json_mode:
        output.document([stack_doc(stack) for stack in stacks])
        return exit_codes.OK
    rows = [
        (
            stack.name,
            stack.environment,
            stack.status_name,
            stack.health_name,
            "on" if stack.maintenance_mode else "off",
            (iso(stack.last_activity) or "")[:19].replace("T", " "),
        )
        for stack in stacks
    ]
    output.table(("NAME", "ENVIRONMENT", "STATUS", "HEALTH", "MAINT", "LAST ACTIVITY"), rows)
    if not stacks:
        output.say("No stacks match.")
    return exit_codes.OK


async def show_stack(context) -> int:
    """One stack in detail: its facts, servers, recent deployments and actions."""
    # deferred: loads asyncio (parse stays light)
    from c66tui.commands.documents import action_doc, deployment_doc, server_doc, stack_doc

    output = context.output
    stack = await context.stack()
    fresh = await context.read(lambda api: api.get_stack(stack.uid))
    servers = await context.read(lambda api: api.list_servers(stack.uid))
    deployments = (await context.read(lambda api: api.list_deployments(stack.uid)))[:RECENT]
    actions = (await context.read(lambda api: api.list_actions(stack.uid)))[:RECENT]
    if output.json_mode:
        doc = stack_doc(fresh)
        doc["servers"] = [server_doc(server) for server in servers]
        doc["deployments"] = [deployment_doc(d) for d in deployments]
        doc["actions"] = [action_doc(a) for a in actions]
        output.document(doc)
        return exit_codes.OK
    facts = []
    for key, value in stack_doc(fresh).items():
        if isinstance(value, bool):
            value = "yes" if value else "no"
        facts.append((key.replace("_", " ").capitalize(), "" if value is None else value))
    output.pairs(facts)
    output.line()
    output.line(f"Servers ({len(servers)}):")
    output.table(
        ("NAME", "ADDRESS", "ROLES", "HEALTH"),
        [(s.name, s.address, ",".join(s.server_roles), s.health_name) for s in servers],
    )
    output.line()
    output.line("Recent deployments:")
    deployment_table(output, deployments)
    output.line()
    output.line("Recent actions:")
    output.table(
        ("ID", "ACTION", "STATUS", "STARTED", "MESSAGE"),
        [_action_row(a) for a in actions],
    )
    return exit_codes.OK


def _action_row(action) -> tuple:
    from c66tui.commands.documents import action_doc  # deferred: asyncio, as above

    doc = action_doc(action)
    started = (doc["started_at"] or "")[:19].replace("T", " ")
    return (doc["id"], doc["action"], doc["status"], started, doc["message"])
