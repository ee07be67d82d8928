"""Find text drawn in its own background colour, as a terminal of a given kind shows it.

The screen is taken from the compositor exactly as it would be sent (line filters such
as the ``NO_COLOR`` one included); each segment's colours are then reduced the way Rich
reduces them for the terminal (16 colours, 256 colours or true colour), reverse video is
applied, and every cell holding a visible character is compared: foreground equal to
background means the text cannot be read. The terminal's own default foreground and
default background count as different colours. Box-drawing and block characters (borders,
the edges of buttons and check boxes, scroll bars) are decoration, not text, and are left out.
"""

from __future__ import annotations

from rich.color import Color, ColorSystem
from rich.segment import Segment

SYSTEMS = {
    "16": ColorSystem.STANDARD,
    "256": ColorSystem.EIGHT_BIT,
    "truecolor": ColorSystem.TRUECOLOR,
}

DEFAULT_FG = ("default", "fg")
DEFAULT_BG = ("default", "bg")


def _reduce(color: Color | None, system: ColorSystem, default: tuple) -> tuple:
    if color is None or color.is_default:
        return default
    reduced = color.downgrade(system)
    if reduced.triplet is not None and reduced.number is None:
        return ("rgb", tuple(reduced.triplet))
    return ("index", reduced.number)


def _decoration(char: str) -> bool:
    """Box drawing (U+2500-257F) and block elements (U+2580-259F)."""
    return 0x2500 <= ord(char) <= 0x259F


def unreadable_cells(app, system: str) -> list[str]:
    """Every run of visible characters on the app's screen whose foreground equals its
    background once reduced to ``system`` ("16", "256" or "truecolor")."""
    color_system = SYSTEMS[system]
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    problems: list[str] = []
    for y, line in enumerate(update.strips):
        segments = [segment for strip in line for segment in strip]
        for text, style, _control in Segment.filter_control(segments):
            letters = "".join(c for c in text if not c.isspace() and not _decoration(c))
            if style is None or not letters:
                continue
            fg = _reduce(style.color, color_system, DEFAULT_FG)
            bg = _reduce(style.bgcolor, color_system, DEFAULT_BG)
            if style.reverse:
                fg, bg = (
                    (DEFAULT_BG if fg == DEFAULT_FG else fg),
                    (DEFAULT_FG if bg == DEFAULT_BG else bg),
                )
            if fg == bg:
                problems.append(f"row {y}: {letters!r} fg=bg={fg}")
    return problems
