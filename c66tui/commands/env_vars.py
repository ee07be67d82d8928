"""``c66tui env-vars list|set|unset|download`` (as ``cx env-vars``).

Password values are masked unless ``--reveal`` is given. ``set KEY=VALUE`` adds the
variable or changes it; ``set KEY`` alone reads the value from standard input (one
trailing newline is dropped), which keeps a secret out of the shell history and the
process list. The journal records the name and the apply strategy, never the value.
``download`` lives in :mod:`c66tui.commands.env_download`.
"""

from __future__ import annotations

import sys
from typing import Any

from c66tui.commands import env_download, exit_codes
from c66tui.commands.confirm import confirm
from c66tui.commands.exit_codes import CommandError
from c66tui.commands.options import add_group, stack_command
from c66tui.commands.writes import account_of, finish_write, perform, stack_facts

WRITE_SCOPE = "admin"
STRATEGIES = ("immediately", "deployment")
MASK = "********"
MAX_VALUE_BYTES = 1024 * 1024


def register(commands: Any, common: Any) -> None:
    actions = add_group(
        commands, "env-vars", common, "list and change environment variables", "env_command"
    )
    listing = stack_command(
        actions, "list", common, "the stack's variables (optionally some)", list_env_vars
    )
    listing.add_argument("keys", nargs="*", metavar="KEY", help="only these variables")
    listing.add_argument("--reveal", action="store_true", help="show password values too")
    change = stack_command(
        actions, "set", common, "add or change a variable", set_env_var, write=True
    )
    change.add_argument("assignment", metavar="KEY=VALUE", help="KEY alone reads stdin")
    add_strategy(change)
    unset = stack_command(actions, "unset", common, "delete a variable", unset_env_var, write=True)
    unset.add_argument("key", metavar="KEY")
    add_strategy(unset)
    env_download.register(actions, common)


def add_strategy(parser: Any) -> None:
    parser.add_argument(
        "--apply-strategy",
        dest="apply_strategy",
        choices=STRATEGIES,
        default="immediately",
        help="apply now (default) or with the next deployment",
    )


async def list_env_vars(context) -> int:
    """The variables, passwords masked unless ``--reveal``."""
    from c66tui.commands.documents import env_var_doc  # deferred: asyncio, as in stacks

    args = context.args
    stack = await context.stack()
    found = await context.read(lambda api: api.list_env_vars(stack.uid))
    if args.keys:
        missing = set(args.keys) - {v.key for v in found}
        if missing:
            raise CommandError(exit_codes.USAGE, f"no such variable: {', '.join(sorted(missing))}")
        found = [v for v in found if v.key in set(args.keys)]
    if context.output.json_mode:
        context.output.document([env_var_doc(v, args.reveal) for v in found])
        return exit_codes.OK
    rows = []
    for var in found:
        value = MASK if var.is_password and not args.reveal else var.display_value
        flags = [
            word
            for word, on in (
                ("password", var.is_password),
                ("read-only", var.readonly),
                ("generated", var.is_generated),
            )
            if on
        ]
        rows.append((var.key, value, ",".join(flags)))
    context.output.table(("KEY", "VALUE", "FLAGS"), rows)
    return exit_codes.OK


def _assignment(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep:
        if sys.stdin.isatty():
            raise CommandError(exit_codes.USAGE, "give KEY=VALUE, or pipe the value in")
        data = sys.stdin.buffer.read(MAX_VALUE_BYTES + 1)
        if len(data) > MAX_VALUE_BYTES:
            raise CommandError(exit_codes.USAGE, "the value on standard input is too long")
        value = data.decode("utf-8", "surrogateescape")
        value = value[:-1] if value.endswith("\n") else value
    if not key or any(ch.isspace() for ch in key):
        raise CommandError(exit_codes.USAGE, f"'{key}' is not a variable name")
    return key, value


async def set_env_var(context) -> int:
    """Add or change one variable, once."""
    key, value = _assignment(context.args.assignment)
    return await _change(context, key, value)


async def unset_env_var(context) -> int:
    """Delete one variable, once."""
    return await _change(context, context.args.key, None)


async def _change(context, key: str, value: str | None) -> int:
    from c66tui.commands.documents import result_doc  # deferred: asyncio
    from c66tui.ops.setting_writes import Write

    args = context.args
    stack = await context.stack()
    found = {v.key: v for v in await context.read(lambda api: api.list_env_vars(stack.uid))}
    var = found.get(key)
    mode = "delete" if value is None else ("edit" if var is not None else "add")
    if mode == "delete" and var is None:
        raise CommandError(exit_codes.USAGE, f"{stack.name} has no variable '{key}'")
    if var is not None and not (var.is_deletable if mode == "delete" else var.is_writable):
        why = "read-only" if var.readonly else "generated by Cloud 66 (change it, not delete)"
        raise CommandError(exit_codes.USAGE, f"{key} is {why}: nothing was sent")
    context.require(WRITE_SCOPE)
    strategy = args.apply_strategy
    facts = [*stack_facts(stack, account_of(context)), ("Variable", key)]
    if value is not None:
        facts.append(("New value", MASK if var is not None and var.is_password else value))
    facts.append(("When", strategy))
    verb = {"add": "add", "edit": "change", "delete": "delete"}[mode]
    confirm(context.output, f"{verb} this variable", facts, stack=stack, assume_yes=args.yes)

    async def send(api: Any) -> Any:
        if mode == "add":
            return await api.create_env_var(stack.uid, key, value, strategy)
        if mode == "edit":
            return await api.update_env_var(stack.uid, key, value, strategy)
        return await api.delete_env_var(stack.uid, key, strategy)

    write = Write(
        kind="env_var",
        flight_key=f"env_var:{stack.uid}:{key}",
        stack=stack,
        what=f"{verb} {key} on {stack.name}",
        send=send,
        params={"op": mode, "key": key, "apply_strategy": strategy},
    )
    result, code = await perform(context, write)
    operation = "env_var_unset" if mode == "delete" else "env_var_set"
    doc = result_doc(operation, stack, result, key=key, change=mode)
    finish_write(context.output, doc, code)
    return code
