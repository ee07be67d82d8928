"""The stacks list: a ``DataTable`` keyed by stack uid that updates in place.

``StackTable`` owns the list's *view state*: the known stacks, the filter, the sort
column and direction, favourites (pinned on top) and marks. :meth:`StackTable.set_stacks`
compares each stack with what is on screen and updates only the cells whose content
changed, so a refresh keeps the cursor and the scroll position and a poll that finds
nothing new repaints nothing (:attr:`StackTable.cells_updated` counts the updates). A
changed cell repaints only itself (:mod:`c66tui.ui.widgets.stack_repaint`).

One representation per stack: the ``Stack`` model in :attr:`StackTable.stacks` and, for
the rows shown, their cells in the ``DataTable`` itself (no second copy of the cells).
Big lists never hold the event loop for long: :meth:`StackTable.set_stacks_in_slices`
compares and updates in slices, and rows are added in slices
(:mod:`c66tui.ui.widgets.stack_fill`). What a row looks like is
:mod:`c66tui.ui.widgets.stack_cells`; a cell's rendered segments are kept by its look, a few
thousand at most, so a sort redraws from them (:mod:`c66tui.ui.widgets.cell_renders`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from rich.text import Text
from textual.binding import Binding
from textual.widgets.data_table import ColumnKey, RowKey

from c66tui.api.models import Stack
from c66tui.ops import clock
from c66tui.slices import yield_to_input
from c66tui.text import relative_time, sanitize
from c66tui.ui.widgets.cell_renders import ContentCellRenders
from c66tui.ui.widgets.filter_bar import matches
from c66tui.ui.widgets.stack_cells import (
    RowLook,
    cell_text,
    column_label,
    shared_cell,
    sort_key,
    theme_styles,
)
from c66tui.ui.widgets.stack_columns import (
    ACCOUNT_COLUMN,
    ASCII_SYMBOLS,
    COLUMNS,
    UNICODE_SYMBOLS,
    Widths,
    filter_fields,
    fit_widths,
)
from c66tui.ui.widgets.stack_fill import FILL_SLICE_SECONDS, SlicedFill
from c66tui.ui.widgets.stack_repaint import CellRepaints
from c66tui.ui.widgets.stack_view import StackViewState

__all__ = ["COLUMNS", "StackTable", "sort_key"]

SLICE_ITEMS = 64
"""Stacks compared or rows updated between two looks at the clock."""


class StackTable(StackViewState, CellRepaints, SlicedFill, ContentCellRenders):
    """The list of stacks; see the module docstring."""

    HELP_GROUP = "Stack list"

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", key_display="⏎", id="stacks.open"),
    ]

    DEFAULT_CSS = """
    StackTable {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(
        self,
        *,
        ascii_only: bool = False,
        now: Callable[[], datetime] = clock.now,
        id: str | None = None,
    ) -> None:
        super().__init__(cursor_type="row", fixed_columns=2, id=id)
        self.symbols = ASCII_SYMBOLS if ascii_only else UNICODE_SYMBOLS
        self._now = now
        self.stacks: dict[str, Stack] = {}
        """Every known stack by uid (filtered out ones included)."""
        self.filter_text = ""
        self.sort_column = "name"
        self.sort_reverse = False
        self.favourites: set[str] = set()
        self.marks: set[str] = set()
        self.show_account = False
        self._order: list[str] = []
        self._styles: dict = {}
        self._cell_pool: dict[tuple, Text] = {}
        """The cells rows share (see :func:`~c66tui.ui.widgets.stack_cells.shared_cell`)."""
        self._widths = Widths({}, short_env=False)
        """The column widths in use (:meth:`fit_columns`)."""

    # -- set-up -------------------------------------------------------------------

    def on_mount(self) -> None:
        self._styles = theme_styles(self.app.theme_variables)
        self._widths = fit_widths(
            (self.size.width or self.app.size.width) - 1, [], self.symbols, False
        )
        for spec in COLUMNS:
            if spec.key not in self._widths.dropped:
                width = self._widths.columns[spec.key]
                self.add_column(column_label(spec.label), width=width, key=spec.key)
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self._styles = theme_styles(self.app.theme_variables)
        self._cell_pool.clear()
        self._rebuild(self._visible_order())

    # -- cells --------------------------------------------------------------------

    def _look(self) -> RowLook:
        widths = self._widths
        return RowLook(
            self.symbols,
            self._styles,
            self.favourites,
            self.marks,
            widths.short_env,
            self.show_account,
            widths.dropped,
            self._cell_pool,
        )

    def render_cells(self, stack: Stack, now: datetime) -> dict[str, Text]:
        """The cells of one row (keyed by column)."""
        return self._look().cells(stack, now)

    def render_rows(self, uids: Iterable[str]) -> Iterator[tuple[str, list]]:
        """``(uid, cells in column order)`` of each uid, for adding rows."""
        look, now = self._look(), self._now()
        columns = [c.key.value for c in self.ordered_columns]
        for uid in uids:
            cells = look.cells(self.stacks[uid], now)
            yield uid, [cells.get(c) for c in columns]

    def _shown_cell(self, uid: str, column: str) -> Text | None:
        row = self._data.get(RowKey(uid))
        return None if row is None else row.get(ColumnKey(column))

    # -- widths -------------------------------------------------------------------

    def on_resize(self) -> None:
        self.fit_columns()

    def fit_columns(self, *, repaint: bool = True) -> bool:
        """Share the table's width between the columns (see :func:`fit_widths`); returns
        whether anything changed (then the whole table is repainted, unless ``repaint``
        is false: the caller does it)."""
        total = self.size.width or self.app.size.width
        total -= self.styles.scrollbar_size_vertical
        widths = fit_widths(total, list(self.stacks.values()), self.symbols, self.show_account)
        if widths == self._widths:
            return False
        short_changed = widths.short_env != self._widths.short_env
        dropped_changed = widths.dropped != self._widths.dropped
        self._widths = widths
        if dropped_changed:
            self._rebuild_columns()
            return True
        for key, column in self.columns.items():
            width = widths.columns.get(key.value)
            if width is not None:
                column.width = width
        if short_changed:  # the environment cells change form, in place (cursor kept)
            look = self._look()
            for uid in self._order[: self._fill_at]:
                self._data[RowKey(uid)][ColumnKey("env")] = look.env_cell(self.stacks[uid])
        self._require_update_dimensions = True
        self._clear_caches()
        self._update_count += 1
        if repaint:
            self.refresh()
        return True

    def _rebuild_columns(self) -> None:
        """Add the columns that fit afresh (some were left out or came back)."""
        keep = self.cursor_uid
        self.clear(columns=True)
        self._order, self._fill_at = [], 0
        specs = (*COLUMNS, *((ACCOUNT_COLUMN,) if self.show_account else ()))
        for spec in specs:
            if spec.key not in self._widths.dropped:
                width = self._widths.columns[spec.key]
                self.add_column(column_label(spec.label), width=width, key=spec.key)
        self._rebuild(self._visible_order())
        if keep is not None and not self.move_to(keep):
            self._fill_keep, self._fill_cursor_row = keep, self.cursor_row

    # -- order --------------------------------------------------------------------

    def _visible_order(self) -> list[str]:
        column = self.sort_column
        stacks = [
            s
            for s in self.stacks.values()
            if not self.filter_text or matches(self.filter_text, filter_fields(s))
        ]
        stacks.sort(key=lambda s: sort_key(column, s), reverse=self.sort_reverse)
        favourites = [s.uid for s in stacks if s.uid in self.favourites]
        others = [s.uid for s in stacks if s.uid not in self.favourites]
        return favourites + others

    @property
    def visible_uids(self) -> list[str]:
        """Stack uids in the order shown (rows still being added included)."""
        return list(self._order)

    # -- cursor -------------------------------------------------------------------

    @property
    def cursor_uid(self) -> str | None:
        """The uid of the stack under the cursor (``None`` for an empty list)."""
        if not self._order or not self.is_valid_row_index(self.cursor_row):
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    @property
    def cursor_stack(self) -> Stack | None:
        uid = self.cursor_uid
        return self.stacks.get(uid) if uid else None

    def move_to(self, uid: str, *, scroll: bool = True) -> bool:
        """Put the cursor on ``uid`` if it is shown."""
        try:
            index = self.get_row_index(uid)
        except Exception:  # noqa: BLE001 - RowDoesNotExist
            return False
        if index != self.cursor_row:
            self.move_cursor(row=index, scroll=scroll)
        return True

    # -- applying changes ---------------------------------------------------------

    def _ensure_account_column(self) -> bool:
        wanted = len({s.account_name for s in self.stacks.values() if s.account_name}) > 1
        if wanted == self.show_account:
            return False
        self.show_account = wanted
        if wanted:
            self.add_column(column_label(ACCOUNT_COLUMN.label), width=7, key=ACCOUNT_COLUMN.key)
            for uid in self._order[: self._fill_at]:
                self.update_cell(uid, "account", cell_text(sanitize(self.stacks[uid].account_name)))
        else:
            self.remove_column(ACCOUNT_COLUMN.key)
        return True

    def _apply_order(self, order: list[str]) -> None:
        """Make the rows match ``order``: add/remove the difference, then sort."""
        if order == self._order:
            return
        current = set(self._order)
        removed = current - set(order)
        added = [uid for uid in order if uid not in current]
        if self.filling or len(removed) + len(added) > max(50, len(order) // 10):
            self._rebuild(order)
            return
        keep = self.cursor_uid
        for uid in removed:
            self.remove_row(uid)
        for uid, cells in self.render_rows(added):
            self.add_row(*cells, key=uid)
        rank = {uid: index for index, uid in enumerate(order)}
        current_order = [row.key.value for row in self.ordered_rows]  # after adds and removes
        if current_order != order:
            self.sort("name", key=lambda cell: rank.get(getattr(cell, "row_key", ""), 0))
        self._order = list(order)
        self._fill_at = len(order)
        if keep is not None and keep in rank:
            self.move_to(keep)

    def set_stacks(self, stacks: Iterable[Stack]) -> int:
        """Show ``stacks``; returns how many cells changed (0 when nothing did)."""
        before = self.cells_updated
        for _ in self._set_stacks_steps(list(stacks)):
            pass
        return self.cells_updated - before

    async def set_stacks_in_slices(self, stacks: list[Stack]) -> int:
        """:meth:`set_stacks`, handing the event loop back about every
        :data:`FILL_SLICE_SECONDS`, and returning once every row is in the table."""
        before = self.cells_updated
        deadline = time.perf_counter() + FILL_SLICE_SECONDS
        for _ in self._set_stacks_steps(stacks):
            if time.perf_counter() > deadline:
                await yield_to_input()
                deadline = time.perf_counter() + FILL_SLICE_SECONDS
        await self.wait_filled()
        return self.cells_updated - before

    def _set_stacks_steps(self, stacks: list[Stack]) -> Iterator[None]:
        """The work of :meth:`set_stacks`, pausing (``yield``) every few stacks.

        Comparing reads only; the new list is then taken in one step, and the changed
        rows already in the table are updated a slice at a time. A key handled during a
        pause sees a consistent table: rows not yet updated show their previous cells.
        """
        incoming: dict[str, Stack] = {}
        changed: list[str] = []
        known = self.stacks
        for index, stack in enumerate(stacks):
            uid = stack.uid
            if uid:
                incoming[uid] = stack
                if known.get(uid) != stack:
                    changed.append(uid)
            if index % SLICE_ITEMS == SLICE_ITEMS - 1:
                yield
        if self.stacks is not known:  # replaced during a pause: compare again
            changed = [uid for uid, s in incoming.items() if self.stacks.get(uid) != s]
        gone = [uid for uid in self.stacks if uid not in incoming]
        if not changed and not gone:
            return
        self.stacks = incoming
        self.marks.difference_update(gone)
        self._ensure_account_column()
        widths_changed = self.fit_columns(repaint=False)
        now = self._now()
        for start in range(0, len(changed), SLICE_ITEMS):
            look = self._look()
            with self.repaint_batch(whole=widths_changed):
                for uid in changed[start : start + SLICE_ITEMS]:
                    stack = self.stacks.get(uid)
                    if stack is not None and self.has_row(uid):
                        self._update_row(uid, look.cells(stack, now))
            widths_changed = False
            yield
        yield  # the columns were fitted to every stack; the sort and the rows come next
        self._apply_order(self._visible_order())

    def _update_row(self, uid: str, cells: dict[str, Text]) -> None:
        old = self._data.get(RowKey(uid), {})
        for column, cell in cells.items():
            previous = old.get(ColumnKey(column))
            if (
                previous is not None
                and previous.plain == cell.plain
                and previous.style == cell.style
            ):
                continue
            self.put_cell(uid, column, cell)

    def rerender(self, uids: Iterable[str]) -> None:
        """Redraw the rows of ``uids`` (after a favourite or mark changed)."""
        look, now = self._look(), self._now()
        with self.repaint_batch():
            for uid in uids:
                stack = self.stacks.get(uid)
                if stack is not None and self.has_row(uid):
                    self._update_row(uid, look.cells(stack, now))

    def refresh_times(self) -> int:
        """Update the relative "last activity" cells whose text changed."""
        before = self.cells_updated
        if "activity" in self._widths.dropped:
            return 0
        now = self._now()
        pool = self._cell_pool
        with self.repaint_batch():
            for uid in self._order[: self._fill_at]:
                cell = shared_cell(pool, relative_time(self.stacks[uid].last_activity, now))
                old = self._shown_cell(uid, "activity")
                if old is None or old.plain != cell.plain:
                    self.put_cell(uid, "activity", cell)
        return self.cells_updated - before
