"""``enter`` means one thing in every confirmation dialog: on the confirming button or in
the typed field (when it matches) it confirms; in an optional field it moves to the
confirming button and confirms nothing; on Cancel it cancels."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.screen import ModalScreen
from textual.widgets import Button, Input

from c66tui.api.models import Job, Stack
from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.dialogs.deploy_queue import DeployQueueDialog
from c66tui.ui.dialogs.redeploy_dialog import RedeployDialog
from c66tui.ui.dialogs.run_job import RunJobDialog

STAGING = Stack("u1", "shop-web", "staging", status=1)
PRODUCTION = Stack("u2", "shop-api", "production", status=1)


class Host(App):
    """A bare app that opens one dialog and records its answers."""

    def __init__(self, dialog: ModalScreen) -> None:
        super().__init__()
        self.dialog = dialog
        self.answers: list = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.answers.append)


# (dialog factory, optional field, confirming button)
WITH_FIELD = {
    "redeploy": (lambda: RedeployDialog(STAGING), "#redeploy-ref", "#redeploy-ok"),
    "queue": (lambda: DeployQueueDialog([STAGING, STAGING]), "#queue-ref", "#queue-ok"),
    "run job": (lambda: RunJobDialog(Job("j1", "backup"), STAGING), "#run-args", "#run-ok"),
}


@pytest.mark.parametrize("kind", list(WITH_FIELD))
async def test_enter_in_an_optional_field_moves_to_confirm_then_confirms(kind):
    make, field, ok = WITH_FIELD[kind]
    app = Host(make())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        dialog.query_one(field, Input).focus()
        await pilot.press(*"main", "enter")
        await pilot.pause()
        assert app.answers == []  # enter in the field confirmed nothing
        assert dialog.focused is dialog.query_one(ok, Button)
        await pilot.press("enter")
        await pilot.pause()
    assert len(app.answers) == 1 and app.answers[0]


@pytest.mark.parametrize("kind", list(WITH_FIELD))
async def test_enter_on_cancel_cancels(kind):
    make, _field, _ok = WITH_FIELD[kind]
    app = Host(make())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Button) and "cancel" in (app.focused.id or "")
        await pilot.press("enter")
        await pilot.pause()
    assert app.answers == [None]


# (dialog factory, typed field, what to type)
TYPED = {
    "confirm": (
        lambda: ConfirmDialog("Delete?", ["x"], require_typed="api"),
        "#confirm-typed",
        "api",
    ),
    "redeploy": (lambda: RedeployDialog(PRODUCTION), "#redeploy-typed", "shop-api"),
    "queue": (lambda: DeployQueueDialog([PRODUCTION, STAGING]), "#queue-typed", "shop-api"),
}


@pytest.mark.parametrize("kind", list(TYPED))
async def test_enter_in_the_typed_field_confirms_only_when_it_matches(kind):
    make, field, word = TYPED[kind]
    app = Host(make())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        typed = dialog.query_one(field, Input)
        typed.focus()
        await pilot.press("x", "enter")
        await pilot.pause()
        assert app.answers == []  # wrong: it says why and stays open
        assert dialog.focused is typed
        await pilot.press("backspace", *word, "enter")
        await pilot.pause()
    assert len(app.answers) == 1 and app.answers[0]
