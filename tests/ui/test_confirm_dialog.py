"""The reusable confirmation dialog: safe default focus, y/n/esc, typed confirmation."""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.widgets import Button, Input

from c66tui.ui.dialogs.confirm import ConfirmDialog


class Host(App):
    """A bare app that records the dialog's answers."""

    def __init__(self, dialog: ConfirmDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.answers: list[bool] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.answers.append)


def make(**kwargs) -> Host:
    return Host(ConfirmDialog("Redeploy stack?", [Text("[bold]api"), "env: production"], **kwargs))


async def test_cancel_is_focused_and_enter_cancels():
    app = make(confirm_label="Redeploy", danger=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Button) and app.focused.id == "confirm-cancel"
        await pilot.press("enter")
        await pilot.pause()
    assert app.answers == [False]


async def test_y_confirms_once():
    app = make()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("y", "y")
        await pilot.pause()
    assert app.answers == [True]


async def test_n_and_escape_cancel():
    for key in ("n", "escape"):
        app = make()
        async with app.run_test() as pilot:
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
        assert app.answers == [False]


async def test_lines_are_literal():
    app = make()
    async with app.run_test() as pilot:
        await pilot.pause()
        text = " ".join(str(s.render()) for s in app.screen.query(".dialog-line"))
        assert "[bold]api" in text


async def test_require_typed_blocks_y_until_typed():
    app = make(require_typed="api-prod")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press("enter")
        await pilot.pause()
        assert app.answers == []
        app.screen.query_one("#confirm-cancel", Button).focus()
        await pilot.press("y")
        await pilot.pause()
        assert app.answers == []
        assert isinstance(app.focused, Input)
        assert app.focused.value == "y"  # a letter: it went into the field
        assert app.screen.query_one("#confirm-ok", Button).disabled
        await pilot.press("backspace", *"api-pro")
        await pilot.press("enter")
        await pilot.pause()
        assert app.answers == []
        await pilot.press("d")
        assert not app.screen.query_one("#confirm-ok", Button).disabled
        await pilot.press("enter")
        await pilot.pause()
    assert app.answers == [True]


async def test_typed_letters_do_not_trigger_keys():
    app = make(require_typed="nyan")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n", "y", "a")
        await pilot.pause()
        assert app.answers == []
        assert app.screen.query_one("#confirm-typed", Input).value == "nya"
        await pilot.press("escape")
        await pilot.pause()
    assert app.answers == [False]


def test_danger_dialog_snapshot_80x24(snap_compare):
    app = Host(
        ConfirmDialog(
            "Redeploy stack?",
            [Text("[bold]api (production)"), "Branch: main", "Cloud 66 queues it if busy."],
            confirm_label="Redeploy",
            danger=True,
        )
    )
    assert snap_compare(app, terminal_size=(80, 24))


def test_typed_dialog_snapshot_80x24(snap_compare):
    app = Host(
        ConfirmDialog(
            "Delete variable?", ["DATABASE_URL on api-prod"], require_typed="api-prod", danger=True
        )
    )
    assert snap_compare(app, terminal_size=(80, 24))
