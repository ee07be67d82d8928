"""The c66tui application shell: modes, global keys, identity, themes.

``make_app`` builds the app from resolved settings; the command line, the demo and the
tests all go through it.
"""

from __future__ import annotations

import os
from typing import Any

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from c66tui.api.models import RateLimit
from c66tui.ui.messages import StackFocused
from c66tui.ui.services import AppServices, ApiFactory, default_api_factory
from c66tui.ui.theme import C66_THEMES, DEFAULT_THEME


def _stacks_screen():
    from c66tui.ui.screens.stacks import StacksScreen

    return StacksScreen()


def _jobs_screen():
    from c66tui.ui.screens.jobs import JobsScreen

    return JobsScreen()


def _settings_screen():
    from c66tui.ui.screens.settings import SettingsScreen

    return SettingsScreen()


class C66App(App):
    """Keyboard-driven Cloud 66 operations."""

    TITLE = "c66tui"
    CSS_PATH = "app.tcss"
    MODES = {"stacks": _stacks_screen, "jobs": _jobs_screen, "settings": _settings_screen}

    BINDINGS = [
        Binding("1", "switch_mode('stacks')", "Stacks", id="app.stacks"),
        Binding("2", "switch_mode('jobs')", "Jobs", id="app.jobs"),
        Binding("3", "switch_mode('settings')", "Settings", id="app.settings"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("ctrl+r", "refresh", "Refresh", id="app.refresh"),
        Binding("ctrl+l", "redraw", "Redraw", show=False, id="app.redraw"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.force_quit"),
    ]

    profile_name: reactive[str] = reactive("")
    account_email: reactive[str] = reactive("")
    api_host: reactive[str] = reactive("")
    focused_environment: reactive[str] = reactive("")
    rate_text: reactive[str] = reactive("")
    demo_mode: reactive[bool] = reactive(False)

    def __init__(self, services: AppServices, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        """Everything screens need: API client, stores, identity, permissions."""
        self.set_reactive(C66App.profile_name, services.profile_name)
        self.set_reactive(C66App.api_host, services.api_host)
        self.set_reactive(C66App.demo_mode, services.demo)
        for theme in C66_THEMES:
            self.register_theme(theme)
        self.theme = self._initial_theme()

    def _initial_theme(self) -> str:
        wanted = getattr(self.services.preferences, "theme", DEFAULT_THEME) or DEFAULT_THEME
        if os.environ.get("NO_COLOR") and wanted in {t.name for t in C66_THEMES}:
            # Monochrome terminals read best with the terminal's own palette.
            wanted = "ansi-dark"
        return wanted if wanted in self.available_themes else DEFAULT_THEME

    # -- start-up -----------------------------------------------------------------

    async def on_mount(self) -> None:
        keymap = getattr(self.services.preferences, "keymap", None) or {}
        if keymap:
            self.set_keymap(dict(keymap))
        token = getattr(self.services.settings, "token", None)
        if token:
            await self.services.connect(token)
            self.services.scopes = set(getattr(self.services.profile, "scopes", ()) or ())
            await self.switch_mode("stacks")
        else:
            await self.switch_mode("stacks")
            self.show_login()

    def show_login(self) -> None:
        """Open the login screen (no usable token, or the user asked to log in)."""
        from c66tui.ui.screens.login import LoginScreen

        self.push_screen(LoginScreen())

    # -- identity -----------------------------------------------------------------

    def note_rate_limit(self, rate: RateLimit) -> None:
        """Show the remaining API budget in the identity bar."""
        if rate.limit and rate.remaining is not None:
            self.rate_text = f"API {rate.remaining}/{rate.limit}"

    @on(StackFocused)
    def _remember_focused_stack(self, event: StackFocused) -> None:
        self.services.focused_stack = event.stack
        self.focused_environment = event.stack.environment if event.stack else ""

    # -- global actions -----------------------------------------------------------

    def action_refresh(self) -> None:
        """Ask the active screen to reload."""
        refresh = getattr(self.screen, "action_refresh", None)
        if callable(refresh):
            refresh()

    def action_redraw(self) -> None:
        """Repaint the whole terminal (for garbled screens under tmux)."""
        self.refresh(repaint=True, layout=True)
        self.screen.refresh(repaint=True, layout=True)

    def action_help(self) -> None:
        """Show the keys of the current screen."""
        from c66tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def make_app(
    settings: Any,
    *,
    api_factory: ApiFactory | None = None,
) -> C66App:
    """Build the app from resolved settings (see :func:`c66tui.config.load_settings`)."""
    services = AppServices(settings=settings, api_factory=api_factory or default_api_factory)
    return C66App(services)
