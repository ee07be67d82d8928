"""Read what a running app shows: the screen as plain text, line by line.

The text comes from Textual's public :meth:`App.export_screenshot` (the SVG a screenshot
key would save): every ``<text>`` element of it is one run of characters at a cell column
(its ``x`` divided by the width of a cell) on the line its clip path names. Dialogs over
their background screens are included, exactly as the compositor composes them.
"""

from __future__ import annotations

import html
import re

from rich.cells import cell_len

CELL_WIDTH = 20 * 0.61
"""Width of one cell in Rich's SVG export (a 20-unit font, aspect ratio 0.61)."""

_TEXT = re.compile(
    r'<text class="[^"]*" x="(?P<x>[0-9.]+)" y="[0-9.]+" textLength="[0-9.]+" '
    r'clip-path="url\(#[^")]*-line-(?P<line>[0-9]+)\)">(?P<text>[^<]*)</text>'
)


def screen_text(app) -> str:
    """The current screen (dialogs over their background included) as plain text, one
    line per terminal row, each padded to the app's width."""
    width, height = app.size
    rows: list[list[tuple[int, str]]] = [[] for _ in range(height)]
    for match in _TEXT.finditer(app.export_screenshot()):
        line = int(match["line"])
        if line < height:
            column = round(float(match["x"]) / CELL_WIDTH)
            text = html.unescape(match["text"]).replace("\xa0", " ").replace("\n", "")
            rows[line].append((column, text))
    lines = []
    for runs in rows:
        line, at = "", 0
        for column, text in sorted(runs):
            if column > at:
                line += " " * (column - at)
                at = column
            line += text
            at += cell_len(text)
        lines.append(line + " " * max(0, width - at))
    return "\n".join(lines)


def screen_lines(app) -> list[str]:
    """:func:`screen_text` split into lines (one per terminal row)."""
    return screen_text(app).splitlines()
