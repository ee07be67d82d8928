"""A model of a terminal screen: which cells hold which character, with which attributes.

Fed the bytes an app writes (cursor moves, SGR attributes, text), it keeps what a
terminal would show, and tells for each write (from one cursor move to the next) whether
it changed any cell. The idle benchmark uses it to find bytes that changed nothing; UI
tests use it to check that partial updates leave the terminal as a full repaint would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rich.cells import cell_len

TOKEN = re.compile(
    rb"\x1b\[(?P<csi>[0-9;?<=>]*)[ -/]*(?P<final>[@-~])"  # CSI ... final byte
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC ... BEL or ST
    rb"|\x1b[^\[\]]"  # other two-byte escapes
    rb"|(?P<text>[^\x1b\r\n]+)"
    rb"|(?P<ctl>[\r\n])"
)


@dataclass
class Write:
    """One write: from a cursor move to the next (``chars`` 0: only places the cursor)."""

    row: int
    size: int = 0
    chars: int = 0
    changed: bool = False

    @property
    def wasted(self) -> bool:
        """Whether it wrote characters and none of them changed the screen."""
        return self.chars > 0 and not self.changed


@dataclass
class Screen:
    """Characters and attributes of each cell, as a terminal would hold them."""

    width: int
    height: int
    cells: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    row: int = 0
    col: int = 0
    sgr: str = ""

    def feed(self, data: bytes) -> list[Write]:
        """Apply ``data``; return its writes in order."""
        writes: list[Write] = []
        current: Write | None = None
        for match in TOKEN.finditer(data):
            if match["final"] == b"H":  # cursor position: a new write starts
                parts = (match["csi"] or b"").split(b";")
                self.row = int(parts[0] or 1) - 1
                self.col = int(parts[1] or 1) - 1 if len(parts) > 1 else 0
                current = Write(self.row)
                writes.append(current)
            elif match["final"] == b"m":
                params = (match["csi"] or b"").decode()
                self.sgr = "" if params in ("", "0") else f"{self.sgr};{params}"
            elif match["text"] is not None:
                for char in match["text"].decode("utf-8", "replace"):
                    if current is not None:
                        old = self.cells.get((self.row, self.col))
                        current.changed |= old != (char, self.sgr)
                        current.chars += 1
                    self.cells[(self.row, self.col)] = (char, self.sgr)
                    self.col += max(1, cell_len(char))
            elif match["ctl"] == b"\n":
                self.row += 1
            elif match["ctl"] == b"\r":
                self.col = 0
            if current is not None:
                current.size += match.end() - match.start()
        return writes

    def lines(self) -> list[str]:
        """The characters of each row, trailing spaces removed."""
        return [
            "".join(self.cells.get((row, col), (" ", ""))[0] for col in range(self.width)).rstrip()
            for row in range(self.height)
        ]
