"""ASCII-only output: the last step before the terminal, for terminals without Unicode.

The ASCII look itself is designed where it is drawn: ``ascii`` borders in
``app.tcss`` (under the app's ``-ascii-only`` class), ASCII symbol tables in the stack
and job lists, key names in the footer. What is left (a ``·`` between words, the ``│``
separators and ``…`` of the identity bar, the ``…`` of a cut-off cell, scrollbar ends, a
check mark in a message, an accented name from the API) is translated here, one cell for
one cell so no layout moves: box drawing becomes ``+ - |``, blocks ``# _ - |``, arrows ``^ v < >``,
accented letters lose their accents and anything else becomes ``?``.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rich.cells import get_character_cell_size
from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

LOOK_ALIKES = {
    # punctuation
    "·": "-",
    "•": "*",
    "∙": "-",
    "…": "~",
    "—": "-",
    "–": "-",
    "‐": "-",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "×": "x",
    "‖": "=",
    "\u00a0": " ",
    # symbols the app uses (as the ASCII tables of the stack and job lists do)
    "✓": "+",
    "✔": "+",
    "✗": "x",
    "✘": "x",
    "★": "*",
    "☆": "*",
    "●": "*",
    "○": "o",
    "◆": "*",
    "⊘": "/",
    "⏎": "<",
    # triangles and arrows
    "▲": "^",
    "△": "^",
    "▴": "^",
    "▼": "v",
    "▽": "v",
    "▾": "v",
    "▶": ">",
    "▸": ">",
    "►": ">",
    "◀": "<",
    "◂": "<",
    "◄": "<",
    "↑": "^",
    "↓": "v",
    "←": "<",
    "→": ">",
    # block elements (thick borders, button edges, scrollbar ends, gauges)
    "█": "#",
    "▓": "#",
    "▒": ":",
    "░": ".",
    "▀": "-",
    "▔": "-",
    "▄": "_",
    "▁": "_",
    "▂": "_",
    "▃": "_",
    "▅": "#",
    "▆": "#",
    "▇": "#",
}
"""Characters with an obvious one-cell ASCII stand-in (one character each)."""


def _box_drawing(name: str) -> str:
    """``-``, ``|`` or ``+`` for a BOX DRAWINGS character, from the directions it names."""
    words = set(name.split())
    if "DIAGONAL" in words:
        return "X" if "CROSS" in words else "/"
    across = bool(words & {"HORIZONTAL", "LEFT", "RIGHT"})
    along = bool(words & {"VERTICAL", "UP", "DOWN"})
    if across and not along:
        return "-"
    if along and not across:
        return "|"
    return "+"


@lru_cache(maxsize=4096)
def ascii_char(char: str) -> str:
    """The ASCII text taking the same cells as ``char``."""
    if char.isascii():
        return char
    width = get_character_cell_size(char)
    if width == 0:
        return ""
    found = LOOK_ALIKES.get(char)
    if found is None:
        name = unicodedata.name(char, "")
        if name.startswith("BOX DRAWINGS"):
            found = _box_drawing(name)
        elif name.startswith(("LEFT ", "RIGHT ")) and "BLOCK" in name:
            found = "|"  # the eighth blocks at the edges of panels and scrollbars
        elif "BLOCK" in name or "QUADRANT" in name or "SHADE" in name:
            found = "#"
        else:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            found = plain[0] if plain and plain[0].isprintable() else "?"
    return found * width  # one character for each cell (a wide character takes two)


def ascii_text(text: str) -> str:
    """``text`` with every character replaced by :func:`ascii_char` (same cell width)."""
    if text.isascii():
        return text
    return "".join(ascii_char(char) for char in text)


class AsciiFilter(LineFilter):
    """A line filter that leaves only ASCII on screen (see the module docstring)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            segment
            if segment.control or segment.text.isascii()
            else Segment(ascii_text(segment.text), segment.style, segment.control)
            for segment in segments
        ]
