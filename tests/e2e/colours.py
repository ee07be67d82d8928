"""Read the colours a program drew from ``capture-pane -e`` output.

tmux keeps each cell's colour as the program sent it (a 16-colour index, a 256-colour
index or an RGB triple), so the SGR sequences in a styled capture tell which colour
system the program used and whether it drew anything in colour at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
GREY_INDEXES = {0, 7, 8, 15, 16, 231, *range(232, 256)}
"""256-colour palette entries without hue: black, white and the grey ramp."""


@dataclass
class Colours:
    """The colours found on a screen, by kind."""

    basic: set[int] = field(default_factory=set)
    """Codes 30-37, 40-47, 90-97, 100-107 (the 16-colour palette)."""
    indexed: set[int] = field(default_factory=set)
    """256-colour palette indexes (``38;5;N`` / ``48;5;N``)."""
    rgb: set[tuple[int, int, int]] = field(default_factory=set)
    """True-colour triples (``38;2;R;G;B`` / ``48;2;R;G;B``)."""

    def chromatic(self) -> list[str]:
        """Every colour that has a hue (not black, white or grey)."""
        out = [f"basic {c}" for c in self.basic if c % 10 not in (0, 7) and c not in (39, 49)]
        out += [f"index {i}" for i in self.indexed if i not in GREY_INDEXES]
        out += [f"rgb {t}" for t in self.rgb if len(set(t)) > 1]
        return sorted(out)


def colours(styled: str) -> Colours:
    """Parse every SGR sequence of a styled capture."""
    found = Colours()
    for match in SGR.finditer(styled):
        params = [int(p) if p.isdigit() else 0 for p in re.split("[;:]", match.group(1))]
        i = 0
        while i < len(params):
            code = params[i]
            if code in (38, 48) and i + 2 < len(params) and params[i + 1] == 5:
                found.indexed.add(params[i + 2])
                i += 3
                continue
            if code in (38, 48) and i + 4 < len(params) and params[i + 1] == 2:
                found.rgb.add((params[i + 2], params[i + 3], params[i + 4]))
                i += 5
                continue
            if 30 <= code <= 37 or 40 <= code <= 47 or 90 <= code <= 97 or 100 <= code <= 107:
                found.basic.add(code)
            i += 1
    return found


# -- cell by cell --------------------------------------------------------------------

DEFAULT_FG = ("default", "fg")
DEFAULT_BG = ("default", "bg")


def _basic(code: int) -> tuple[str, int]:
    if 30 <= code <= 37 or 40 <= code <= 47:
        return ("index", code % 10)
    return ("index", 8 + code % 10)


def unreadable_runs(styled: str) -> list[str]:
    """Text a terminal would draw in its own background colour, from ``capture-pane -e``.

    Follows the SGR state through each row (foreground, background, reverse video) and
    reports every visible character (box drawing and block elements excepted: borders and
    edges, not text) whose foreground equals its background. 16-colour codes and their
    256-colour equivalents (``38;5;1`` is ``31``) count as the same colour; the terminal's
    default foreground and default background count as different."""
    problems: list[str] = []
    for y, row in enumerate(styled.splitlines()):
        fg, bg, reverse = DEFAULT_FG, DEFAULT_BG, False
        position = 0
        bad = ""
        for match in [*SGR.finditer(row), None]:
            end = match.start() if match else len(row)
            for char in row[position:end]:
                shown_fg, shown_bg = (bg, fg) if reverse else (fg, bg)
                visible = not char.isspace() and not 0x2500 <= ord(char) <= 0x259F
                same = _same(shown_fg, shown_bg)
                if visible and same:
                    bad += char
                elif bad:
                    problems.append(f"row {y}: {bad!r}")
                    bad = ""
            if match is None:
                break
            position = match.end()
            fg, bg, reverse = _apply(match.group(1), fg, bg, reverse)
        if bad:
            problems.append(f"row {y}: {bad!r}")
    return problems


def _same(fg: tuple, bg: tuple) -> bool:
    if "default" in (fg[0], bg[0]):
        return False
    return fg[1] == bg[1]


def _apply(params_text: str, fg: tuple, bg: tuple, reverse: bool) -> tuple:
    params = [int(p) if p.isdigit() else 0 for p in re.split("[;:]", params_text)] or [0]
    i = 0
    while i < len(params):
        code = params[i]
        if code == 0:
            fg, bg, reverse = DEFAULT_FG, DEFAULT_BG, False
        elif code == 7:
            reverse = True
        elif code == 27:
            reverse = False
        elif code == 39:
            fg = DEFAULT_FG
        elif code == 49:
            bg = DEFAULT_BG
        elif code in (38, 48) and i + 2 < len(params) and params[i + 1] == 5:
            colour = ("index", params[i + 2])
            fg, bg = (colour, bg) if code == 38 else (fg, colour)
            i += 2
        elif code in (38, 48) and i + 4 < len(params) and params[i + 1] == 2:
            colour = ("rgb", tuple(params[i + 2 : i + 5]))
            fg, bg = (colour, bg) if code == 38 else (fg, colour)
            i += 4
        elif 30 <= code <= 37 or 90 <= code <= 97:
            fg = _basic(code)
        elif 40 <= code <= 47 or 100 <= code <= 107:
            bg = _basic(code)
        i += 1
    return fg, bg, reverse
