"""The ``/`` filter of the settings tabs that show a list.

:class:`FilteredTab` puts the app's :class:`~c66tui.ui.widgets.filter_bar.FilterBar` above
a tab's table, as on the stacks and jobs screens: ``/`` opens it, the rows narrow as you
type (every word must occur in one of a row's fields, see
:func:`~c66tui.ui.widgets.filter_bar.matches`), ``enter`` keeps the filter and ``esc``
clears it; either way the focus goes back to the table. ``esc`` on the table clears a
kept filter. The status line says how many rows match.

A tab lists the text a row may be matched by in :meth:`FilteredTab.filter_fields`. Only
text the table shows belongs there: a masked password must never be found by its hidden
value, or narrowing the list would give the secret away one character at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from c66tui.text import sanitize
from c66tui.ui.widgets.filter_bar import FilterBar, matches
from c66tui.ui.widgets.settings_tabs.common import SettingsTab, refill, separator

Row = tuple[str, tuple[Any, ...]]
"""A table row: its key and its cells."""

FILTER_BINDINGS = (
    # Priority: the action runs as soon as the key is read, before the keys behind it are
    # handed to the table, so "/abc" arriving in one burst all lands in the filter.
    Binding("slash", "filter", "Filter", key_display="/", priority=True, id="settings.filter"),
    Binding("escape", "clear_filter", "Clear filter", show=False, id="settings.clear_filter"),
)
"""The filter's keys; each tab lists them after its own (the footer keeps that order)."""


def cell_text(cells: Iterable[Any]) -> list[str]:
    """The plain text of each cell (what the table shows)."""
    return [cell.plain if isinstance(cell, Text) else str(cell) for cell in cells]


class FilteredTab(SettingsTab):
    """A settings tab whose table can be narrowed with ``/`` (see the module docstring).

    Subclasses end their ``BINDINGS`` with ``*FILTER_BINDINGS`` and name their table's id
    and columns (:attr:`TABLE_ID`, :attr:`COLUMNS`); the tab is laid out as a status
    line, :meth:`compose_top`, the filter, the table, :meth:`compose_below` and a detail
    line, and a row highlighted redraws the detail (:meth:`update_detail`) and the keys.
    """

    TABLE_ID: ClassVar[str] = "list-table"
    """Id of the tab's table."""
    COLUMNS: ClassVar[tuple[tuple[str, str], ...]] = ()
    """The table's columns: (key, label)."""

    FILTER_PLACEHOLDER = "filter (esc clears, enter keeps)"
    """Shown in the empty filter field."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows_total = 0
        """Rows the last :meth:`show_rows` was given."""
        self.rows_shown = 0
        """Of those, the rows that match the filter."""
        self.kept_rows: list[Row] = []
        """The tab's list as last kept (:meth:`show_kept_rows`)."""

    def compose(self) -> ComposeResult:
        yield Static("", classes="tab-status", markup=False)
        yield from self.compose_top()
        yield from self.compose_filter()
        table = DataTable(id=self.TABLE_ID, cursor_type="row", zebra_stripes=True)
        for key, label in self.COLUMNS:
            table.add_column(label, key=key)
        yield table
        yield from self.compose_below()
        yield Static("", classes="tab-detail", markup=False)

    def compose_top(self) -> ComposeResult:
        """Widgets between the status line and the filter (override)."""
        return iter(())

    def compose_below(self) -> ComposeResult:
        """Widgets between the table and the detail line (override)."""
        return iter(())

    def compose_filter(self) -> ComposeResult:
        """The filter field; yield it from ``compose`` right above the table."""
        yield FilterBar(
            self.FILTER_PLACEHOLDER, on_change=self._filter_changed, classes="tab-filter"
        )

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    @property
    def filter_query(self) -> str:
        """The filter in force (``""`` when there is none)."""
        if not self.is_mounted:
            return ""
        return self.filter_bar.value.strip()

    # -- what subclasses provide ------------------------------------------------------

    def filter_fields(self, key: str, cells: tuple[Any, ...]) -> Iterable[str]:
        """The text row ``key`` may be matched by: what its cells show (override to
        match whole values the table cuts short; never add a hidden value)."""
        return cell_text(cells)

    def show_kept_rows(self, rows: Iterable[Row]) -> None:
        """Keep ``rows`` as the tab's list and show them (:meth:`render_rows` redraws
        them, e.g. when the filter changes)."""
        self.kept_rows = list(rows)
        self.render_rows()

    def render_rows(self) -> None:
        """(Re)draw the table from the tab's data: by default the rows kept by
        :meth:`show_kept_rows`, then the detail line and the keys (override and call
        :meth:`show_rows` for a list built otherwise)."""
        self.show_rows(self.kept_rows)
        self.update_detail()
        self.refresh_bindings()

    def refresh_status(self) -> None:
        """Redraw the status line with the current match count (override)."""

    # -- showing rows -----------------------------------------------------------------

    def show_rows(self, rows: Iterable[Row]) -> None:
        """Fill the table with the rows that match the filter (all without one)."""
        rows = list(rows)
        shown = [row for row in rows if self.matches_filter(*row)]
        self.rows_total = len(rows)
        self.rows_shown = len(shown)
        refill(self.table, shown)

    def matches_filter(self, key: str, cells: tuple[Any, ...]) -> bool:
        """Whether the row passes the filter in force (every row does without one)."""
        return matches(self.filter_query, self.filter_fields(key, cells))

    def filter_note(self) -> Text | None:
        """``N of M match "query"`` while a filter is in force, else ``None``."""
        query = self.filter_query
        if not query:
            return None
        return Text(
            f"{self.rows_shown} of {self.rows_total} match “{sanitize(query)}”", style="bold"
        )

    def append_filter(self, text: Text) -> Text:
        """Add :meth:`filter_note` to a status line while a filter is in force."""
        note = self.filter_note()
        if note is not None:
            text.append(separator(self.app))
            text.append_text(note)
        return text

    def no_match_text(self) -> str:
        """What the detail line says when the filter hides every row (else ``""``)."""
        if self.rows_total and not self.rows_shown and self.filter_query:
            return f"Nothing matches “{sanitize(self.filter_query)}”: esc clears the filter."
        return ""

    @property
    def table(self) -> DataTable:
        """The tab's list."""
        return self.query_one(f"#{self.TABLE_ID}", DataTable)

    def update_detail(self) -> None:
        """Redraw the detail line for the row under the cursor (override)."""

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self.table:
            self.update_detail()
            self.refresh_bindings()

    # -- keys -------------------------------------------------------------------------

    def action_filter(self) -> None:
        """``/``: filter as you type (a ``/`` typed in a field is just a character)."""
        if isinstance(self.screen.focused, Input):
            # Let the field take the key in its turn, after the keys queued before it.
            raise SkipAction()
        self.filter_bar.open()

    def action_clear_filter(self) -> None:
        """``esc`` on the table: remove a kept filter."""
        self.filter_bar.clear_filter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return bool(self.filter_query)
        return super().check_action(action, parameters)

    def _filter_changed(self, value: str) -> None:
        """Narrow the list at once (called by the filter field on every change)."""
        self.render_rows()
        self.refresh_status()
        self.refresh_bindings()

    @on(FilterBar.Closed)
    def _filter_closed(self, event: FilterBar.Closed) -> None:
        event.stop()
        if self.active and self.screen.focused is not self.table:
            self.focus_main()

    def deactivate(self) -> None:
        bar = self.filter_bar
        if bar.has_focus and not bar.active:
            bar.clear_filter()  # an empty field left open folds away with its tab
        super().deactivate()
