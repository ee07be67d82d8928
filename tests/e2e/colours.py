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
