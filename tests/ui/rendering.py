"""Read what a running app shows: the screen as plain text, line by line."""

from __future__ import annotations

import io

from rich.console import Console


def screen_text(app) -> str:
    """The current screen (dialogs over their background included) as plain text,
    exactly as the compositor would send it to a terminal of the app's size."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        record=True,
        color_system=None,
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text()


def screen_lines(app) -> list[str]:
    """:func:`screen_text` split into lines (one per terminal row)."""
    return screen_text(app).splitlines()
