"""The reusable stack chooser: type to filter, pick, close."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input

from c66tui.api.models import Stack
from c66tui.ops.stack_search import filter_stacks
from c66tui.ui.widgets.stack_chooser import StackChooser

STACKS = [
    Stack(uid="u1", name="billing-api", environment="production", account_name="acme"),
    Stack(uid="u2", name="shop [bold]web", environment="staging", account_name="acme"),
    Stack(uid="u3", name="shop-workers", environment="production", account_name="globex"),
    Stack(uid="u4", name="analytics", environment="development", account_name="globex"),
]


class ChooserApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[str] = []
        self.closed = 0

    def compose(self) -> ComposeResult:
        yield StackChooser(STACKS, selected_uid="u1", id="chooser")
        yield DataTable(id="below")

    def on_stack_chooser_changed(self, event: StackChooser.Changed) -> None:
        self.changes.append(event.stack.uid)

    def on_stack_chooser_closed(self, event: StackChooser.Closed) -> None:
        self.closed += 1


def test_filter_matches_every_word_and_ranks_prefix_first() -> None:
    assert [s.uid for s in filter_stacks(STACKS, "shop")] == ["u2", "u3"]
    assert [s.uid for s in filter_stacks(STACKS, "shop prod")] == ["u3"]
    assert [s.uid for s in filter_stacks(STACKS, "GLOBEX")] == ["u3", "u4"]
    assert [s.uid for s in filter_stacks(STACKS, "a")][0] == "u4"  # "analytics" starts with a
    assert filter_stacks(STACKS, "") == STACKS
    assert filter_stacks(STACKS, "nothing") == []


async def test_type_to_filter_and_pick() -> None:
    app = ChooserApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chooser = app.query_one(StackChooser)
        assert chooser.stack.uid == "u1"
        chooser.focus()
        await pilot.press("s", "h", "o", "p", "space", "p", "r")
        assert chooser.is_open
        assert app.query_one("#stack-chooser-input", Input).value == "shop pr"
        await pilot.press("enter")
        await pilot.pause()
        assert not chooser.is_open
        assert chooser.stack.uid == "u3"
        assert app.changes == ["u3"]
        assert app.closed == 1


async def test_arrows_escape_and_no_change() -> None:
    app = ChooserApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chooser = app.query_one(StackChooser)
        chooser.open()
        await pilot.pause()
        await pilot.press("down", "down")
        await pilot.press("escape")
        await pilot.pause()
        assert chooser.stack.uid == "u1"
        assert app.changes == []
        assert app.closed == 1
        assert chooser.has_focus
        # Re-open and pick the already chosen stack: closes without Changed.
        await pilot.press("enter")
        assert chooser.is_open
        await pilot.press("enter")
        await pilot.pause()
        assert app.changes == []
        assert app.closed == 2


async def test_select_and_set_stacks_do_not_post_changed() -> None:
    app = ChooserApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chooser = app.query_one(StackChooser)
        assert chooser.select("u4")
        assert not chooser.select("missing")
        chooser.set_stacks(STACKS[:2])
        assert chooser.stack is None  # u4 is gone
        chooser.set_stacks(STACKS, selected_uid="u2")
        await pilot.pause()
        assert chooser.stack.uid == "u2"
        assert app.changes == []
        rendered = str(app.query_one("#stack-chooser-current").render())
        assert "shop [bold]web" in rendered


async def test_no_match_then_enter_bells_and_stays_open() -> None:
    app = ChooserApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chooser = app.query_one(StackChooser)
        chooser.open("zzz")
        await pilot.pause()
        await pilot.press("enter")
        assert chooser.is_open
        assert chooser.stack.uid == "u1"


async def test_focus_leaving_closes_the_list() -> None:
    app = ChooserApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chooser = app.query_one(StackChooser)
        chooser.open()
        await pilot.pause()
        app.query_one("#below").focus()
        await pilot.pause()
        await pilot.pause()
        assert not chooser.is_open
        assert app.closed == 1
