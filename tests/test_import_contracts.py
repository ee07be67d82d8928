"""The import rules hold and cover what they claim to.

``lint-imports`` checks the contracts in ``pyproject.toml``; these tests make sure the UI
layers contract lists every widget module (a new one must be placed in a layer), and that
the app shell imports nothing inside a function except what is deferred on purpose for
start-up time (said on the line above).
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "c66tui"

SHELL_MODULES = [
    "ui/app.py",
    "ui/demo.py",
    "ui/account.py",
    "ui/modes.py",
    "ui/crash.py",
    "ui/base.py",
    "ui/commands.py",
    "ui/context.py",
    "ui/identity_feed.py",
    "ui/redacted_notify.py",
    "ui/screens/stack_detail.py",
    "ui/screens/jobs.py",
    "ui/screens/job_detail.py",
    "ui/screens/journal.py",
    "ui/screens/help.py",
    "ui/screens/login.py",
    "ui/widgets/stack_chooser.py",
    "ui/widgets/identity_bar.py",
    "ui/widgets/filter_bar.py",
    "ui/widgets/login_form.py",
    "ui/widgets/login_steps.py",
    "ui/widgets/detail_rows.py",
    "ui/widgets/fast_typing.py",
    "ops/services.py",
    "ops/identity.py",
    "ops/credentials.py",
    "ops/demo_world.py",
    "ops/stack_search.py",
]


def _ui_layers() -> list[set[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layered = [c for c in contracts if c["type"] == "layers" and "c66tui.ui.screens" in c["layers"]]
    assert len(layered) == 1, "one layers contract for the UI"
    return [
        {name.strip() for name in layer.replace("|", ":").split(":") if name.strip()}
        for layer in layered[0]["layers"]
    ]


def test_every_widget_module_is_in_a_ui_layer():
    listed = set().union(*_ui_layers())
    widgets = PACKAGE / "ui" / "widgets"
    present = {
        f"c66tui.ui.widgets.{path.stem}"
        for path in widgets.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert present - listed == set(), "place these widget modules in the layers contract"
    assert {name for name in listed if name.startswith("c66tui.ui.widgets.")} <= present


def _imports_in_functions(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every import inside a function not marked as deferred on purpose."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Import | ast.ImportFrom):
                here = lines[inner.lineno - 1]
                above = lines[inner.lineno - 2] if inner.lineno > 1 else ""
                if "eferred" not in here and "eferred" not in above:
                    found.append((inner.lineno, here.strip()))
    return sorted(set(found))


def test_the_app_shell_hides_no_import_in_a_function():
    hidden = {
        module: found
        for module in SHELL_MODULES
        if (found := _imports_in_functions(PACKAGE / module))
    }
    assert hidden == {}
