"""Shared pieces of the settings tabs: the tab base class and small text helpers.

Every string that came from the API goes through :func:`api_text` (sanitised, never
parsed as markup). State is always spelled out in words ("read-only", "PRODUCTION",
"maintenance on"), colour only repeats it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Select, Static

from c66tui.api.models import Stack
from c66tui.text import sanitize
from c66tui.ui.context import UsesServices
from c66tui.ui.widgets.stack_chooser import StackChooser
from c66tui.ui.widgets.stack_text import api_text as api_text
from c66tui.ui.widgets.stack_text import environment_text as environment_text
from c66tui.ui.widgets.stack_text import stack_text as stack_text

MASK = "••••••"
"""What a password value looks like until it is revealed."""
ASCII_MASK = "******"
"""The mask when the ASCII-only preference is on."""
VALUE_CELL_WIDTH = 48
"""Longer values are cut in the table; the detail line shows them whole."""


def ascii_only(app: Any) -> bool:
    """Whether this run draws plain ASCII (``app.ascii_only``: ``--ascii`` or the
    preference, fixed at start; a change in the Preferences tab counts from the next)."""
    return bool(getattr(app, "ascii_only", False))


def mask_for(app: Any) -> str:
    """The password mask to show in ``app`` (bullets, or stars in ASCII mode)."""
    return ASCII_MASK if ascii_only(app) else MASK


def separator(app: Any) -> str:
    """The separator between parts of a line."""
    return " | " if ascii_only(app) else " · "


def value_width(app: Any, reserve: int) -> int:
    """How much of a value a table shows: what is left of the terminal width once
    ``reserve`` columns are kept for the other columns (so they stay in view at 80)."""
    return max(20, min(VALUE_CELL_WIDTH, app.size.width - reserve))


def clip(value: str, width: int = VALUE_CELL_WIDTH, *, ascii: bool = False) -> str:
    """Cut ``value`` to ``width`` characters with an ellipsis."""
    if len(value) <= width:
        return value
    return value[: width - 3] + "..." if ascii else value[: width - 1] + "…"


def words(parts: Iterable[str], empty: str = "-") -> str:
    """Join flag words with commas; ``empty`` when there are none."""
    items = [p for p in parts if p]
    return ", ".join(items) if items else empty


@dataclass
class StackRefreshed(Message):
    """A tab fetched the stack again after changing it (e.g. maintenance mode)."""

    stack: Stack


class SettingsTab(UsesServices, Vertical):
    """Base of one tab of the settings screen.

    The screen calls :meth:`set_stack` when the stack in focus changes and
    :meth:`activate` when the tab is shown. Tabs load lazily: only the visible tab
    talks to the API, the others reload when they are next shown.
    """

    NEEDS_STACK = True
    """Whether the tab shows data of the chosen stack."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stack: Stack | None = None
        """The stack the tab shows (``None`` until one is chosen)."""
        self.active = False
        """Whether the tab is the visible one."""
        self.last_unknown: str | None = None
        """The last change whose outcome is unknown (kept in the status line)."""
        self._stale = True

    def refresh_screen_keys(self) -> None:
        """Grey out (or restore) the screen's keys that depend on what is in flight."""
        try:
            self.app.screen.refresh_bindings()
        except Exception:  # noqa: BLE001 - no screen during shutdown
            pass

    # -- life cycle -------------------------------------------------------------------

    def set_stack(self, stack: Stack | None) -> None:
        """Show ``stack`` (reloads now when visible, otherwise when next shown)."""
        changed = (self.stack.uid if self.stack else None) != (stack.uid if stack else None)
        self.stack = stack
        if not self.NEEDS_STACK:
            return
        if changed:
            self.last_unknown = None
            self.stack_changed()
            self._stale = True
        if self.active and self._stale:
            self._stale = False
            self.reload()

    def note_outcome(self, what: str, outcome: str) -> None:
        """Remember an unknown outcome (or forget it after a clear one)."""
        self.last_unknown = what if outcome == "unknown" else None

    def append_unknown(self, text: Text) -> Text:
        """Add the reminder about an unknown outcome to a status line."""
        if self.last_unknown:
            text.append(separator(self.app))
            text.append(
                f"outcome of '{sanitize(self.last_unknown)}' unknown: check before retrying",
                style="bold reverse",
            )
        return text

    def shows(self, stack: Stack) -> bool:
        """Whether the tab still shows ``stack`` (a reload for another one is stale)."""
        return self.stack is not None and self.stack.uid == stack.uid

    def stack_changed(self) -> None:
        """Hook: forget per-stack state (revealed values, chosen server)."""

    def activate(self) -> None:
        """The tab became visible: load if needed and focus its main widget."""
        self.active = True
        if self._stale:
            self._stale = False
            self.reload()
        self.focus_main()
        self.refresh_bindings()

    def deactivate(self) -> None:
        """The tab was hidden (its keys must not stay active from a hidden widget)."""
        self.active = False
        focused = self.screen.focused
        if focused is not None and self.owns(focused):
            self.screen.set_focus(None)

    def mark_stale(self) -> None:
        """Reload next time the tab is shown (or now, when it is visible)."""
        if self.active:
            self._stale = False
            self.reload()
        else:
            self._stale = True

    def reload(self) -> None:
        """Fetch and show the tab's data (override)."""

    def hard_reload(self) -> None:
        """Reload everything, cached lists included (``ctrl+r``)."""
        self.reload()

    def settle_focus(self) -> None:
        """After a load: focus the main widget unless the user is elsewhere on purpose.

        A table cannot take the focus while it shows its loading indicator, so the tab
        asks again once the data is in.
        """
        focused = self.screen.focused
        if not self.active:
            return
        if focused is None or (not self.owns(focused) and not _is_input(focused)):
            self.focus_main()

    def owns(self, widget: Any) -> bool:
        """Whether ``widget`` is part of this tab."""
        return self in widget.ancestors_with_self

    def focus_main(self) -> None:
        """Focus the tab's main widget (override when it is not a DataTable)."""
        for table in self.query(DataTable).results(DataTable):
            if table.display:
                self.screen.set_focus(table)  # at once: keys typed behind follow it
                return

    # -- shared widgets ---------------------------------------------------------------

    def set_status(self, content: Text | str) -> None:
        """Replace the tab's status line (``.tab-status``)."""
        text = content if isinstance(content, Text) else Text(content)
        for status in self.query(".tab-status").results(Static):
            status.update(text)

    def set_detail(self, content: Text | str) -> None:
        """Replace the tab's detail line (``.tab-detail``)."""
        text = content if isinstance(content, Text) else Text(content)
        for detail in self.query(".tab-detail").results(Static):
            detail.update(text)


def _is_input(widget: Any) -> bool:
    """Widgets the user focuses deliberately (choosers, text fields)."""
    kinds = (Input, Select, StackChooser)
    return isinstance(widget, kinds) or isinstance(widget.parent, kinds)


def row_key(table: DataTable) -> str | None:
    """The key of the row under the cursor, or ``None`` for an empty table."""
    if table.row_count == 0:
        return None
    try:
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except Exception:  # noqa: BLE001 - an out-of-range cursor means "nothing"
        return None


def refill(table: DataTable, rows: Iterable[tuple[str, tuple[Any, ...]]]) -> None:
    """Replace the table's rows, keeping the cursor on the same key when it still exists."""
    keep = row_key(table)
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    if keep is not None and keep in table.rows:
        table.move_cursor(row=table.get_row_index(keep), animate=False)
