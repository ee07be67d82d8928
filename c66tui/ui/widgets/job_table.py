"""The jobs table: one row per scheduled job, keyed by the job uid.

Columns share the table's width by priority (:func:`~c66tui.ui.widgets.column_fit.plan_widths`,
as in the stack detail): names, params and run messages are cut with ``…`` down to a
floor; schedules, times, states and types are never cut (a cut schedule still looks like
one and misleads): they get their width or their column is dropped, the least important
first. Nothing needs a sideways scroll, even at 60 columns.

The cells themselves are made in :mod:`c66tui.ui.widgets.job_cells` (shared with the
job detail; re-exported here).

:class:`JobTable` keeps every job's cells, shows the ones matching the filter and, when a
refresh brings the same jobs back, updates only the cells that changed (cursor and scroll
stay where they are).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from c66tui.ui.widgets.column_fit import PADDING, FitColumn, plan_widths
from c66tui.ui.widgets.job_cells import (
    NAME_WIDTH,
    PARAMS_WIDTH,
    RESULT_WIDTH,
    Palette,
    RowContext,
    RowExtra,
    format_local,
    job_cells,
    last_run_at,
    next_run_label,
    result_label,
    search_text,
    status_label,
    type_label,
)

__all__ = [  # the row formatting is re-exported for the screens that show jobs
    "COLUMNS",
    "FIT",
    "JobTable",
    "Palette",
    "RowContext",
    "RowExtra",
    "fit_cell",
    "format_local",
    "job_cells",
    "last_run_at",
    "next_run_label",
    "regrow",
    "result_label",
    "search_text",
    "status_label",
    "type_label",
]

COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("status", "Status"),
    ("schedule", "Schedule"),
    ("next", "Next run"),
    ("last", "Last run"),
    ("type", "Type"),
    ("params", "Params"),
    ("result", "Last run from here"),
)
"""Column keys and headers, most useful first so 80 columns show what matters."""

FIT: dict[str, FitColumn] = {
    "name": FitColumn("Name", NAME_WIDTH, shrink_to=10),
    "status": FitColumn("Status", 9),
    "schedule": FitColumn("Schedule", 9),
    "next": FitColumn("Next run", 9),
    "last": FitColumn("Last run", 8),
    "type": FitColumn("Type", 5),
    "params": FitColumn("Params", PARAMS_WIDTH, shrink_to=10),
    "result": FitColumn("Last run from here", RESULT_WIDTH + 10, shrink_to=18),
}
"""How each column gives way (:class:`~c66tui.ui.widgets.column_fit.FitColumn`): the
flexible ones (with ``shrink_to``) are cut with ``…``, the others never."""

def regrow(
    plan: list[int | None], columns: Sequence[FitColumn], wanted: Sequence[int], total: int
) -> list[int | None]:
    """Give the width that dropping columns freed back to the cut columns that are still
    shown, most important first (a name keeps as much as fits)."""
    plan = list(plan)
    spare = total - sum(width + PADDING for width in plan if width is not None)
    for index, (column, width) in enumerate(zip(columns, plan, strict=True)):
        if spare <= 0:
            break
        if width is not None and column.shrink_to is not None and width < wanted[index]:
            grown = min(wanted[index], width + spare)
            spare -= grown - width
            plan[index] = grown
    return plan


def fit_cell(cell: Text, width: int) -> Text:
    """``cell`` cut with ``…`` to ``width`` cells (itself when it fits)."""
    if cell.cell_len <= width:
        return cell
    cut = cell.copy()
    cut.truncate(width, overflow="ellipsis")
    return cut


class JobTable(DataTable):
    """Jobs of one stack; row keys are job uids."""

    BINDINGS = [Binding("enter", "select_cursor", "Detail", id="jobs.detail")]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            id=id,
            classes=classes,
            cursor_type="row",
            zebra_stripes=True,
            fixed_columns=1,
        )
        self._order: list[str] = []
        self._cells: dict[str, tuple[Text, ...]] = {}
        self._search: dict[str, str] = {}
        self._query = ""
        self._shown: list[str] = []

        self._plan: list[int | None] | None = None

    def on_mount(self) -> None:
        self._plan = self._fit()
        self._add_columns()

    def on_resize(self) -> None:
        if self._plan is not None and self._fit() != self._plan:
            self._rebuild(self._shown)

    # -- fitting ------------------------------------------------------------------

    def _fit(self) -> list[int | None]:
        """Each column's width for the table's width now (``None``: dropped)."""
        columns = [FIT[key] for key, _label in COLUMNS]
        wanted = []
        for index, column in enumerate(columns):
            longest = max((cells[index].cell_len for cells in self._cells.values()), default=0)
            if column.shrink_to is not None:
                longest = min(longest, column.width)
            wanted.append(max(len(column.label), longest, 1 if column.shrink_to else 0))
        total = (self.size.width or self.app.size.width) - self.styles.scrollbar_size_vertical
        return regrow(plan_widths(total, columns, wanted), columns, wanted, total)

    def _add_columns(self) -> None:
        for (key, label), width in zip(COLUMNS, self._plan or (), strict=True):
            if width is not None:
                self.add_column(label, key=key, width=width)

    @property
    def shown_columns(self) -> list[str]:
        """Keys of the columns on screen, left to right."""
        plan = self._plan or ()
        return [key for (key, _l), w in zip(COLUMNS, plan, strict=False) if w is not None]

    def _fitted(self, cells: tuple[Text, ...]) -> list[Text]:
        """The cells of the columns shown, cut with ``…`` to their column's width."""
        fitted: list[Text] = []
        for cell, width in zip(cells, self._plan or (), strict=True):
            if width is not None:
                fitted.append(fit_cell(cell, width))
        return fitted


    # -- data ---------------------------------------------------------------------

    @property
    def shown_uids(self) -> list[str]:
        """Uids of the rows on screen, top to bottom."""
        return list(self._shown)

    def full_cell(self, uid: str, column: str) -> Text:
        """Job ``uid``'s whole cell of ``column`` (the table may show it cut or not at
        all when the column does not fit)."""
        return self._cells[uid][[key for key, _label in COLUMNS].index(column)]

    @property
    def total(self) -> int:
        """How many jobs the table holds (shown or filtered out)."""
        return len(self._order)

    @property
    def query(self) -> str:
        return self._query

    @property
    def highlighted_uid(self) -> str | None:
        """The job uid under the cursor."""
        if not self._shown or not (0 <= self.cursor_row < len(self._shown)):
            return None
        return self._shown[self.cursor_row]

    def set_rows(self, rows: Sequence[tuple[str, tuple[Text, ...], str]]) -> None:
        """Show ``(uid, cells, search_text)`` rows; unchanged rows are left alone."""
        order = [uid for uid, _, _ in rows]
        old_cells = self._cells
        self._order = order
        self._cells = {uid: cells for uid, cells, _ in rows}
        self._search = {uid: search for uid, _, search in rows}
        shown = self._matching()
        if shown == self._shown and self.row_count == len(shown) and self._fit() == self._plan:
            self._update_changed(shown, old_cells)
        else:
            self._rebuild(shown)

    def update_row(self, uid: str, cells: tuple[Text, ...], search: str) -> None:
        """Replace one job's cells in place (a no-op for unknown uids)."""
        if uid not in self._cells:
            return
        old = self._cells[uid]
        self._cells[uid] = cells
        self._search[uid] = search
        if uid in self._shown:
            if self._fit() != self._plan:
                self._rebuild(self._shown)
                return
            self._update_changed([uid], {uid: old})

    def set_query(self, query: str) -> None:
        """Show only the jobs whose name, type, schedule, status or params match."""
        self._query = query
        shown = self._matching()
        if shown != self._shown:
            self._rebuild(shown)

    def _matching(self) -> list[str]:
        words = self._query.lower().split()
        if not words:
            return list(self._order)
        return [uid for uid in self._order if all(w in self._search[uid] for w in words)]

    def _rebuild(self, shown: list[str]) -> None:
        keep = self.highlighted_uid
        plan = self._fit()
        with self.app.batch_update():
            if plan != self._plan:
                self._plan = plan
                self.clear(columns=True)
                self._add_columns()
            else:
                self.clear()
            self._shown = shown
            for uid in shown:
                self.add_row(*self._fitted(self._cells[uid]), key=uid)
        if keep in shown:
            self.move_cursor(row=shown.index(keep), animate=False)

    def rebuild(self) -> None:
        """Redraw every row (after a theme change: styles are not compared in place)."""
        self._rebuild(self._matching())

    def _update_changed(self, uids: list[str], old_cells: dict[str, tuple[Text, ...]]) -> None:
        for uid in uids:
            new = self._cells[uid]
            old = old_cells.get(uid)
            if old is None:
                continue
            widths = self._plan or ()
            for (column, _), width, before, after in zip(COLUMNS, widths, old, new, strict=True):
                if width is not None and before != after:
                    self.update_cell(uid, column, fit_cell(after, width))
