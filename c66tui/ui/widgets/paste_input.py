"""An ``Input`` for values that are pasted more often than typed (client ids, secrets,
codes, addresses, tokens).

* A bracketed paste is cleaned before it lands: whitespace and control characters are
  stripped from both ends and the line breaks a wrapped terminal adds are dropped, so
  ``"\\tCODE\\n"`` gives ``CODE``. Other control characters inside the text are kept,
  so the field's check can refuse the paste and say why instead of sending a mangled
  value.
* Focusing the field (``tab``) never selects its content, so the next key does not
  wipe a filled client id.
* :class:`PasteTargetInput` (the code and token fields) also takes a ``tab`` followed at
  once by printable keys as the start of a paste the terminal did not bracket: the keys
  stay in the field instead of the focus moving on; a ``tab`` on its own still moves to
  the next field, a few milliseconds later.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.timer import Timer
from textual.widgets import Input

RAW_PASTE_WINDOW = 0.05
"""Seconds after a ``tab`` in which a printable key means a raw paste, not a move."""


def _is_control(ch: str) -> bool:
    return ord(ch) < 32 or 127 <= ord(ch) < 160 or ch in "\u2028\u2029"


def clean_pasted(text: str) -> str:
    """``text`` with its ends stripped of whitespace and control characters and its
    line breaks removed."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or _is_control(text[start])):
        start += 1
    while end > start and (text[end - 1].isspace() or _is_control(text[end - 1])):
        end -= 1
    return "".join(ch for ch in text[start:end] if ch not in "\r\n\u2028\u2029")


class PasteSafeInput(Input):
    """An ``Input`` whose pastes are cleaned and whose content is not selected on focus."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        text = clean_pasted(event.text or "")
        if not text:
            return
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)


class PasteTargetInput(PasteSafeInput):
    """A :class:`PasteSafeInput` that survives an unbracketed paste starting with a tab.

    The screen hosting it asks :meth:`hold_tab` before moving the focus on a ``tab``
    (see :func:`focus_next_unless_pasting`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending_tab: Timer | None = None
        self._move_on: Callable[[], object] | None = None

    def hold_tab(self, move_on: Callable[[], object]) -> bool:
        """Wait :data:`RAW_PASTE_WINDOW` before ``move_on``; ``False`` when already waiting
        (a second ``tab`` moves on at once)."""
        if self._pending_tab is not None:
            return False
        self._move_on = move_on
        self._pending_tab = self.set_timer(RAW_PASTE_WINDOW, self._tab_was_a_tab)
        return True

    def _on_key(self, event: events.Key) -> None:
        if self._pending_tab is None:
            return
        self._pending_tab.stop()
        self._pending_tab = None
        if not event.is_printable:
            self._tab_was_a_tab()

    def _tab_was_a_tab(self) -> None:
        """No paste followed: the ``tab`` moves the focus after all."""
        self._pending_tab = None
        move_on, self._move_on = self._move_on, None
        if move_on is not None and self.has_focus:
            move_on()


def focus_next_unless_pasting(screen: Any, move_on: Callable[[], object]) -> bool:
    """For a screen's ``focus_next``: ``True`` when the focused field holds the ``tab``
    to see whether an unbracketed paste follows (``move_on`` then runs later, or never)."""
    focused = screen.focused
    return isinstance(focused, PasteTargetInput) and focused.hold_tab(move_on)
