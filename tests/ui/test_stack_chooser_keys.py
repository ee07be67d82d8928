"""The stack chooser's keys carry ids: listed on the Preferences tab and remappable from
config.toml like every other key of the app."""

from __future__ import annotations

import importlib
import pkgutil

from textual.binding import Binding

import c66tui.ui
from c66tui.ui.widgets.settings_tabs.key_catalog import ui_classes
from c66tui.ui.widgets.stack_chooser import StackChooser
from tests.ui.test_jobs import HISTORY_STACK, open_jobs
from tests.ui.test_settings_support import (  # noqa: F401 - fixture
    fast_action_polls,
    open_settings,
    table_rows,
    wait_until,
)

CHOOSER_KEYS = {
    "stack_chooser.open": "enter,space",
    "stack_chooser.close": "escape",
    "stack_chooser.up": "up",
    "stack_chooser.down": "down",
    "stack_chooser.page_up": "pageup",
    "stack_chooser.page_down": "pagedown",
    "stack_chooser.choose": "enter",
}


def test_every_key_of_every_screen_dialog_and_widget_has_an_id():
    for module in pkgutil.walk_packages(c66tui.ui.__path__, "c66tui.ui."):
        importlib.import_module(module.name)  # every class, opened yet or not
    missing = [
        f"{cls.__module__}.{cls.__name__}: {binding!r}"
        for cls in ui_classes()
        for binding in cls.__dict__.get("BINDINGS", ()) or ()
        if not isinstance(binding, Binding) or not binding.id
    ]
    assert missing == []


def test_chooser_keys_have_ids_in_the_app_naming_style():
    declared = {b.id: b.key for b in StackChooser.BINDINGS}
    declared.update(
        (b.id, b.key)
        for cls in ui_classes()
        if cls.__module__ == StackChooser.__module__
        for b in cls.__dict__.get("BINDINGS", ())
    )
    assert declared == CHOOSER_KEYS


async def test_preferences_list_the_chooser_keys(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="prefs", stack_name=None)
        rows = {row[0]: row[1] for row in table_rows(screen.tab("prefs").table)}
        assert rows["Key: Choose stack (stack_chooser.open)"] == "⏎, space"
        assert rows["Key: Down (stack_chooser.down)"] == app.get_key_display(Binding("down", ""))
        for binding_id in CHOOSER_KEYS:
            assert any(f"({binding_id})" in label for label in rows), binding_id


async def test_remapped_chooser_keys_open_move_and_pick(app_factory, sandbox):
    keymap = {
        "stack_chooser.open": "f6",
        "stack_chooser.down": "ctrl+n",
        "stack_chooser.page_down": "f8",
    }
    app = app_factory(preferences={"keymap": keymap})
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        chooser = screen.chooser
        options = chooser.query_one("#stack-chooser-list")
        chooser.focus()
        await pilot.pause()
        # The default key no longer opens it; the remapped one does.
        await pilot.press("space")
        assert not chooser.is_open
        await pilot.press("f6")
        assert chooser.is_open
        assert options.option_count > 12
        options.highlighted = 0
        await pilot.press("ctrl+n")
        assert options.highlighted == 1
        await pilot.press("down")  # no longer bound
        assert options.highlighted == 1
        await pilot.press("f8")
        assert options.highlighted == 11
        await pilot.press("up")  # still the default
        assert options.highlighted == 10
        picked = options.get_option_at_index(options.highlighted)
        await pilot.press("enter")
        await wait_until(pilot, lambda: not chooser.is_open)
        assert chooser.stack.uid == picked.id
