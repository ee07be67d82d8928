"""Cell renders cached by content: the same lines as ``DataTable``'s own, fewer renders.

A table with :class:`~c66tui.ui.widgets.cell_renders.ContentCellRenders` must draw every
line exactly as a plain ``DataTable`` holding the same cells does (styles, the cursor,
the fixed column, and the row/column meta that mouse clicks read), before and after a
sort; and after a sort its cells come from the cache instead of being rendered again.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from c66tui.ui.widgets.cell_renders import ContentCellRenders

ROWS = 200
STATES = [Text("live", style="green"), Text("failed", style="bold red"), Text("queued")]
AGES = [Text(f"{n}d") for n in range(7)]
SHARED = {id(cell) for cell in (*STATES, *AGES)}


class CachedTable(ContentCellRenders):
    """A ``DataTable`` with cell renders cached by content."""


class TwoTables(App):
    """The same rows in a plain table and in a cached one, side by side."""

    CSS = "DataTable { width: 1fr; height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", fixed_columns=1, id="plain")
        yield CachedTable(cursor_type="row", fixed_columns=1, id="cached")

    def on_mount(self) -> None:
        names = [Text(f"stack-{n:03d}", style="bold") for n in range(ROWS)]
        for table in self.query(DataTable):
            for key, width in (("name", 12), ("state", 8), ("age", 6), ("note", 10)):
                table.add_column(key.title(), width=width, key=key)
            for n in range(ROWS):  # shared cell objects, as the stack list shares them
                table.add_row(
                    names[n], STATES[n % 3], AGES[n % 7], f"plain {n % 5}", key=f"u{n}"
                )


def lines(table: DataTable) -> list[list]:
    """Every line of ``table`` as rendered now, as lists of segments."""
    return [list(strip) for strip in table.render_lines(table.size.region)]


async def focused_lines(pilot, table: DataTable) -> list[list]:
    """The lines of ``table`` with the focus on it (the cursor's look depends on it)."""
    table.focus()
    await pilot.pause()
    return lines(table)


async def test_cached_cells_draw_what_the_datatable_draws_before_and_after_a_sort():
    app = TwoTables()
    async with app.run_test(size=(120, 30)) as pilot:
        plain, cached = app.query_one("#plain"), app.query_one("#cached")
        for table in (plain, cached):
            table.move_cursor(row=3)
        assert await focused_lines(pilot, cached) == await focused_lines(pilot, plain)
        assert any(s.style and s.style.meta.get("row") == 3 for s in lines(plain)[4])
        for table in (plain, cached):
            table.sort("state", key=lambda cell: cell.plain)
        assert await focused_lines(pilot, cached) == await focused_lines(pilot, plain)


async def test_after_a_sort_the_cells_in_view_come_from_the_cache():
    app = TwoTables()
    async with app.run_test(size=(120, 30)) as pilot:
        cached = app.query_one("#cached")
        await pilot.pause()
        lines(cached)  # everything in view rendered once
        console = app.console
        original = console.render_lines
        renders = []

        def counting(renderable, *args, **kwargs):
            cell = getattr(getattr(renderable, "renderable", None), "renderable", None)
            if id(cell) in SHARED:
                renders.append(cell)
            return original(renderable, *args, **kwargs)

        console.render_lines = counting
        try:
            cached.sort("age", key=lambda cell: cell.plain)
            shown = lines(cached)
        finally:
            console.render_lines = original
        assert len(shown) == cached.size.height
        # Rows that scrolled into view bring names not seen before; the shared cells
        # (states, ages) are rendered again only for a look not seen yet: the cursor row.
        rows_in_view = cached.size.height - 1
        assert len(renders) <= 2, [cell.plain for cell in renders]
        assert rows_in_view > 10  # without the cache: two shared cells a row in view
