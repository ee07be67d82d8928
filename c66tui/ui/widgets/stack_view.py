"""The stack list's view state: filter, sort, favourites and marks (a mixin of
``StackTable``).

Each change works out the order of the rows (:meth:`StackTable._visible_order`) and lets
the table apply it (:meth:`StackTable._apply_order`): a sort moves rows, a filter adds and
removes the difference (or fills the table afresh in slices when the difference is big).
Favourites are pinned on top; marks are flags for a redeploy queue.
"""

from __future__ import annotations

from collections.abc import Iterable

from c66tui.api.models import Stack
from c66tui.ui.widgets.stack_columns import ASCII_SYMBOLS, SORT_LABELS, SORT_ORDER


class StackViewState:
    """Filter, sort, favourites and marks of the stack list."""

    filter_text = ""
    sort_column = "name"
    sort_reverse = False
    show_account = False

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
