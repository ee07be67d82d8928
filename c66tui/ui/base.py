"""The base class of the main screens: identity bar on top, footer at the bottom."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from c66tui.ui.context import UsesServices
from c66tui.ui.widgets.identity_bar import IdentityBar
from c66tui.ui.widgets.key_footer import KeyFooter


class MainScreen(UsesServices, Screen):
    """A top-level screen of one mode (stacks, jobs, settings), or one opened from it.

    Subclasses implement :meth:`compose_body`; the identity bar and footer are added
    around it so every screen shows who is logged in and which keys matter (the footer
    keeps to what fits; ``?`` lists every key).
    ``action_refresh`` is what ``ctrl+r`` calls; override it. ``self.services`` is the
    session (:class:`c66tui.ui.context.UsesServices`).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A new screen starts with the stylesheet as it stands. Textual counts it out of
        # date (-1) and, for a mode's first screen, parses every rule again and restyles
        # the app (about 7 ms at start-up) before showing it; nothing changed meanwhile.
        self._css_update_count = getattr(self.app, "_css_update_count", -1)

    def compose(self) -> ComposeResult:
        yield IdentityBar()
        yield from self.compose_body()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets."""
        return iter(())

    def action_refresh(self) -> None:
        """Reload what the screen shows (``ctrl+r``)."""


class ConnectingScreen(Screen):
    """A blank stand-in shown for a moment while the app switches profile or logs out.

    The main screens are rebuilt behind it so nothing from the previous profile lingers.
    """

    def compose(self) -> ComposeResult:
        yield IdentityBar()
        yield Static("Connecting…", id="placeholder", markup=False)
        yield KeyFooter()
