"""Start-up parses the stylesheet no more often than it must.

Textual parses every rule again (a fresh parse of the whole stylesheet, about 7 ms here)
when a screen's own style file is read after start-up and when a mode's first screen is
set up, and once more after the theme is first set. The stack list's styles are read with
the app's, a new main screen starts with the stylesheet as it stands and the start-up theme
is in the first parse already, so the stack list is reached without parsing again; the
stack list is still styled by its own rules and the theme's colours are on screen.
"""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet

from tests.ui.test_stacks_support import stacks_ready


async def test_the_stack_list_is_reached_without_a_full_parse_of_the_stylesheet_again(
    app_factory, sandbox, monkeypatch
):
    parses = []
    original = Stylesheet.reparse

    def counted(self):
        parses.append(1)
        return original(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        assert not parses, f"{len(parses)} full parses before the stack list"
        # stacks.tcss still applies: the status line is padded as its rules say.
        assert screen.query_one("#stacks-status").styles.padding.left == 1
        theme = app.get_theme(app.theme)
        assert app.screen.styles.background.hex.lower() == theme.background.lower()
