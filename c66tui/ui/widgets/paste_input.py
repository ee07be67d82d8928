"""An ``Input`` for values that are pasted more often than typed (client ids, secrets,
codes, addresses, tokens).

* A bracketed paste is cleaned before it lands: whitespace and control characters are
  stripped from both ends and the line breaks a wrapped terminal adds are dropped, so
  ``"\\tCODE\\n"`` gives ``CODE``. Other control characters inside the text are kept,
  so the field's check can refuse the paste and say why instead of sending a mangled
  value.
* Focusing the field (``tab``) never selects its content, so the next key does not
  wipe a filled client id.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input


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
