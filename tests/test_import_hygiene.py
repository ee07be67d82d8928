"""The library packages never import Textual; the command line starts light."""

from __future__ import annotations

import subprocess
import sys
import textwrap

LIBRARY_CHECK = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    import c66tui.api, c66tui.config, c66tui.sandbox
    import c66tui.ops.journal, c66tui.ops.cache, c66tui.text
    import c66tui.ops
    for package in (c66tui.api, c66tui.config, c66tui.sandbox, c66tui.ops):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
    bad = sorted(name for name in sys.modules if name == "textual" or name.startswith("textual."))
    print(bad)
    sys.exit(1 if bad else 0)
    """
)

CLI_CHECK = textwrap.dedent(
    """
    import sys
    import c66tui.cli
    heavy = [n for n in ("textual", "httpx", "rich", "starlette", "uvicorn", "platformdirs")
             if n in sys.modules]
    print(heavy)
    sys.exit(1 if heavy else 0)
    """
)


def _run(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )


def test_library_packages_import_without_textual():
    result = _run(LIBRARY_CHECK)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_module_imports_nothing_heavy():
    result = _run(CLI_CHECK)
    assert result.returncode == 0, result.stdout + result.stderr
