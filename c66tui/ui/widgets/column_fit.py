"""Tables whose columns fit the terminal: text is cut with ``…``, values never.

A column is either *flexible* (names, users, roles, messages: cut with an ellipsis down
to ``shrink_to`` cells) or *whole* (addresses, ids, hashes: a cut address that still
looks like an address misleads, so it always gets the width of its longest value). When
even the shrunk columns do not fit, columns are dropped from the right, so columns are
listed most important first. Nothing straddles the right edge, and no sideways scroll
is needed to see a whole value.

:class:`FittedColumns` drives one ``DataTable``: give it the table's rows (all cells, in
column order) and it shows the columns that fit, rebuilding the columns only when the
plan changes (on resize, or a longer address).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import DataTable

PADDING = 2
"""DataTable's cell padding on both sides of a cell."""


@dataclass(frozen=True)
class FitColumn:
    """One column: its label, the width it wants, and how far it may shrink (``None``:
    never cut, it gets its longest value's width or is dropped)."""

    label: str
    width: int
    shrink_to: int | None = None


def plan_widths(
    total: int, columns: Sequence[FitColumn], wanted: Sequence[int]
) -> list[int | None]:
    """Widths for ``columns`` in ``total`` cells (``None``: the column is dropped).

    ``wanted`` is each column's preferred width (a whole column's longest value)."""
    widths: list[int | None] = list(wanted)

    def need() -> int:
        return sum(w + PADDING for w in widths if w is not None)

    for index in reversed(range(len(columns))):
        over = need() - total
        if over <= 0:
            break
        floor = columns[index].shrink_to
        current = widths[index]
        if floor is not None and current is not None:
            widths[index] = max(min(floor, current), current - over)
    for index in reversed(range(1, len(columns))):
        if need() <= total:
            break
        widths[index] = None
    return widths


class FittedColumns:
    """Keeps one ``DataTable``'s columns fitted to its width (see the module docstring)."""

    def __init__(self, table: DataTable, columns: Sequence[FitColumn]) -> None:
        self.table = table
        if isinstance(table, FitTable):
            table.fit = self
        self.columns = tuple(columns)
        self.rows: list[tuple[str | None, tuple[Text, ...]]] = []
        self._plan: list[int | None] | None = None

    @property
    def shown_labels(self) -> list[str]:
        """Labels of the columns on screen."""
        plan = self._plan or []
        return [c.label for c, w in zip(self.columns, plan, strict=False) if w is not None]

    def _wanted(self) -> list[int]:
        wanted = []
        for index, column in enumerate(self.columns):
            width = column.width
            if column.shrink_to is None:
                longest = max((row[1][index].cell_len for row in self.rows), default=0)
                width = max(width, len(column.label), longest)
            wanted.append(width)
        return wanted

    def set_rows(self, rows: Sequence[tuple[str | None, Sequence[Text]]]) -> None:
        """Show ``rows`` (key, every cell in column order), refitting if needed."""
        self.rows = [(key, tuple(cells)) for key, cells in rows]
        self.refit(force_rows=True)

    def refit(self, *, force_rows: bool = False) -> None:
        """Re-plan for the table's current width; rebuild what changed."""
        table = self.table
        total = (table.size.width or table.app.size.width) - table.styles.scrollbar_size_vertical
        plan = plan_widths(total, self.columns, self._wanted())
        if plan != self._plan:
            self._plan = plan
            keep = table.cursor_coordinate
            table.clear(columns=True)
            for column, width in zip(self.columns, plan, strict=True):
                if width is not None:
                    table.add_column(column.label, width=width)
            self._add_rows()
            if table.row_count:
                table.move_cursor(row=min(keep.row, table.row_count - 1), animate=False)
        elif force_rows:
            table.clear()
            self._add_rows()

    def _add_rows(self) -> None:
        plan = self._plan or []
        for key, cells in self.rows:
            shown = [cell for cell, width in zip(cells, plan, strict=False) if width is not None]
            self.table.add_row(*shown, key=key)


class FitTable(DataTable):
    """A ``DataTable`` that refits its :class:`FittedColumns` whenever its width changes
    (a terminal resize, a scroll bar appearing beside it)."""

    fit: FittedColumns | None = None

    def on_resize(self) -> None:
        if self.fit is not None:
            self.fit.refit()
