"""Repainting only the stack list's cells that changed (a mixin of ``StackTable``).

``DataTable.update_cell`` stores a value and then repaints the *whole* table: over a slow
SSH link an aged "5m ago" would cost a screenful (about 29 KB at 120x40) instead of part
of one line (about 600 B). :meth:`CellRepaints.put_cell` stores the value the same way
and repaints only the cell's region; a cell out of view repaints nothing, and a batch
(:meth:`CellRepaints.repaint_batch`) that changes more than a screenful of cells in view
repaints the table once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.text import Text
from textual.geometry import Region
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey


class CellRepaints(DataTable):
    """Cell-sized repaints for a ``DataTable`` whose rows are one line each."""

    cells_updated = 0
    """How many cells have been stored by :meth:`put_cell` (tests and benchmarks)."""
    _pending_repaints: list[Region] | None = None
    """Cell regions the current :meth:`repaint_batch` repaints at its end (``None``
    outside a batch)."""
    _repaint_whole = False
    """The current batch repaints the whole table instead."""

    def put_cell(self, uid: str, column: str, cell: Text) -> None:
        """Show ``cell`` in row ``uid``, column ``column``, repainting only that cell.

        The value is stored as ``DataTable.update_cell`` stores it (bumping the table's
        update count, which its render caches are keyed on); only the cell's region is
        repainted (:meth:`_repaint_cell`).
        """
        row_key, column_key = RowKey(uid), ColumnKey(column)
        if row_key not in self._row_locations or column_key not in self._column_locations:
            self.update_cell(row_key, column_key, cell)  # raises CellDoesNotExist
            return
        self._data[row_key][column_key] = cell
        self._update_count += 1
        self.cells_updated += 1
        self._repaint_cell(self._row_locations.get(row_key), self._column_locations.get(column_key))

    def _repaint_cell(self, row: int, column: int) -> None:
        """Repaint the cell at ``row``, ``column`` if it is in view.

        A row out of view is left alone: the bumped update count makes it render afresh
        when it is scrolled to. Every row is one line, so the cell's line is its row
        index below the header; working it out from ``DataTable``'s own regions would
        walk every row above it (500 changed cells of 5,000 rows took 0.35 s). The
        compositor sends the line from the table's left edge to the cell's end; a cell
        of a fixed column (which does not scroll sideways) repaints its row.
        """
        if self._repaint_whole:
            return
        header = self.header_height if self.show_header else 0
        scroll_y = self.scroll_offset.y
        window = self.region.height - header
        if not scroll_y <= row < scroll_y + window:
            return
        pending = self._pending_repaints
        if pending is not None and len(pending) >= window:
            self._repaint_whole = True
            pending.clear()
            return
        y = row + header
        widths = [c.get_render_width(self) for c in self.ordered_columns]
        left = self._row_label_column_width
        if column < self.fixed_columns:
            region = Region(0, y, max(self.size.width, left + sum(widths)), 1)
        else:
            region = Region(left + sum(widths[:column]), y, widths[column], 1)
        if pending is None:
            self._refresh_region(region)
        else:
            pending.append(region)

    @contextmanager
    def repaint_batch(self, whole: bool = False) -> Iterator[None]:
        """Repaint the cells changed inside the block together (the whole table when
        ``whole`` or when more than a screenful of cells in view changed)."""
        if self._pending_repaints is not None:  # already inside one
            self._repaint_whole = self._repaint_whole or whole
            yield
            return
        self._pending_repaints = []
        self._repaint_whole = whole
        try:
            yield
        finally:
            pending, self._pending_repaints = self._pending_repaints, None
            if self._repaint_whole:
                self._repaint_whole = False
                self.refresh()
            for region in pending:
                self._refresh_region(region)
