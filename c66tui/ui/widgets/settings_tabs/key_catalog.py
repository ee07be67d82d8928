"""Every remappable key of c66tui, read from the classes that declare it.

A binding can be remapped when it has an ``id`` (``[preferences.keymap]`` maps ids to
keys). The catalogue reads the ``BINDINGS`` of the app class and of every screen, dialog
and widget class in :data:`UI_PACKAGES`, so the keys of a screen are listed before that
screen was ever opened (Textual applies the keymap to a screen whenever it is built).
The modules are imported the first time the catalogue is asked for, not at start-up.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import Any

from textual.dom import DOMNode

UI_PACKAGES = ("c66tui.ui.screens", "c66tui.ui.dialogs", "c66tui.ui.widgets")
"""Packages whose modules define the screens, dialogs and widgets with keys."""

KeyCatalog = dict[str, tuple[str, str]]
"""Binding id -> (description, default keys)."""


@cache
def ui_classes() -> tuple[type[DOMNode], ...]:
    """Screen, dialog and widget classes defined in :data:`UI_PACKAGES`, in module order."""
    found: list[type[DOMNode]] = []
    for package_name in UI_PACKAGES:
        package = importlib.import_module(package_name)
        names = [package_name]
        names += [m.name for m in pkgutil.walk_packages(package.__path__, f"{package_name}.")]
        for name in names:
            module = importlib.import_module(name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, DOMNode)
                    and value.__module__ == module.__name__
                ):
                    found.append(value)
    return tuple(found)


def declared_bindings(cls: type) -> KeyCatalog:
    """The bindings with an id that ``cls`` declares or inherits."""
    found: KeyCatalog = {}
    for klass in cls.__mro__:
        for binding in klass.__dict__.get("BINDINGS", ()) or ():
            binding_id = getattr(binding, "id", None)
            if binding_id and binding_id not in found:
                found[binding_id] = (binding.description or binding.action, binding.key)
    return found


def remappable_bindings(app: Any) -> KeyCatalog:
    """Every remappable binding of ``app``: its own, every screen's and widget's, and
    the ids already in the saved keymap (so an override can always be reset)."""
    found: KeyCatalog = {}
    for cls in (type(app), *ui_classes()):
        for binding_id, entry in declared_bindings(cls).items():
            found.setdefault(binding_id, entry)
    keymap = getattr(app.services.preferences, "keymap", {}) or {}
    for binding_id in keymap:
        found.setdefault(binding_id, (binding_id, ""))
    return found
