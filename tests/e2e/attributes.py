"""Which text attributes (bold, reverse, underline...) a styled capture gives its text.

``capture-pane -e`` writes each change of attributes as an SGR sequence, carried from one
cell to the next across rows. :func:`attributes_at` replays them over the whole screen and
tells which attributes every visible character of some text on a row was drawn with, so a
test can see the cursor row or the focused button under ``NO_COLOR``, where colour cannot
mark them.
"""

from __future__ import annotations

import re

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
ATTRIBUTES = {
    1: "bold",
    2: "dim",
    3: "italic",
    4: "underline",
    5: "blink",
    7: "reverse",
    9: "strike",
}
RESETS = {22: {1, 2}, 23: {3}, 24: {4}, 25: {5}, 27: {7}, 29: {9}}
"""SGR codes that turn attributes off."""


def _apply(params: list[int], state: set[int]) -> None:
    i = 0
    while i < len(params):
        code = params[i]
        if code in (38, 48, 58) and i + 1 < len(params):
            i += 3 if params[i + 1] == 5 else 5 if params[i + 1] == 2 else 1
            continue
        if code == 0:
            state.clear()
        elif code in ATTRIBUTES:
            state.add(code)
        elif code in RESETS:
            state.difference_update(RESETS[code])
        i += 1


def styled_cells(styled: str) -> list[list[tuple[str, frozenset[int]]]]:
    """Every row of the capture as (character, attribute codes) pairs."""
    rows: list[list[tuple[str, frozenset[int]]]] = [[]]
    state: set[int] = set()
    position = 0
    for match in SGR.finditer(styled + "\x1b[m"):
        for char in styled[position : match.start()]:
            if char == "\n":
                rows.append([])
            else:
                rows[-1].append((char, frozenset(state)))
        params = [int(p) if p.isdigit() else 0 for p in re.split("[;:]", match.group(1))]
        _apply(params or [0], state)
        position = match.end()
    return rows


def attributes_at(styled: str, row_text: str, text: str) -> set[str]:
    """Names of the attributes shared by every non-blank character of ``text`` on the
    first row whose plain text contains ``row_text``."""
    for cells in styled_cells(styled):
        plain = "".join(char for char, _ in cells)
        if row_text not in plain:
            continue
        start = plain.find(text, plain.index(row_text))  # after the row's marker first
        if start < 0:
            start = plain.find(text)
        assert start >= 0, f"{text!r} is not on the row of {row_text!r}: {plain!r}"
        chosen = [codes for char, codes in cells[start : start + len(text)] if char != " "]
        shared = frozenset.intersection(*chosen) if chosen else frozenset()
        return {ATTRIBUTES[code] for code in shared}
    raise AssertionError(f"no row holds {row_text!r}")
