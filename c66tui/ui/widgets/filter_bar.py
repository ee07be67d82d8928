"""A reusable one-line ``/`` filter for lists and tables.

``FilterBar`` is an ``Input`` that stays hidden until :meth:`FilterBar.open` is called
(bind ``/`` to it on the screen). It posts :class:`FilterBar.FilterChanged` on every
keystroke, so the list narrows as the user types; ``enter`` (or ``down``) keeps the filter
and hands the focus back; ``esc`` clears it and hides the bar. While a filter is active but
the bar is not focused it stays visible, so the user can always see why rows are missing.

Usage::

    def compose(self):
        yield FilterBar(id="filter")
        yield DataTable(id="table")

    def action_filter(self):
        self.query_one(FilterBar).open()

    @on(FilterBar.FilterChanged)
    def _filter(self, event):
        apply(event.value)

    @on(FilterBar.Closed)
    def _closed(self, event):
        ...  # the focus is already back where it was before ``/``

:func:`matches` is the matching rule the stacks list uses (every word of the filter must
appear in one of the fields, case-insensitively); other screens may reuse it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


def matches(query: str, fields: Iterable[str]) -> bool:
    """Whether every whitespace-separated word of ``query`` occurs in one of ``fields``.

    Case-insensitive; an empty query matches everything.
    """
    words = query.lower().split()
    if not words:
        return True
    haystack = "\n".join(f.lower() for f in fields)
    return all(word in haystack for word in words)


class FilterBar(Input):
    """A hidden ``/`` filter field that narrows a list as you type."""

    DEFAULT_CSS = """
    FilterBar {
        display: none;
        height: 1;
        width: 1fr;
        padding: 0 1;
        border: none;
        background: $boost;
    }
    FilterBar.-shown {
        display: block;
    }
    FilterBar:focus {
        background: $primary 20%;
    }
    """

    BINDINGS = [
        Binding("escape", "clear_filter", "Clear filter", id="filter.clear"),
        Binding("enter", "accept", "Keep filter", id="filter.accept"),
        Binding("down", "accept", "Keep filter", show=False, id="filter.down"),
    ]

    @dataclass
    class FilterChanged(Message):
        """The filter text changed (``value`` is the new text, possibly empty)."""

        filter_bar: FilterBar
        value: str

        @property
        def control(self) -> FilterBar:
            return self.filter_bar

    @dataclass
    class Closed(Message):
        """The bar gave the focus back; ``cleared`` is true when the filter was removed."""

        filter_bar: FilterBar
        cleared: bool

        @property
        def control(self) -> FilterBar:
            return self.filter_bar

    def __init__(
        self,
        placeholder: str = "filter (esc clears, enter keeps)",
        *,
        on_change: Callable[[str], None] | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``on_change(value)``, when given, is called synchronously on every change (before
        the next key is handled), so the list is already narrowed when a key that acts on
        it arrives in the same burst; :class:`FilterChanged` is posted as well."""
        super().__init__(placeholder=placeholder, id=id, classes=classes, compact=True)
        self.on_change = on_change
        self._last_posted = ""
        self._return_to = None
        # Hidden bars must not take the screen's first focus.
        self.can_focus = False

    @property
    def active(self) -> bool:
        """Whether a non-empty filter is in force."""
        return bool(self.value.strip())

    def open(self) -> None:
        """Show the bar and focus it (the ``/`` key).

        The focus moves at once (not on the next message loop turn), so keys that arrive
        in the same burst as ``/`` (a fast typist, a paste, a laggy SSH link) land in the
        filter rather than in the list behind it.
        """
        focused = self.screen.focused
        if focused is not self:
            self._return_to = focused
        self.add_class("-shown")
        self.can_focus = True
        self.screen.set_focus(self)
        self.cursor_position = len(self.value)

    def _give_back(self) -> None:
        """Return the focus (at once) to whatever had it before :meth:`open`."""
        target = self._return_to
        if target is not None and target.is_attached and target.focusable:
            self.screen.set_focus(target)

    def clear_filter(self) -> None:
        """Remove the filter and hide the bar (posts ``FilterChanged`` with ``""``)."""
        was_focused = self.has_focus
        self.value = ""
        self._post_change("")
        self._hide()
        if was_focused:
            self._give_back()
            self.post_message(self.Closed(self, cleared=True))

    def action_clear_filter(self) -> None:
        """``esc``: clear the filter and give the focus back."""
        self.clear_filter()

    def action_accept(self) -> None:
        """``enter``: keep the filter, give the focus back (hide the bar if empty)."""
        if not self.active:
            self._hide()
        self._give_back()
        self.post_message(self.Closed(self, cleared=not self.active))

    def _hide(self) -> None:
        self.remove_class("-shown")
        self.can_focus = False

    def watch_value(self, value: str) -> None:
        # Runs as soon as the value changes (Input's own watcher only posts a message).
        self._post_change(value)

    def _on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self:
            event.stop()  # FilterChanged is this widget's message

    def _post_change(self, value: str) -> None:
        if value == self._last_posted:
            return
        self._last_posted = value
        if self.on_change is not None:
            self.on_change(value)
        self.post_message(self.FilterChanged(self, value))
