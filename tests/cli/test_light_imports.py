"""The commands stay light: building the whole parser (every start, the full-screen app's
too) imports no HTTP client, Textual or sandbox; no command module imports Textual."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run_python(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=60
    )


def test_building_the_parser_loads_nothing_heavy():
    result = run_python(
        """
        import sys
        import c66tui.cli
        c66tui.cli.build_parser()
        heavy = [n for n in ("textual", "rich", "httpx", "starlette", "uvicorn", "platformdirs",
                             "asyncio", "logging", "c66tui.api.client", "c66tui.api.routes",
                             "c66tui.ops.services", "c66tui.text")
                 if n in sys.modules]
        print(heavy)
        sys.exit(1 if heavy else 0)
        """
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_command_module_imports_textual():
    """Every command module, the handlers that load the HTTP client included. What httpx
    loads by itself (this build of it imports rich) is not the commands' doing."""
    result = run_python(
        """
        import importlib, pkgutil, sys
        import httpx
        before = set(sys.modules)
        import c66tui.commands
        for info in pkgutil.walk_packages(c66tui.commands.__path__, "c66tui.commands."):
            importlib.import_module(info.name)
        bad = sorted(n for n in set(sys.modules) - before
                     if n.split(".")[0] in ("textual", "rich") or n.startswith("c66tui.ui"))
        print(bad)
        sys.exit(1 if bad else 0)
        """
    )
    assert result.returncode == 0, result.stdout + result.stderr
