"""Keys are answered while thousands of stacks go into the list.

The list compares, updates and adds rows in slices, handing the event loop back between
them: a key pressed while 5,000 stacks are being shown is handled before the last row is
in, and what it asked for (a cursor move, a filter, a sort) holds once the fill is done.
"""

from __future__ import annotations

import asyncio

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding

from c66tui.api.models import Stack
from c66tui.ui.widgets.stack_table import StackTable
from tests.waiting import until

COUNT = 5_000


def many_stacks(count: int = COUNT) -> list[Stack]:
    environments = ("production", "staging", "development")
    return [
        Stack(
            uid=f"u{n:05d}",
            name=f"{'shop' if n % 7 == 0 else 'api'}-{n:05d}",
            environment=environments[n % 3],
            status=(1, 2, 6)[n % 3],
            health=3,
        )
        for n in range(count)
    ]


class ListApp(App):
    """The stack list and a key that notes how far the fill had come when it arrived."""

    BINDINGS = [Binding("x", "note", "Note")]

    def __init__(self) -> None:
        super().__init__()
        self.table = StackTable()
        self.noted: list[tuple[int, int]] = []

    def compose(self) -> ComposeResult:
        yield self.table

    def action_note(self) -> None:
        self.noted.append((self.table.row_count, len(self.table.visible_uids)))


async def test_a_key_pressed_while_rows_go_in_is_handled_before_the_last_row():
    app = ListApp()
    async with app.run_test(size=(120, 40)) as pilot:
        load = asyncio.create_task(app.table.set_stacks_in_slices(many_stacks()))
        await asyncio.sleep(0)  # the load begins (pilot.pause would wait for it to end)
        await pilot.press("x")  # returns once the app is idle: the fill may be over by then
        rows, total = app.noted[0]  # how far it was when the key was handled
        assert total == COUNT and rows < COUNT, "the key waited for the whole list"
        await load
        assert app.table.row_count == COUNT


async def test_the_first_screenful_is_shown_at_once_and_the_rest_follows():
    app = ListApp()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.table
        table.set_stacks(many_stacks())
        assert table.filling and 40 <= table.row_count < COUNT
        assert table.visible_uids[:40] == [table.get_row_at(i)[1].row_key for i in range(40)]
        # The scrollbar is sized for the whole list from the start (it does not move, and
        # the table is not repainted whole, at each slice).
        header = table.header_height
        await until(
            None,
            lambda: table.virtual_size.height > table.row_count + header,
            what="sized for the rows still to come",
        )
        assert table.virtual_size.height == COUNT + header
        await table.wait_filled()
        await pilot.pause()
        assert table.row_count == COUNT
        assert [row.key.value for row in table.ordered_rows] == table.visible_uids
        assert table.virtual_size.height == COUNT + table.header_height  # scrolls to the end


async def test_cursor_moves_during_the_fill_and_stays_where_the_user_put_it():
    app = ListApp()
    async with app.run_test(size=(120, 40)):
        table = app.table
        load = asyncio.create_task(table.set_stacks_in_slices(many_stacks()))
        await until(None, lambda: table.row_count > 2, what="the first rows are in")
        for key in ("down", "down", "x"):  # typed ahead, as over a laggy link
            app.post_message(events.Key(key, None))
        await load
        assert app.noted[0][0] < COUNT  # the keys came before the last row
        assert table.cursor_row == 2


async def test_a_filter_or_sort_typed_during_the_fill_holds_once_it_is_done():
    app = ListApp()
    async with app.run_test(size=(120, 40)):
        table = app.table
        stacks = many_stacks()
        load = asyncio.create_task(table.set_stacks_in_slices(stacks))
        while not table.filling:  # the fill is under way
            await asyncio.sleep(0)
        table.set_filter("shop")
        table.set_sort("status")
        await load
        await table.wait_filled()
        wanted = {s.uid for s in stacks if s.name.startswith("shop")}
        shown = [row.key.value for row in table.ordered_rows]
        assert set(shown) == wanted and shown == table.visible_uids
        ranks = [table.stacks[uid].status for uid in shown]
        assert ranks == sorted(ranks, key=lambda s: {2: 0, 6: 1, 1: 2}[s])


async def test_a_refresh_of_an_unchanged_list_changes_no_cell():
    app = ListApp()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.table
        stacks = many_stacks()
        await table.set_stacks_in_slices(stacks)
        await pilot.pause()
        assert await table.set_stacks_in_slices(list(stacks)) == 0
        assert table.row_count == COUNT


async def test_a_resize_or_theme_change_during_the_fill_ends_with_every_row():
    app = ListApp()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.table
        load = asyncio.create_task(table.set_stacks_in_slices(many_stacks()))
        while not table.filling:
            await asyncio.sleep(0)
        await pilot.resize_terminal(50, 20)  # columns are left out: the table is rebuilt
        app.theme = "textual-light"
        await load
        await table.wait_filled()
        await pilot.pause()
        assert table.row_count == COUNT
        assert [row.key.value for row in table.ordered_rows] == table.visible_uids
        assert "activity" not in {key.value for key in table.columns}
