"""The stacks list: a ``DataTable`` keyed by stack uid that updates in place.

``StackTable`` owns the list's *view state*: the known stacks, the filter, the sort
column and direction, favourites (pinned on top) and marks. :meth:`StackTable.set_stacks`
compares each stack with what is on screen and updates only the cells whose content
changed, so a refresh keeps the cursor and the scroll position and a poll that
finds nothing new repaints nothing (:attr:`StackTable.cells_updated` counts the updates).
A changed cell repaints only itself (:meth:`StackTable.put_cell`), not the whole table:
over a slow SSH link an aged "5m ago" costs part of one line (about 600 B at 120x40),
not a screenful (about 29 KB). A changed cell out of view repaints nothing, and an update
that changes more than a screenful of cells in view repaints the table once.

Every state is shown as a word plus a symbol (``✓ deployed``, ``✗ deploy failed``), never
by colour alone; colours come from the active theme. Server text is sanitised and shown
as ``rich.text.Text`` so a stack named ``[bold]x`` is displayed literally.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.color import Color
from textual.geometry import Region
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from c66tui.api.models import Stack
from c66tui.ops import clock
from c66tui.text import relative_time, sanitize
from c66tui.ui.widgets.filter_bar import matches
from c66tui.ui.widgets.stack_columns import (
    ACCOUNT_COLUMN,
    ASCII_SYMBOLS,
    COLUMNS,
    HEALTH_LOOK,
    HEALTH_RANK,
    SORT_LABELS,
    SORT_ORDER,
    STATUS_LOOK,
    STATUS_RANK,
    UNICODE_SYMBOLS,
    Widths,
    env_text,
    filter_fields,
    fit_widths,
    health_text,
    state_text,
)


class KeyedText(Text):
    """A ``Text`` that remembers which row it belongs to (lets ``sort`` use our order)."""

    row_key: str = ""


def _text(value: str, style: Style | str = "", row_key: str | None = None) -> Text:
    text = KeyedText(value, style=style, no_wrap=True, overflow="ellipsis", end="")
    if row_key is not None:
        text.row_key = row_key
    return text


def _label(label: str) -> Text:
    """A column header that ends in ``…`` when its column is narrower than it."""
    return Text(label, no_wrap=True, overflow="ellipsis", end="")


def sort_key(column: str, stack: Stack) -> tuple:
    """The sort key of ``stack`` for ``column`` (ties broken by name, then uid)."""
    name = stack.name.casefold()
    if column == "env":
        primary: tuple = (stack.environment.casefold(),)
    elif column == "status":
        primary = (STATUS_RANK.get(stack.status, 9), not stack.maintenance_mode)
    elif column == "health":
        primary = (HEALTH_RANK.get(stack.health, 9),)
    elif column == "activity":
        moment = stack.last_activity
        primary = (-(moment.timestamp()) if moment else float("inf"),)
    elif column == "account":
        primary = (stack.account_name.casefold(),)
    else:
        primary = ()
    return (*primary, name, stack.uid)


class StackTable(DataTable):
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
        self._cells: dict[str, dict[str, Text]] = {}
        self._order: list[str] = []
        self._styles: dict[str, Style] = {}
        self.cells_updated = 0
        """How many cells ``update_cell`` has been called for (tests and benchmarks)."""
        self._pending_repaints: list[Region] | None = None
        """Cell regions the current :meth:`_repaint_batch` repaints at its end (``None``
        outside a batch)."""
        self._repaint_whole = False
        """The current batch repaints the whole table instead."""
        self._widths = Widths({}, short_env=False)
        """The column widths in use (:meth:`fit_columns`)."""

    # -- set-up -------------------------------------------------------------------

    def on_mount(self) -> None:
        self._styles = self._theme_styles()
        self._widths = fit_widths(
            (self.size.width or self.app.size.width) - 1, [], self.symbols, False
        )
        for spec in COLUMNS:
            if spec.key not in self._widths.dropped:
                width = self._widths.columns[spec.key]
                self.add_column(_label(spec.label), width=width, key=spec.key)
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_styles(self) -> dict[str, Style]:
        variables = self.app.theme_variables
        styles: dict[str, Style] = {}
        for role, name in (
            ("success", "success"),
            ("error", "error"),
            ("warning", "warning"),
            ("muted", "text-muted"),
            ("accent", "accent"),
        ):
            try:
                color = Color.parse(variables[name])
                styles[role] = Style(color=color.rich_color)
            except Exception:  # noqa: BLE001 - odd theme values: words still carry the state
                styles[role] = Style()
        styles["prod"] = styles["error"] + Style(bold=True)
        return styles

    def _theme_changed(self) -> None:
        self._styles = self._theme_styles()
        self._cells.clear()
        self._rebuild(self._visible_order())

    # -- cells --------------------------------------------------------------------

    def render_cells(self, stack: Stack, now: datetime) -> dict[str, Text]:
        """The cells of one row (keyed by column)."""
        sym = self.symbols
        style = self._styles.get
        uid = stack.uid
        flag = ""
        if uid in self.favourites:
            flag += sym["fav"]
        if uid in self.marks:
            flag += sym["mark"]
        _, status_role = STATUS_LOOK.get(stack.status, ("unknown", "muted"))
        _, health_role = HEALTH_LOOK.get(stack.health, ("unknown", "muted"))
        if stack.maintenance_mode and status_role == "success":
            status_role = "warning"
        env = env_text(stack, self._widths.short_env)
        cells = {
            "mark": _text(flag, style("accent") or ""),
            "name": _text(sanitize(stack.name), Style(bold=uid in self.favourites), row_key=uid),
            "env": _text(env, self._env_style(stack)),
            "status": _text(state_text(stack, sym), style(status_role) or ""),
            "health": _text(health_text(stack, sym), style(health_role) or ""),
            "activity": _text(relative_time(stack.last_activity, now)),
        }
        if self.show_account:
            cells["account"] = _text(sanitize(stack.account_name))
        for key in self._widths.dropped:
            cells.pop(key, None)
        return cells

    def _env_style(self, stack: Stack) -> Style | str:
        return self._styles.get("prod", "") if stack.is_production else ""

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
            for uid in self._order:
                stack = self.stacks[uid]
                cell = _text(env_text(stack, widths.short_env), self._env_style(stack))
                self._data[RowKey(uid)][ColumnKey("env")] = cell
                self._cells.setdefault(uid, {})["env"] = cell
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
        self._order = []
        specs = (*COLUMNS, *((ACCOUNT_COLUMN,) if self.show_account else ()))
        for spec in specs:
            if spec.key not in self._widths.dropped:
                width = self._widths.columns[spec.key]
                self.add_column(_label(spec.label), width=width, key=spec.key)
        self._cells.clear()
        self._rebuild(self._visible_order())
        if keep is not None:
            self.move_to(keep)

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
        """Stack uids in the order shown."""
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
            self.add_column(_label(ACCOUNT_COLUMN.label), width=7, key=ACCOUNT_COLUMN.key)
            for uid in self._order:
                cell = _text(sanitize(self.stacks[uid].account_name))
                self._cells[uid]["account"] = cell
                self.update_cell(uid, "account", cell)
        else:
            self.remove_column(ACCOUNT_COLUMN.key)
            for cells in self._cells.values():
                cells.pop("account", None)
        return True

    def _rebuild(self, order: list[str]) -> None:
        """Replace every row (used when the filter changes a lot)."""
        keep = self.cursor_uid
        now = self._now()
        self.clear()
        self._order = []
        columns = [c.key.value for c in self.ordered_columns]
        for uid in order:
            cells = self._cells.get(uid)
            if cells is None:
                cells = self._cells[uid] = self.render_cells(self.stacks[uid], now)
            self.add_row(*(cells[c] for c in columns), key=uid)
        self._order = list(order)
        if keep is not None:
            self.move_to(keep)

    def _apply_order(self, order: list[str]) -> None:
        """Make the rows match ``order``: add/remove the difference, then sort."""
        if order == self._order:
            return
        current = set(self._order)
        wanted = set(order)
        removed = current - wanted
        added = [uid for uid in order if uid not in current]
        if len(removed) + len(added) > max(50, len(order) // 10):
            self._rebuild(order)
            return
        keep = self.cursor_uid
        for uid in removed:
            self.remove_row(uid)
        now = self._now()
        columns = [c.key.value for c in self.ordered_columns]
        for uid in added:
            cells = self._cells[uid] = self.render_cells(self.stacks[uid], now)
            self.add_row(*(cells[c] for c in columns), key=uid)
        rank = {uid: index for index, uid in enumerate(order)}
        current_order = [row.key.value for row in self.ordered_rows]  # after adds and removes
        if current_order != order:
            self.sort("name", key=lambda cell: rank.get(getattr(cell, "row_key", ""), 0))
        self._order = list(order)
        if keep is not None and keep in wanted:
            self.move_to(keep)

    def set_stacks(self, stacks: Iterable[Stack]) -> int:
        """Show ``stacks``; returns how many cells changed (0 when nothing did)."""
        before = self.cells_updated
        incoming = {s.uid: s for s in stacks if s.uid}
        changed = [uid for uid, s in incoming.items() if self.stacks.get(uid) != s]
        gone = [uid for uid in self.stacks if uid not in incoming]
        if not changed and not gone:
            return 0
        self.stacks = incoming
        for uid in gone:
            self._cells.pop(uid, None)
            self.marks.discard(uid)
        self._ensure_account_column()
        widths_changed = self.fit_columns(repaint=False)
        now = self._now()
        shown = set(self._order)
        with self._repaint_batch():
            self._repaint_whole = self._repaint_whole or widths_changed
            for uid in changed:
                if uid in shown:
                    self._update_row(uid, self.render_cells(incoming[uid], now))
                else:
                    self._cells.pop(uid, None)
        self._apply_order(self._visible_order())
        return self.cells_updated - before

    def _update_row(self, uid: str, cells: dict[str, Text]) -> None:
        old = self._cells.get(uid, {})
        for column, cell in cells.items():
            previous = old.get(column)
            if (
                previous is not None
                and previous.plain == cell.plain
                and previous.style == cell.style
            ):
                continue
            self.put_cell(uid, column, cell)
        self._cells[uid] = cells

    def put_cell(self, uid: str, column: str, cell: Text) -> None:
        """Show ``cell`` in row ``uid``, column ``column``, repainting only that cell.

        ``DataTable.update_cell`` stores the value and then repaints the *whole* table
        (``refresh()`` without a region): about 29 KB at 120x40 for one changed cell. This
        stores the value the same way (bumping the table's update count, which its render
        caches are keyed on) and repaints just the cell's region (:meth:`_repaint_cell`).
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
        when it is scrolled to. Every row is one line (rows are added with the default
        height), so the cell's line is its row index below the header; working it out
        from ``DataTable``'s own regions would walk every row above it (``ordered_rows``
        is rebuilt after each update): 500 changed cells of 5,000 rows took 0.35 s. The
        compositor sends the line from the table's left edge to the cell's end; a cell
        of a fixed column (the mark and the name, which do not scroll sideways) repaints
        its row. Within :meth:`_repaint_batch` the regions are repainted at its end, or
        the whole table once when more than a screenful of cells in view changed.
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
    def _repaint_batch(self) -> Iterator[None]:
        """Repaint the cells one update changes together (see :meth:`_repaint_cell`)."""
        if self._pending_repaints is not None:  # already inside one
            yield
            return
        self._pending_repaints = []
        try:
            yield
        finally:
            pending, self._pending_repaints = self._pending_repaints, None
            if self._repaint_whole:
                self._repaint_whole = False
                self.refresh()
            for region in pending:
                self._refresh_region(region)

    def rerender(self, uids: Iterable[str]) -> None:
        """Redraw the rows of ``uids`` (after a favourite or mark changed)."""
        now = self._now()
        shown = set(self._order)
        with self._repaint_batch():
            for uid in uids:
                stack = self.stacks.get(uid)
                if stack is not None and uid in shown:
                    self._update_row(uid, self.render_cells(stack, now))

    def refresh_times(self) -> int:
        """Update the relative "last activity" cells whose text changed."""
        before = self.cells_updated
        if "activity" in self._widths.dropped:
            return 0
        now = self._now()
        with self._repaint_batch():
            for uid in self._order:
                cell = _text(relative_time(self.stacks[uid].last_activity, now))
                old = self._cells.get(uid, {}).get("activity")
                if old is None or old.plain != cell.plain:
                    self.put_cell(uid, "activity", cell)
                    self._cells.setdefault(uid, {})["activity"] = cell
        return self.cells_updated - before

    # -- view state ---------------------------------------------------------------

    def set_filter(self, text: str) -> None:
        """Show only stacks whose name, environment, account or state match ``text``."""
        text = text.strip()
        if text == self.filter_text:
            return
        self.filter_text = text
        self._apply_order(self._visible_order())

    def set_sort(self, column: str, reverse: bool = False) -> None:
        """Sort by ``column`` (favourites stay on top)."""
        self.sort_column = column
        self.sort_reverse = reverse
        self._apply_order(self._visible_order())

    def cycle_sort(self) -> str:
        """Sort by the next column (``s``); returns its key."""
        columns = [c for c in SORT_ORDER if c != "account" or self.show_account]
        index = columns.index(self.sort_column) if self.sort_column in columns else -1
        self.set_sort(columns[(index + 1) % len(columns)], False)
        return self.sort_column

    def reverse_sort(self) -> None:
        """Reverse the sort direction (``S``)."""
        self.set_sort(self.sort_column, not self.sort_reverse)

    def set_favourites(self, uids: Iterable[str]) -> None:
        """Pin ``uids`` to the top."""
        new = set(uids)
        changed = new ^ self.favourites
        self.favourites = new
        self.rerender(changed)
        self._apply_order(self._visible_order())

    def toggle_mark(self, uid: str) -> bool:
        """Mark or unmark ``uid`` (``space``); returns whether it is now marked."""
        if uid in self.marks:
            self.marks.discard(uid)
        else:
            self.marks.add(uid)
        self.rerender([uid])
        return uid in self.marks

    def clear_marks(self) -> None:
        marked, self.marks = self.marks, set()
        self.rerender(marked)

    @property
    def marked_stacks(self) -> list[Stack]:
        """Marked stacks in the order shown (hidden ones last)."""
        shown = [uid for uid in self._order if uid in self.marks]
        hidden = sorted(uid for uid in self.marks if uid not in set(self._order))
        return [self.stacks[uid] for uid in (*shown, *hidden) if uid in self.stacks]

    @property
    def sort_label(self) -> str:
        arrow = "▼" if self.sort_reverse else "▲"
        if self.symbols is ASCII_SYMBOLS:
            arrow = "v" if self.sort_reverse else "^"
        return f"{SORT_LABELS.get(self.sort_column, self.sort_column)} {arrow}"
