"""The c66tui colour themes, registered next to Textual's built-in ones."""

from __future__ import annotations

from collections.abc import Sequence

from textual.filter import LineFilter, Monochrome, NoColor
from textual.theme import Theme

C66_DARK = Theme(
    name="c66-dark",
    primary="#2f9bd6",
    secondary="#5b7fa3",
    accent="#f0a33a",
    warning="#f0a33a",
    error="#e5534b",
    success="#57ab5a",
    foreground="#d8dee4",
    background="#0f1720",
    surface="#16212c",
    panel="#1d2b38",
    dark=True,
)
"""Default dark theme: Cloud 66 blue on a deep slate background."""

C66_LIGHT = Theme(
    name="c66-light",
    primary="#1f6fa8",
    secondary="#4b6a88",
    accent="#b36b00",
    warning="#b36b00",
    error="#c0352b",
    success="#2f7d32",
    foreground="#1b2733",
    background="#f6f8fa",
    surface="#ffffff",
    panel="#e6ecf1",
    dark=False,
)
"""Light counterpart of :data:`C66_DARK`."""

C66_THEMES = (C66_DARK, C66_LIGHT)
DEFAULT_THEME = C66_DARK.name

PAIRS = {
    "c66-dark": "c66-light",
    "textual-dark": "textual-light",
    "ansi-dark": "ansi-light",
    "solarized-dark": "solarized-light",
    "atom-one-dark": "atom-one-light",
    "catppuccin-mocha": "catppuccin-latte",
    "rose-pine": "rose-pine-dawn",
}
"""Dark theme -> its light variant (and back) for "toggle light/dark"."""


def counterpart(name: str, dark: bool, available: object) -> str:
    """The light/dark variant of theme ``name``; c66's own when it has none."""
    reverse = {light: dark_name for dark_name, light in PAIRS.items()}
    other = PAIRS.get(name) or reverse.get(name)
    if other and other in available:  # type: ignore[operator]
        return other
    return C66_LIGHT.name if dark else C66_DARK.name


_NO_COLOR_FILTERS = (Monochrome, NoColor)


def no_color_filters(filters: Sequence[LineFilter], ansi_theme: bool) -> list[LineFilter]:
    """``filters`` with Textual's ``NO_COLOR`` filter matching the theme in use.

    Textual picks that filter once, for the theme the app is created with: ``NoColor``
    (the terminal's own foreground and background) for an ANSI theme, ``Monochrome``
    (greys) otherwise. A theme chosen afterwards keeps the first pick, and greys made of
    an ANSI theme's "default" colours are all black: black text on a black background.
    """
    wanted = NoColor if ansi_theme else Monochrome
    out: list[LineFilter] = []
    for line_filter in filters:
        if isinstance(line_filter, _NO_COLOR_FILTERS) and type(line_filter) is not wanted:
            line_filter = _SHARED[wanted]
        out.append(line_filter)
    return out


_SHARED: dict[type, LineFilter] = {Monochrome: Monochrome(), NoColor: NoColor()}
