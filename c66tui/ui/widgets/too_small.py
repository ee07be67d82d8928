"""The "terminal too small" notice drawn over a screen whose layout no longer fits.

Below :data:`MIN_WIDTH` x :data:`MIN_HEIGHT` cells the screens and dialogs would be cut
off (the production redeploy confirmation needs all 18 rows at 60 columns), so the app
covers whatever is shown with this notice until the terminal grows again. The notice only
covers: the screen below keeps its state and comes back unchanged.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

MIN_WIDTH = 60
MIN_HEIGHT = 18
"""The smallest terminal every screen and dialog fits in (80x24 has room to spare)."""


def is_too_small(width: int, height: int) -> bool:
    """Whether a ``width`` x ``height`` terminal is below the usable size."""
    return width < MIN_WIDTH or height < MIN_HEIGHT


def too_small_text(width: int, height: int) -> Text:
    """The notice: the current size, the size needed and the two ways out."""
    text = Text(end="")
    text.append(f"Terminal too small: {width} x {height}", style="bold")
    text.append(f"\nneed at least {MIN_WIDTH} x {MIN_HEIGHT}")
    text.append("\n(resize, or q to quit)")
    return text


class TooSmallNotice(Static):
    """Covers the whole screen it is mounted on (above docked bars and dialogs)."""

    DEFAULT_CSS = """
    TooSmallNotice {
        overlay: screen;
        position: absolute;
        offset: 0 0;
        width: 100vw;
        height: 100vh;
        content-align: center middle;
        text-align: center;
        background: $background;
        color: $foreground;
    }
    """

    def __init__(self, width: int, height: int) -> None:
        super().__init__(too_small_text(width, height), markup=False)

    def show_size(self, width: int, height: int) -> None:
        """Repaint with the terminal's new size."""
        self.update(too_small_text(width, height))
