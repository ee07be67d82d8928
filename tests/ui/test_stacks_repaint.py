"""What the stack list sends to the terminal: over a slow SSH link every byte counts.

A changed cell repaints its own line of the list, never the whole table; a poll that finds
nothing new repaints only the identity bar, whose API budget counter moved. The terminal
rows are read from the escape sequences the compositor's updates render to.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from c66tui.api.models import Stack
from c66tui.ops import clock
from c66tui.ui.widgets.identity_bar import IdentityBar
from c66tui.ui.widgets.stack_table import StackTable
from tests.terminal_screen import Screen
from tests.ui.rendering import screen_lines
from tests.ui.test_stacks_support import settle, stacks_ready

ROW = re.compile(r"\x1b\[(\d+);\d+H")


class Repaints:
    """Records the terminal rows (0-based) each screen update of ``app`` writes."""

    def __init__(self, app) -> None:
        self.rows: set[int] = set()
        self.bytes = 0
        self.recording = False
        self.everything: list[str] = []
        """Every update since the app started, recording or not."""
        original = app._display

        def display(screen, renderable) -> None:
            if renderable is not None:
                text = renderable.render_segments(app.console)
                self.everything.append(text)
                if self.recording:
                    self.bytes += len(text.encode("utf-8"))
                    self.rows.update(int(row) - 1 for row in ROW.findall(text))
            original(screen, renderable)

        app._display = display

    def start(self) -> None:
        self.rows, self.bytes, self.recording = set(), 0, True

    def stop(self) -> set[int]:
        self.recording = False
        return set(self.rows)


def screen_row(table, uid: str) -> int | None:
    """The terminal row showing ``uid`` (``None`` when scrolled out of view)."""
    row = table.region.y + table.header_height + table.get_row_index(uid) - round(table.scroll_y)
    top = table.region.y + table.header_height
    return row if top <= row < table.region.bottom else None


async def test_aged_relative_times_repaint_only_their_own_lines(app_factory, frozen_clock):
    app = app_factory()
    repaints = Repaints(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await settle(pilot, screen)
        table = screen.table
        before = {uid: table.get_cell(uid, "activity").plain for uid in table.visible_uids}
        later = clock.now() + timedelta(hours=3)
        frozen_clock(later)
        repaints.start()
        updated = table.refresh_times()
        await pilot.pause()
        await pilot.pause()
        rows = repaints.stop()
        aged = [
            uid
            for uid in table.visible_uids
            if table.get_cell(uid, "activity").plain != before[uid]
        ]
        aged_rows = {screen_row(table, uid) for uid in aged} - {None}
        still_rows = {screen_row(table, u) for u in table.visible_uids if u not in aged} - {None}
        assert updated == len(aged) > 0
        assert aged_rows and still_rows, "the seed should age some shown rows and not others"
        assert rows == aged_rows
        assert repaints.bytes < 1000 * len(aged_rows)


async def test_a_changed_stack_repaints_its_own_line_and_the_budget_counter(app_factory, sandbox):
    app = app_factory()
    repaints = Repaints(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await settle(pilot, screen)
        table = screen.table
        target = next(
            uid
            for uid in table.visible_uids
            if screen_row(table, uid) is not None and not table.stacks[uid].maintenance_mode
        )
        sandbox.sandbox.stacks[target].maintenance = True
        repaints.start()
        screen.refresh_stacks()
        await settle(pilot, screen)
        rows = repaints.stop()
        assert table.get_cell(target, "status").plain.endswith("▲ maint")
        bar = app.screen.query_one(IdentityBar).region.y
        assert rows == {screen_row(table, target), bar}


async def test_poll_that_finds_nothing_new_repaints_only_the_budget_counter(app_factory):
    app = app_factory()
    repaints = Repaints(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await settle(pilot, screen)
        repaints.start()
        screen.refresh_stacks()
        await settle(pilot, screen)
        rows = repaints.stop()
        bar = app.screen.query_one(IdentityBar)
        assert rows == {bar.region.y}
        assert "API " in str(bar.render())


async def test_partial_updates_leave_the_terminal_as_a_full_repaint_would(
    app_factory, sandbox, frozen_clock
):
    """At 80x24: aged times, a mark and a changed stack are painted where they belong."""
    app = app_factory()
    repaints = Repaints(app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await stacks_ready(app, pilot)
        await settle(pilot, screen)
        table = screen.table
        assert table.max_scroll_x == 0, "every column fits at 80 columns"
        shown = [uid for uid in table.visible_uids if screen_row(table, uid) is not None]
        before = {uid: table.get_cell(uid, "activity").plain for uid in shown}
        later = clock.now() + timedelta(hours=3)
        frozen_clock(later)
        repaints.start()
        assert table.refresh_times() > 0
        # Rows whose time did not age: their line is repainted for the mark alone.
        still = [uid for uid in shown if table.get_cell(uid, "activity").plain == before[uid]]
        table.toggle_mark(still[0])
        sandbox.sandbox.stacks[still[1]].maintenance = True
        screen.refresh_stacks()
        await settle(pilot, screen)
        await pilot.pause()
        assert len(repaints.stop()) < 24, "expected partial updates, not a full repaint"
        terminal = Screen(80, 24)
        terminal.feed("".join(repaints.everything).encode())
        # What a full repaint shows (every widget's cached lines thrown away first).
        for widget in app.screen.query("*"):
            widget.refresh()
        await pilot.pause()
        assert terminal.lines() == [line.rstrip() for line in screen_lines(app)]


# -- a big account: 5,000 stacks -------------------------------------------------------


class ListApp(App):
    """Nothing but the stack list."""

    def __init__(self, table: StackTable) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


def big_account(count: int = 5_000) -> list[Stack]:
    return [
        Stack(uid=f"u{n:05d}", name=f"stack-{n:05d}", environment="staging", status=1, health=3)
        for n in range(count)
    ]


class RowWalks:
    """Counts reads of ``DataTable.ordered_rows`` by stack tables: a list of every row,
    rebuilt after each cell update."""

    def __init__(self, monkeypatch) -> None:
        self.count = 0
        walk = DataTable.ordered_rows.fget

        def counted(table):
            self.count += 1
            return walk(table)

        monkeypatch.setattr(StackTable, "ordered_rows", property(counted))


class RefreshCalls:
    """Records the regions of each ``refresh`` call of ``table`` (``()`` for the whole)."""

    def __init__(self, table) -> None:
        self.calls: list[tuple] = []
        original = table.refresh

        def refresh(*regions, **kwargs):
            self.calls.append(regions)
            return original(*regions, **kwargs)

        table.refresh = refresh


def full_repaint_matches(app, repaints: Repaints, size: tuple[int, int]) -> tuple:
    """What the recorded updates left on the terminal, and what a full repaint shows."""
    terminal = Screen(*size)
    terminal.feed("".join(repaints.everything).encode())
    return terminal.lines(), [line.rstrip() for line in screen_lines(app)]


async def test_many_changed_cells_on_a_big_list_repaint_their_lines_without_walking_the_rows(
    monkeypatch,
):
    stacks = big_account()
    stacks[1] = replace(stacks[1], maintenance_mode=True)  # the state column is as wide
    table = StackTable()
    app = ListApp(table)
    repaints = Repaints(app)
    async with app.run_test(size=(120, 40)) as pilot:
        table.set_stacks(stacks)
        await table.wait_filled()  # a big list goes in over a few frames
        await pilot.pause()
        await pilot.pause()
        changed = {s.uid for s in stacks[::10]}
        walks = RowWalks(monkeypatch)
        repaints.start()
        updated = table.set_stacks(
            [replace(s, maintenance_mode=s.uid in changed or s.maintenance_mode) for s in stacks]
        )
        assert updated == len(changed) == 500
        assert walks.count == 0, "a changed cell should not walk every row above it"
        await pilot.pause()
        await pilot.pause()
        rows = repaints.stop()
        in_view = {screen_row(table, uid) for uid in changed} - {None}
        assert len(in_view) == 4  # rows 0, 10, 20 and 30 of the 39 in view
        assert rows == in_view
        for widget in app.screen.query("*"):
            widget.refresh()
        await pilot.pause()
        shown, expected = full_repaint_matches(app, repaints, (120, 40))
        assert shown == expected


async def test_cells_changed_out_of_view_are_painted_when_scrolled_to(monkeypatch):
    stacks = big_account()
    table = StackTable()
    app = ListApp(table)
    repaints = Repaints(app)
    async with app.run_test(size=(80, 24)) as pilot:
        table.set_stacks(stacks)
        await table.wait_filled()  # a big list goes in over a few frames
        await pilot.pause()
        table.scroll_to(y=2_500, animate=False)
        await pilot.pause()
        await pilot.pause()
        assert round(table.scroll_y) == 2_500
        above, shown, below = stacks[2_400], stacks[2_505], stacks[2_600]
        repaints.start()
        for stack in (above, shown, below):
            table.put_cell(stack.uid, "env", Text("qa"))
        await pilot.pause()
        await pilot.pause()
        assert repaints.stop() == {screen_row(table, shown.uid)}
        for widget in app.screen.query("*"):
            widget.refresh()
        await pilot.pause()
        lines, expected = full_repaint_matches(app, repaints, (80, 24))
        assert lines == expected
        for stack in (above, below):
            table.scroll_to(y=table.get_row_index(stack.uid), animate=False)
            await pilot.pause()
            await pilot.pause()
            line = screen_lines(app)[screen_row(table, stack.uid)]
            assert stack.name in line and " qa " in line and "staging" not in line, line


async def test_more_than_a_screenful_of_changed_cells_repaints_the_list_once(monkeypatch):
    stacks = big_account()
    table = StackTable()
    app = ListApp(table)
    repaints = Repaints(app)
    async with app.run_test(size=(120, 40)) as pilot:
        table.set_stacks(stacks)
        await table.wait_filled()  # a big list goes in over a few frames
        await pilot.pause()
        await pilot.pause()
        refreshes = RefreshCalls(table)
        repaints.start()
        # The state of every row changes (deploying, in maintenance).
        updated = table.set_stacks([replace(s, maintenance_mode=True, status=6) for s in stacks])
        assert updated >= len(stacks)
        assert refreshes.calls == [()]
        await pilot.pause()
        await pilot.pause()
        repaints.stop()
        for widget in app.screen.query("*"):
            widget.refresh()
        await pilot.pause()
        lines, expected = full_repaint_matches(app, repaints, (120, 40))
        assert lines == expected
        assert "▶ deploying ▲ maint" in lines[1]
