"""The key catalogue (every remappable key, listed on the Preferences tab) comes from the
bindings the app's classes declare, without importing a module to find them: it lists
the same keys, with the same descriptions and defaults, as the classes' own ``BINDINGS``
read with every UI module imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import c66tui.ui

UI_ROOT = Path(c66tui.ui.__file__).parent

CATALOGUE = """
import json, sys
from types import SimpleNamespace
import c66tui.ui.app
from c66tui.ui.widgets.settings_tabs.key_catalog import remappable_bindings

class Probe:  # an app with no keys of its own and an empty keymap
    services = SimpleNamespace(preferences=SimpleNamespace(keymap={}))

before = set(sys.modules)
found = remappable_bindings(Probe())
assert set(sys.modules) == before, "listing the keys imported a module"
print(json.dumps(found))
"""

EVERY_CLASS = """
import importlib, json, pkgutil
import c66tui.ui, c66tui.ui.app as app_module
from textual.dom import DOMNode
from c66tui.ui.widgets.settings_tabs.key_catalog import declared_bindings
found = dict(declared_bindings(app_module.C66App))
for info in pkgutil.walk_packages(c66tui.ui.__path__, "c66tui.ui."):
    module = importlib.import_module(info.name)
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, DOMNode):
            for binding_id, entry in declared_bindings(value).items():
                found.setdefault(binding_id, entry)
print(json.dumps(found))
"""


def run(code: str) -> dict[str, list[str]]:
    """What ``code`` prints, in a fresh interpreter (only what it imports is defined)."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(done.stdout)


def test_catalogue_lists_every_declared_key_without_importing_the_screens():
    listed = run(CATALOGUE)
    declared = run(EVERY_CLASS)
    assert len(declared) > 80
    assert listed == declared


def test_catalogue_module_walks_no_packages():
    source = (UI_ROOT / "widgets" / "settings_tabs" / "key_catalog.py").read_text()
    assert "importlib" not in source and "pkgutil" not in source
