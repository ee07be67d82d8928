"""j/k, g/G and Home/End move through every list; in a field they are typed."""

from __future__ import annotations

from textual.containers import VerticalScroll

from c66tui.ui.widgets.filter_bar import FilterBar
from tests.ui.test_jobs import open_jobs
from tests.ui.test_stacks_support import stacks_ready, wait_until


async def _walk(pilot, table) -> None:
    last = table.row_count - 1
    assert last > 1
    for keys, row in (
        (("G",), last),
        (("g",), 0),
        (("end",), last),
        (("home",), 0),
        (("j", "j"), 2),
        (("k",), 1),
    ):
        await pilot.press(*keys)
        await pilot.pause()
        assert table.cursor_row == row, keys
    assert table.scroll_x == 0, "home/end move rows, not sideways"


async def test_list_keys_on_the_stacks_jobs_and_journal_lists(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await stacks_ready(app, pilot)
        await _walk(pilot, screen.table)
        await pilot.press("slash", "j", "k", "g")
        await pilot.pause()
        assert screen.query_one("#stacks-filter", FilterBar).value == "jkg"
        await pilot.press("escape")
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "StackDetailScreen")
        await wait_until(pilot, lambda: app.screen.query_one("#deployments").row_count > 2)
        await _walk(pilot, app.screen.query_one("#deployments"))
        await pilot.press("escape")
        await pilot.pause()
        jobs = await open_jobs(app, pilot, screen.table.cursor_stack.name)
        table = jobs.table
        if table.row_count > 2:
            await _walk(pilot, table)


async def test_list_keys_scroll_the_help(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await stacks_ready(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        body = app.screen.query_one(VerticalScroll)
        assert body.max_scroll_y > 0
        await pilot.press("G")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert body.scroll_y == 0


async def test_help_says_when_more_keys_are_below(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await stacks_ready(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.pause()
        hint = str(app.screen.query_one("#help-hint").render())
        assert "more below" in hint, hint
        await pilot.press("G")
        await pilot.pause()
        await pilot.pause()
        hint = str(app.screen.query_one("#help-hint").render())
        assert "more above" in hint and "below" not in hint, hint
