"""The jobs table fits its width: columns share it by priority, nothing scrolls
sideways, every cut shows ``…`` and schedules, times and states are never cut."""

from __future__ import annotations

import pytest
from rich.text import Text

from c66tui.ui.widgets.column_fit import FitColumn
from c66tui.ui.widgets.job_table import COLUMNS, FIT, fit_cell, regrow
from tests.ui.test_jobs import (
    HISTORY_STACK,
    MARKUP_STACK,
    fast_follow,  # noqa: F401 - autouse fixture
)
from tests.ui.test_jobs_snapshots import _open, jobs_app, sandbox  # noqa: F401 - fixtures

WHOLE = [key for key, _label in COLUMNS if FIT[key].shrink_to is None]


def shown_cells(table) -> list[list[str]]:
    return [[cell.plain for cell in table.get_row(uid)] for uid in table.shown_uids]


@pytest.mark.parametrize("size", [(60, 18), (80, 24), (120, 40)], ids=str)
@pytest.mark.parametrize("stack", [HISTORY_STACK, MARKUP_STACK])
async def test_no_sideways_scroll_and_whole_values_stay_whole(jobs_app, size, stack):  # noqa: F811
    app = jobs_app()
    async with app.run_test(size=size) as pilot:
        screen = await _open(pilot, stack)
        await pilot.pause()
        table = screen.table
        assert table.max_scroll_x == 0, "the jobs table scrolls sideways"
        shown = table.shown_columns
        assert shown[:2] == ["name", "status"]  # the most important columns stay
        for uid, row in zip(table.shown_uids, shown_cells(table), strict=True):
            for key, text in zip(shown, row, strict=True):
                whole = table.full_cell(uid, key).plain
                if key in WHOLE:
                    assert text == whole, f"{key} cut: {text!r} for {whole!r}"
                elif text != whole:
                    assert text.endswith("…") and whole.startswith(text[:-1])
        # The columns shown fill no more than the width; the labels are whole.
        assert [c.label.plain for c in table.columns.values()] == [
            dict(COLUMNS)[key] for key in shown
        ]


async def test_narrow_terminal_keeps_name_and_state_and_grows_back(jobs_app):  # noqa: F811
    app = jobs_app()
    async with app.run_test(size=(60, 18)) as pilot:
        screen = await _open(pilot, HISTORY_STACK)
        await pilot.pause()
        narrow = screen.table.shown_columns
        assert "result" not in narrow and "params" not in narrow
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert len(screen.table.shown_columns) > len(narrow)
        assert screen.table.max_scroll_x == 0


def test_regrow_gives_freed_width_to_cut_columns_in_order():
    columns = [FitColumn("Name", 28, shrink_to=10), FitColumn("State", 8)]
    # 40 cells: name cut to 10 while a dropped column freed the rest.
    assert regrow([10, 8, None], [*columns, FitColumn("X", 9)], [20, 8, 9], 40) == [20, 8, None]
    assert regrow([10, 8], columns, [30, 8], 24) == [12, 8]


def test_fit_cell_cuts_with_an_ellipsis_and_keeps_style():
    cell = Text("rotate_logs_daily", style="bold")
    cut = fit_cell(cell, 8)
    assert cut.plain == "rotate_…" and cut.cell_len == 8 and cut.style == "bold"
    assert fit_cell(cell, 40) is cell
