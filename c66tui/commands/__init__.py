"""The scriptable commands: the app's operations without the full-screen app.

Each concern is one module with a ``register(commands, common)`` function that adds its
subcommands to the parser and sets ``run`` on each: a function ``run(args) -> exit
code``. Commands that talk to Cloud 66 are written as ``async def command(context)`` and
wrapped with :func:`c66tui.commands.options.uses_api`, which builds the same services as
the app (journal, single flight, scopes, read-only) and maps errors onto the shared exit
codes (:mod:`c66tui.commands.exit_codes`).

Adding a command: write (or extend) a module here with ``register``, list it in
:data:`MODULES`, add its tests under ``tests/cli/`` and a line to the README's
"Scripting" section. The parser is built on every start (the full-screen app's too), so
the modules listed here import only ``argparse`` and light helpers at the top; the few
imports a command makes when it runs (the HTTP client, ``asyncio``, ``platformdirs``)
each say so in a comment. A command whose module is heavy (``login``, ``sandbox``) is
registered with :func:`~c66tui.commands.options.run_later` instead.
"""

from __future__ import annotations

import importlib
from typing import Any

MODULES = (
    "config",
    "stacks",
    "deploys",
    "queue",
    "jobs",
    "settings",
    "maintenance",
    "env_vars",
    "journal",
    "status",
    "ssh",
    "completion",
)
"""Every command module (under this package), in the order ``c66tui --help`` lists their
commands."""


def register(commands: Any, common: Any) -> None:
    """Add every command of :data:`MODULES` to the ``commands`` subparsers.

    The modules are imported here, when the full parser is built: the full-screen app
    started without a subcommand never builds it (see :func:`c66tui.cli.app_options_only`),
    so its start-up does not load twenty command modules.
    """
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}").register(commands, common)
