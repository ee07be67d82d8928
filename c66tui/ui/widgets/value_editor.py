"""Editing a value from the server byte for byte.

A value is put into the field that can hold it exactly, never a display-safe copy:

* ``plain``: no control characters at all: a one-line ``Input`` holding the value as is;
* ``lines``: line breaks and tabs but no other control character (a PEM key, a
  multi-line script): a ``TextArea`` holding the value as is (``ctrl+s`` saves, since
  ``enter`` is a new line);
* ``escaped``: any other control character (ESC, a carriage return, NUL, DEL, C1) or a
  bidirectional override: a one-line ``Input`` holding the value in an explicit escape
  form (``\\n``, ``\\t``, ``\\r``, ``\\\\``, ``\\xHH``, ``\\uHHHH``), turned back into the
  exact characters on save.

:meth:`ValueForm.read` gives back what is in the field as the value to send, so
"unchanged" is compared with what the server has, not with what the screen showed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.widget import Widget
from textual.widgets import Input, TextArea

Mode = Literal["plain", "lines", "escaped"]

_SIMPLE = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_UNSIMPLE = {"\\": "\\", "n": "\n", "t": "\t", "r": "\r"}
_BIDI = {*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029}

ESCAPE_HINT = "shown with escapes: \\n new line, \\t tab, \\r return, \\\\ backslash, \\xHH"
LINES_HINT = "several lines: enter starts a new line · ctrl+s continues"


def is_hostile(char: str) -> bool:
    """A character a terminal must never receive raw (C0, DEL, C1, bidi overrides)."""
    code = ord(char)
    return code < 0x20 or 0x7F <= code < 0xA0 or code in _BIDI


def mode_for(value: str) -> Mode:
    """The field that can hold ``value`` exactly."""
    if not any(is_hostile(ch) for ch in value):
        return "plain"
    if all(ch in "\n\t" or not is_hostile(ch) for ch in value):
        return "lines"
    return "escaped"


def escape(value: str) -> str:
    """``value`` with every control character (and the backslash) written as an escape."""
    out: list[str] = []
    for ch in value:
        if ch in _SIMPLE:
            out.append(_SIMPLE[ch])
        elif is_hostile(ch):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def unescape(text: str) -> str:
    """The exact characters ``text`` (in :func:`escape`'s form) stands for.

    ``ValueError`` with a plain reason for an incomplete or unknown escape.
    """
    out: list[str] = []
    index = 0
    while index < len(text):
        ch = text[index]
        if ch != "\\":
            out.append(ch)
            index += 1
            continue
        code = text[index + 1 : index + 2]
        if code in _UNSIMPLE:
            out.append(_UNSIMPLE[code])
            index += 2
            continue
        width = {"x": 2, "u": 4}.get(code)
        digits = text[index + 2 : index + 2 + width] if width else ""
        if not width or len(digits) != width or not _is_hex(digits):
            raise ValueError(
                f"Unknown escape at character {index + 1}: write a backslash as \\\\"
            )
        out.append(chr(int(digits, 16)))
        index += 2 + width
    return "".join(out)


def _is_hex(text: str) -> bool:
    return all(ch in "0123456789abcdefABCDEF" for ch in text)


@dataclass(frozen=True)
class ValueForm:
    """How one value is edited: its mode and the text the field starts with."""

    current: str
    mode: Mode

    @classmethod
    def for_value(cls, value: str | None) -> ValueForm:
        current = "" if value is None else str(value)
        return cls(current, mode_for(current))

    @property
    def field_text(self) -> str:
        """What the field is filled with."""
        return escape(self.current) if self.mode == "escaped" else self.current

    @property
    def hint(self) -> str | None:
        """A line under the label explaining the field (``None`` for plain values)."""
        return {"escaped": ESCAPE_HINT, "lines": LINES_HINT}.get(self.mode)

    def widget(self, widget_id: str) -> Widget:
        """The field, filled with the value."""
        if self.mode == "lines":
            area = TextArea(
                self.current, id=widget_id, soft_wrap=True, compact=True, tab_behavior="focus"
            )
            area.add_class("value-lines")
            return area
        return Input(self.field_text, id=widget_id, compact=True, select_on_focus=True)

    def read(self, widget: Widget) -> str:
        """The value the field now holds (``ValueError`` for a broken escape)."""
        if isinstance(widget, TextArea):
            return widget.text
        text = widget.value if isinstance(widget, Input) else ""
        return unescape(text) if self.mode == "escaped" else text
