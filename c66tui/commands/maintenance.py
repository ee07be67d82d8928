"""``c66tui maintenance on|off -s STACK [-y] [--json]``: the Settings screen's toggle.

The same write as the app's (:func:`c66tui.ops.maintenance.maintenance_write`): journal
first, sent once, followed to its outcome. On a terminal it asks first (a production
stack asks for its name typed); without one it needs ``-y`` and otherwise sends nothing
(exit 2). What is asked is sent, whatever the stack list last said about the mode.
"""

from __future__ import annotations

from typing import Any

from c66tui.commands.confirm import confirm
from c66tui.commands.options import add_group, stack_command
from c66tui.commands.writes import account_of, finish_write, perform, stack_facts


def register(commands: Any, common: Any) -> None:
    actions = add_group(
        commands, "maintenance", common, "turn a stack's maintenance mode on or off", "turn"
    )
    help_on = "show visitors the maintenance page instead of the app"
    stack_command(actions, "on", common, help_on, turn_maintenance, write=True)
    help_off = "serve the app to visitors again"
    stack_command(actions, "off", common, help_off, turn_maintenance, write=True)


async def turn_maintenance(context) -> int:
    """Turn maintenance mode to ``on`` or ``off`` once and follow it to its outcome."""
    # deferred: these load asyncio (the parser is built on every start)
    from c66tui.commands.documents import result_doc
    from c66tui.ops.maintenance import MAINTENANCE_SCOPE, maintenance_write

    args = context.args
    turn_on = args.turn == "on"
    stack = await context.stack()
    context.require(MAINTENANCE_SCOPE)
    facts = [*stack_facts(stack, account_of(context))]
    facts.append(("Maintenance", f"{'on' if stack.maintenance_mode else 'off'} -> {args.turn}"))
    what = f"turn maintenance mode {args.turn}"
    confirm(context.output, what, facts, stack=stack, assume_yes=args.yes)
    result, code = await perform(context, maintenance_write(stack, turn_on))
    doc = result_doc("maintenance", stack, result, maintenance=turn_on)
    finish_write(context.output, doc, code)
    return code
