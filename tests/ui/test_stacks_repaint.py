"""What the stack list sends to the terminal: over a slow SSH link every byte counts.

A changed cell repaints its own line of the list, never the whole table; a poll that finds
nothing new repaints only the identity bar, whose API budget counter moved. The terminal
rows are read from the escape sequences the compositor's updates render to.
"""

from __future__ import annotations

import re
from datetime import timedelta

from c66tui.ui import clock
from c66tui.ui.widgets.identity_bar import IdentityBar
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


async def test_aged_relative_times_repaint_only_their_own_lines(app_factory):
    app = app_factory()
    repaints = Repaints(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await settle(pilot, screen)
        table = screen.table
        before = {uid: table.get_cell(uid, "activity").plain for uid in table.visible_uids}
        later = clock.now() + timedelta(hours=3)
        table._now = lambda: later
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
        assert table.get_cell(target, "maint").plain == "▲ on"
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


async def test_partial_updates_leave_the_terminal_as_a_full_repaint_would(app_factory, sandbox):
    """At 80x24, scrolled sideways (the name and mark columns stay fixed): aged times, a
    mark and a changed stack are painted where they belong."""
    app = app_factory()
    repaints = Repaints(app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await stacks_ready(app, pilot)
        await settle(pilot, screen)
        table = screen.table
        table.scroll_to(x=table.max_scroll_x, animate=False)
        await pilot.pause()
        assert table.scroll_x > 0
        shown = [uid for uid in table.visible_uids if screen_row(table, uid) is not None]
        before = {uid: table.get_cell(uid, "activity").plain for uid in shown}
        later = clock.now() + timedelta(hours=3)
        table._now = lambda: later
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
