"""The scriptable commands: the app's operations without the full-screen app.

Each concern is one module with a ``register(commands, common)`` function that adds its
subcommands to the parser and sets ``run`` on each: a function ``run(args) -> exit
code``. Commands that talk to Cloud 66 are written as ``async def command(context)`` and
wrapped with :func:`c66tui.commands.options.uses_api`, which builds the same services as
the app (journal, single flight, scopes, read-only) and maps errors onto the shared exit
codes (:mod:`c66tui.commands.exit_codes`).

Adding a command: write (or extend) a module here with ``register``, list it in
:data:`MODULES`, add its tests under ``tests/cli/`` and a line to the README's
"Scripting" section. Modules import only ``argparse`` and light helpers at the top, so
building the parser stays cheap; what a command needs it imports when it runs.
"""

from __future__ import annotations

from typing import Any

from c66tui.commands import (
    completion,
    config,
    deploys,
    env_vars,
    jobs,
    journal,
    maintenance,
    settings,
    ssh,
    stacks,
    status,
)

MODULES = (
    config,
    stacks,
    deploys,
    jobs,
    settings,
    maintenance,
    env_vars,
    journal,
    status,
    ssh,
    completion,
)
"""Every command module, in the order ``c66tui --help`` lists their commands."""


def register(commands: Any, common: Any) -> None:
    """Add every command of :data:`MODULES` to the ``commands`` subparsers."""
    for module in MODULES:
        module.register(commands, common)
