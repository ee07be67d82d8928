"""Every remappable key of c66tui, read from the bindings its classes declare.

A binding can be remapped when it has an ``id`` (``[preferences.keymap]`` maps ids to
keys). The catalogue lists the keys of every screen, dialog and widget, opened yet or not
(Textual applies the keymap to a screen whenever it is built), without importing a module
to find them:

- the ``BINDINGS`` of the app class and of every c66tui node class defined so far, found
  through the class hierarchy (every Textual node class is a subclass of ``DOMNode``);
- the ``Binding(...)`` declarations written in the UI's source (:func:`written_bindings`),
  read once, for the screens the app imports only when they are first opened.

A test holds the catalogue against the classes' own ``BINDINGS`` with every module
imported.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode

from c66tui.ui.context import services_of
from c66tui.ui.dialogs.base import yes_no_bindings

UI_ROOT = Path(__file__).resolve().parents[2]
"""The ``c66tui/ui`` folder."""

UI_PACKAGE = "c66tui.ui"
"""The package whose classes' keys are listed."""

KeyCatalog = dict[str, tuple[str, str]]
"""Binding id -> (description, default keys)."""

BINDING_FACTORIES = {"yes_no_bindings": yes_no_bindings}
"""Functions that build bindings, by name: a call with literal arguments in the source
declares the bindings it returns."""


def ui_classes() -> tuple[type[DOMNode], ...]:
    """The screen, dialog and widget classes of :data:`UI_PACKAGE` defined so far, in
    module and definition order."""
    found: dict[type[DOMNode], None] = {}
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub not in found:
                pending.append(sub)
                found[sub] = None
    mine = [cls for cls in found if cls.__module__.startswith(f"{UI_PACKAGE}.")]
    return tuple(sorted(mine, key=lambda cls: (cls.__module__, cls.__qualname__)))


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _factory_bindings(call: ast.Call) -> list[Binding]:
    """The bindings a :data:`BINDING_FACTORIES` call returns (none unless its arguments
    are literal strings)."""
    args = [_literal(arg) for arg in call.args]
    if call.keywords or any(arg is None for arg in args):
        return []
    return list(BINDING_FACTORIES[getattr(call.func, "id", "")](*args))


@cache
def written_bindings() -> KeyCatalog:
    """The bindings with a literal id written as ``Binding(key, action, description,
    ..., id=...)`` in the UI's source files (the catalogue of what is not defined yet)."""
    found: KeyCatalog = {}
    for path in sorted(UI_ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            name = getattr(node.func, "id", "") if isinstance(node, ast.Call) else ""
            if name in BINDING_FACTORIES:
                for binding in _factory_bindings(node):
                    if binding.id:
                        entry = (binding.description or binding.action, binding.key)
                        found.setdefault(binding.id, entry)
            if name != "Binding":
                continue
            named = {kw.arg: kw.value for kw in node.keywords if kw.arg}
            args = [*node.args, None, None, None][:3]
            binding_id = _literal(named.get("id"))
            key = _literal(named.get("key", args[0]))
            action = _literal(named.get("action", args[1]))
            description = _literal(named.get("description", args[2]))
            if binding_id and key is not None:
                found.setdefault(binding_id, (description or action or binding_id, key))
    return found


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
    for binding_id, entry in written_bindings().items():
        found.setdefault(binding_id, entry)
    keymap = getattr(services_of(app).preferences, "keymap", {}) or {}
    for binding_id in keymap:
        found.setdefault(binding_id, (binding_id, ""))
    return found
