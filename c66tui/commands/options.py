"""Options shared by the commands, named as cx names them (``-s``, ``-e``, ``-y``).

Everything here is light (``argparse`` only): the parser is built on every start,
including the full-screen app's.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Awaitable, Callable
from typing import Any

from c66tui.commands.exit_codes import HELP as EXIT_HELP


def add_command(
    commands: Any, name: str, common: argparse.ArgumentParser, help_text: str, **kwargs: Any
) -> argparse.ArgumentParser:
    """A subcommand parser that takes the global options and lists the exit codes."""
    return commands.add_parser(
        name,
        parents=[common],
        help=help_text,
        description=help_text[:1].upper() + help_text[1:] + ".",
        epilog=EXIT_HELP,
        **kwargs,
    )


def add_group(
    commands: Any, name: str, common: argparse.ArgumentParser, help_text: str, dest: str
) -> Any:
    """A command made of actions (``c66tui settings list|set``): the subparsers to add
    the actions to; the action chosen is ``args.<dest>``."""
    parser = add_command(commands, name, common, help_text)
    return parser.add_subparsers(dest=dest, metavar="ACTION", required=True)


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print one JSON document on standard output"
    )


def add_stack(parser: argparse.ArgumentParser, *, environment: bool = True) -> None:
    """``-s STACK`` (name, unique prefix or uid) and ``-e ENV``."""
    parser.add_argument(
        "-s", "--stack", required=True, metavar="STACK", help="stack name, unique prefix or uid"
    )
    if environment:
        add_environment(parser)


def add_environment(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-e", "--environment", metavar="ENV", help="only stacks of this environment"
    )


def add_write(parser: argparse.ArgumentParser) -> None:
    """``-y`` and ``--read-only`` for commands that change something."""
    parser.add_argument(
        "-y", "--yes", action="store_true", help="do not ask (needed without a terminal)"
    )
    parser.add_argument(
        "--read-only",
        dest="read_only",
        action="store_true",
        default=argparse.SUPPRESS,
        help="refuse every write (as c66tui --read-only)",
    )


def stack_command(
    commands: Any,
    name: str,
    common: argparse.ArgumentParser,
    help_text: str,
    command: Callable[[Any], Awaitable[int]],
    *,
    write: bool = False,
) -> argparse.ArgumentParser:
    """A subcommand about one stack (``-s``/``-e``), with ``--json`` (and ``-y`` and
    ``--read-only`` for a ``write``), run as ``async command(context)``. The caller adds
    the command's own arguments to the parser returned."""
    parser = add_command(commands, name, common, help_text)
    add_stack(parser)
    if write:
        add_write(parser)
    add_json(parser)
    parser.set_defaults(run=uses_api(command))
    return parser


def run_later(target: str) -> Callable[[argparse.Namespace], int]:
    """The ``run`` handler ``"module:function"``, imported only when the command runs:
    the parser is built on every start, and a handler's module may load the HTTP stack."""
    module_name, _, function_name = target.partition(":")

    def run(args: argparse.Namespace) -> int:
        return getattr(importlib.import_module(module_name), function_name)(args)

    run.__name__ = function_name
    return run


def uses_api(command: Callable[[Any], Awaitable[int]]) -> Callable[[Any], int]:
    """Wrap ``async command(context) -> exit code`` as the parser's ``run`` handler."""

    def run(args: argparse.Namespace) -> int:
        from c66tui.commands.context import execute  # deferred: it loads httpx and the ops

        return execute(args, command)

    run.__doc__ = command.__doc__
    run.__name__ = command.__name__
    return run
