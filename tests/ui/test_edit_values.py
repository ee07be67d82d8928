"""Edit dialogs edit the real value: line breaks, tabs and control characters survive
open-edit-save byte for byte, "unchanged" is judged against the server's value, and
nothing is sent when nothing changed."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.app import App
from textual.widgets import Input, TextArea

from c66tui.api.models import EnvVar, Setting, Stack
from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.dialogs.edit_setting import UNCHANGED, EditSettingDialog
from c66tui.ui.dialogs.env_var import EnvVarDialog
from c66tui.ui.widgets.value_editor import (
    ValueForm,
    escape,
    is_hostile,
    mode_for,
    unescape,
)
from tests.ui.test_settings_env import world_env
from tests.ui.test_settings_support import (  # noqa: F401 - fixture
    QUIET_STACK,
    fast_action_polls,
    move_to,
    open_settings,
    settle,
    wait_for_screen,
    writes_to,
)

PEM = "-----BEGIN KEY-----\nMIIBOgIBAAJBAK\n\tindented line\n-----END KEY-----\n"
ESCAPED = "red\x1b[31m alarm\x07 tab\there\r\nend\\"

ANY_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40
)


# -- the escape form ------------------------------------------------------------------


@given(ANY_TEXT)
@settings(max_examples=400)
def test_escape_form_gives_back_every_character(value):
    assert unescape(escape(value)) == value
    assert not any(is_hostile(ch) for ch in escape(value))


def test_modes():
    assert mode_for("develop") == "plain"
    assert mode_for(PEM) == "lines"
    assert mode_for(ESCAPED) == "escaped"
    assert ValueForm.for_value(ESCAPED).field_text == (
        "red\\x1b[31m alarm\\x07 tab\\there\\r\\nend\\\\"
    )


# -- the dialogs, with any value ------------------------------------------------------

STACK = Stack.from_api({"uid": "s1", "name": "tps-reports", "environment": "development"})


class Host(App):
    """Opens one dialog and keeps its answer."""

    def __init__(self, dialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.answers: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.answers.append)


async def _append_and_save(dialog, pilot, extra: str) -> None:
    field = dialog.query_one("#env-value, #setting-value")
    if isinstance(field, TextArea):
        field.move_cursor(field.document.end)
    else:
        await pilot.press("end")
    await pilot.press(*extra)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def _open_edit_save(make_dialog, value: str) -> tuple[list[object], str, list[object]]:
    """Open on ``value``: save untouched, then append ``x`` and save."""
    untouched = Host(make_dialog(value))
    async with untouched.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        still_open = untouched.screen is untouched.dialog
        error = untouched.dialog.error_text() if still_open else ""
        first = list(untouched.answers)
    edited = Host(make_dialog(value))
    async with edited.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _append_and_save(edited.dialog, pilot, "x")
        second = list(edited.answers)
    return first, error, second


def _env_dialog(value: str) -> EnvVarDialog:
    var = EnvVar.from_api({"key": "K", "value": value, "readonly": False})
    return EnvVarDialog(STACK, "edit", var)


def _setting_dialog(value: str) -> EditSettingDialog:
    return EditSettingDialog(STACK, Setting.from_api({"key": "custom.value", "value": value}))


@given(ANY_TEXT)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_env_value_survives_open_edit_save(value):
    first, error, second = asyncio.run(_open_edit_save(_env_dialog, value))
    assert first == [] and "current value" in error  # nothing changed: nothing to send
    [change] = second
    assert change.value == value + "x"


@given(ANY_TEXT.filter(lambda v: v.strip() != ""))
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_setting_value_survives_open_edit_save(value):
    first, error, second = asyncio.run(_open_edit_save(_setting_dialog, value))
    assert first == [] and error == UNCHANGED
    assert second == [value + "x"]


# -- through the app and the sandbox --------------------------------------------------


def _set_env(sandbox, key: str, value: str) -> None:
    world = sandbox.sandbox
    with world.lock:
        world_env(sandbox)[key].value = value


def _plain_key(sandbox) -> str:
    env = world_env(sandbox)
    return next(
        k for k, r in env.items() if not (r.is_password or r.readonly or r.is_generated)
    )


async def test_a_pem_key_is_edited_in_a_text_area_and_saved_exactly(app_factory, sandbox):
    key = _plain_key(sandbox)
    _set_env(sandbox, key, PEM)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        move_to(screen.tab("env").table, key)
        await pilot.pause()
        await pilot.press("e")
        dialog = await wait_for_screen(pilot, app, EnvVarDialog)
        field = dialog.query_one("#env-value")
        assert isinstance(field, TextArea) and field.text == PEM
        await _append_and_save(dialog, pilot, "ok")
        await wait_for_screen(pilot, app, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        assert len(writes_to(sandbox.sandbox, "PUT", f"/environments/{key}")) == 1
        assert world_env(sandbox)[key].value == PEM + "ok"


async def test_a_value_with_an_escape_saved_unchanged_sends_nothing(app_factory, sandbox):
    key = _plain_key(sandbox)
    _set_env(sandbox, key, ESCAPED)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        move_to(screen.tab("env").table, key)
        await pilot.pause()
        await pilot.press("e")
        dialog = await wait_for_screen(pilot, app, EnvVarDialog)
        field = dialog.query_one("#env-value", Input)
        assert field.value == escape(ESCAPED)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and "current value" in dialog.error_text()
        # Changing one escaped character keeps every other byte.
        await pilot.press("end", "backspace", "backspace", "Z")
        await pilot.press("enter")
        await wait_for_screen(pilot, app, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        assert len(writes_to(sandbox.sandbox, "PUT", f"/environments/{key}")) == 1
        assert world_env(sandbox)[key].value == ESCAPED[:-1] + "Z"
