"""Filling the stack list in slices, so a key is answered while thousands of rows go in
(a mixin of ``StackTable``).

A rebuild (the first load, a filter cleared, a new column) clears the table and adds the
rows of :attr:`SlicedFill._order` in order. The first screenful or so is added at once, so
the frame that follows already shows the right rows; the rest is added by a worker in
slices of about :data:`FILL_SLICE_SECONDS`, handing the event loop back between slices.
A rebuild asked for while a fill is under way starts the fill again from the top with the
new order (the running worker carries on with it, once the new first screenful has been
drawn). The scrollable size is that of the whole order from the start, so the scrollbar
stands still during a fill. Rows not yet added are simply not in the table: every method
that touches a row checks :meth:`SlicedFill.has_row` first.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable

from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey
from textual.worker import Worker, WorkerCancelled

from c66tui.slices import yield_to_input

FILL_SLICE_SECONDS = 0.008
"""Work done between two looks at the event loop (half a frame at 60 frames a second)."""
SYNC_FILL_ROWS = 300
"""A rebuild of at most this many rows is done at once (no worker, nothing deferred)."""


class SlicedFill(DataTable):
    """Row filling in slices; see the module docstring."""

    _order: list[str]
    """Stack uids in the order shown (rows from :attr:`_fill_at` on are still to come)."""
    _fill_at = 0
    """How many rows of :attr:`_order` are in the table."""
    _fill_keep: str | None = None
    """The uid the cursor goes back to once its row is added (``None``: no move)."""
    _fill_cursor_row = 0
    """The cursor row when the fill began (a cursor the user moved since stays put)."""
    _fill_worker: Worker | None = None
    _fill_drawn_first = False
    """The rows just rebuilt are drawn before the fill goes on (:meth:`_fill_rest`)."""

    def render_rows(self, uids: Iterable[str]) -> Iterable[tuple[str, list]]:
        """``(uid, cells in column order)`` of each uid (the table supplies it)."""
        raise NotImplementedError

    # -- state --------------------------------------------------------------------

    @property
    def filling(self) -> bool:
        """Whether rows of the current order are still to be added."""
        return self._fill_at < len(self._order)

    def has_row(self, uid: str) -> bool:
        """Whether ``uid``'s row is in the table now."""
        return RowKey(uid) in self._row_locations

    # -- rebuilding ---------------------------------------------------------------

    def _rebuild(self, order: list[str]) -> None:
        """Replace every row by those of ``order`` (the first ones at once, the rest in
        slices when there are more than :data:`SYNC_FILL_ROWS`)."""
        keep = self.cursor_uid
        self.clear()
        self._order = list(order)
        self._fill_at = 0
        self._fill_keep = keep
        self._fill_cursor_row = self.cursor_row
        if len(order) <= SYNC_FILL_ROWS:
            self._fill_slice(None)
            return
        window = max(self.size.height, self.app.size.height, 1)
        self._fill_drawn_first = True
        self._fill_slice(time.perf_counter() + FILL_SLICE_SECONDS, at_least=window * 2)
        if self.filling and (self._fill_worker is None or self._fill_worker.is_finished):
            self._fill_worker = self.run_worker(
                self._fill_rest(), group="stack-table-fill", exit_on_error=False
            )

    def _fill_slice(self, deadline: float | None, at_least: int = 0) -> None:
        """Add rows until ``deadline`` (``perf_counter``; ``None``: all of them)."""
        order = self._order
        start = self._fill_at
        updates = self._update_count
        step = 32
        while self._fill_at < len(order):
            end = min(len(order), self._fill_at + step)
            for uid, cells in self.render_rows(order[self._fill_at : end]):
                self.add_row(*cells, key=uid)
            self._fill_at = end
            if deadline is not None and end - start >= at_least and time.perf_counter() > deadline:
                break
        self._keep_render_caches(start, updates)
        self._restore_cursor()

    def _keep_render_caches(self, first_row: int, updates: int) -> None:
        """Keep the lines already rendered: rows appended below change none of them.

        Every ``add_row`` bumps ``DataTable``'s update count, which its line and cell
        caches are keyed on, so each frame of a fill rendered every line in view afresh
        (about 100 ms a frame at 120x40): the count is put back, the row offsets (which
        did change) are recomputed, and the table is repainted only when a new row is in
        view.
        """
        self._update_count = updates
        self._offset_cache.clear()
        self._ordered_row_cache.clear()
        top = self.scroll_offset.y
        if first_row < top + max(self.size.height, 1) and self._fill_at > top:
            self._update_count += 1
            self.refresh()

    def _restore_cursor(self) -> None:
        keep = self._fill_keep
        if keep is None or not self.has_row(keep):
            if not self.filling:
                self._fill_keep = None
            return
        self._fill_keep = None
        if self.cursor_row == self._fill_cursor_row:
            self.move_to(keep)

    async def _fill_rest(self) -> None:
        """Add the remaining rows a slice at a time, yielding to the event loop between.

        After a rebuild (a sort or a filter typed during the fill) the next slice waits
        until the new first screenful has been drawn: the frame the user is waiting for
        comes before more rows below the view.
        """
        while self.filling:
            if self._fill_drawn_first:
                self._fill_drawn_first = False
                drawn = asyncio.Event()
                self.call_after_refresh(drawn.set)
                await drawn.wait()
            await yield_to_input()
            self._fill_slice(time.perf_counter() + FILL_SLICE_SECONDS)

    async def wait_filled(self) -> None:
        """Return once every row of the current order is in the table."""
        while self.filling:
            worker = self._fill_worker
            if worker is None or worker.is_finished:
                self._fill_slice(None)  # no worker to wait for: finish here
                return
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()

    # -- Textual ------------------------------------------------------------------

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Work out the scrollable size without measuring cells or walking the rows.

        ``DataTable`` measures every cell of every new row to widen auto-width columns
        (about 0.5 s for 5,000 rows, in one go on the event loop) and walks every row to
        add up their heights. Every column here has a width of its own and every row is
        one line, so the size is the column widths by the row count. During a fill it is
        the size of the whole order, rows still to come included: it is set once, so the
        scrollbar does not move (and the table is not repainted whole) at each slice.
        """
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        rows = len(self._order) if self.filling else self.row_count
        self.virtual_size = Size(width + self._row_label_column_width, rows + header)
