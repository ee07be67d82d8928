"""The c66tui application shell: modes, global keys, start-up, palette, quitting.

``make_app`` builds the app from resolved settings; the command line and the tests go
through it (the demo builds its own in :mod:`c66tui.ui.demo`). The rest of the shell is
mixed in, one concern a module: account flows (log in, log out, profiles, a new login
after a 401) in :mod:`c66tui.ui.account`, the identity bar's data in
:mod:`c66tui.ui.identity_feed`, toast redaction in :mod:`c66tui.ui.redacted_notify`,
crash reports in :mod:`c66tui.ui.crash`.
"""

from __future__ import annotations

import asyncio
import os
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from c66tui.api.redaction import install_redaction
from c66tui.api.secret import Secret
from c66tui.ops.config_writes import save_theme, theme_previewing
from c66tui.ops.services import ApiFactory, AppServices, default_api_factory
from c66tui.text import sanitize
from c66tui.ui import log_guard
from c66tui.ui.account import AccountMixin
from c66tui.ui.base import ConnectingScreen
from c66tui.ui.crash import CrashReporting
from c66tui.ui.identity_feed import IdentityFeed
from c66tui.ui.key_bursts import KeyBursts
from c66tui.ui.list_keys import LIST_BINDINGS, ListKeys
from c66tui.ui.messages import ApiConnected, StackFocused
from c66tui.ui.modes import MODE_FACTORIES
from c66tui.ui.redacted_notify import RedactedNotify
from c66tui.ui.terminal_fit import TerminalFit
from c66tui.ui.theme import C66_THEMES, DEFAULT_THEME, counterpart, no_color_filters

if TYPE_CHECKING:
    from textual.command import Provider

    from c66tui.config.settings import Settings
    from c66tui.ui.dialogs.confirm import ConfirmDialog


def _stack_commands() -> type[Provider]:
    """The palette's "go to stack" provider."""
    # Deferred for start-up time: the palette's providers load when it first opens.
    from c66tui.ui.commands import StackCommands

    return StackCommands


def _profile_commands() -> type[Provider]:
    """The palette's "switch to profile" provider."""
    # Deferred for start-up time: the palette's providers load when it first opens.
    from c66tui.ui.commands import ProfileCommands

    return ProfileCommands


class C66App(
    CrashReporting,
    RedactedNotify,
    IdentityFeed,
    TerminalFit,
    KeyBursts,
    ListKeys,
    AccountMixin,
    App,
):
    """Keyboard-driven Cloud 66 operations."""

    TITLE = "c66tui"
    CSS_PATH = ["app.tcss", "screens/stacks.tcss"]
    """The stack list's styles (the first screen of a logged-in start) with the app's: a
    screen's own ``CSS_PATH`` read later makes Textual parse every rule again."""
    MODES = {**MODE_FACTORIES, "connecting": ConnectingScreen}
    COMMANDS = App.COMMANDS | {_stack_commands, _profile_commands}

    BINDINGS = [
        Binding("1", "switch_mode('stacks')", "Stacks", id="app.stacks"),
        Binding("2", "switch_mode('jobs')", "Jobs", id="app.jobs"),
        Binding("3", "switch_mode('settings')", "Settings", id="app.settings"),
        Binding("question_mark,f1", "help", "Help", key_display="?/f1", id="app.help"),
        Binding("ctrl+r", "refresh", "Refresh", id="app.refresh"),
        Binding("ctrl+l", "redraw", "Redraw", show=False, id="app.redraw"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.force_quit"),
        # Priority, so focus moves before the keys typed after tab are handed on: typed
        # fast, "NAME<tab>value" would otherwise put "value" in the NAME field.
        Binding("tab", "focus_next", "Next field", show=False, priority=True, id="app.next_field"),
        Binding(
            "shift+tab",
            "focus_previous",
            "Previous field",
            show=False,
            priority=True,
            id="app.previous_field",
        ),
        *LIST_BINDINGS,
    ]

    # The identity bar watches these and repaints its own line; repaint=False keeps a
    # change (the budget counter moves after every API answer) from repainting the
    # whole screen.
    profile_name: reactive[str] = reactive("", repaint=False)
    account_email: reactive[str] = reactive("", repaint=False)
    api_host: reactive[str] = reactive("", repaint=False)
    focused_environment: reactive[str] = reactive("", repaint=False)
    rate_text: reactive[str] = reactive("", repaint=False)
    demo_mode: reactive[bool] = reactive(False, repaint=False)
    connection_text: reactive[str] = reactive("", repaint=False)
    """``offline since HH:MM: reason`` while the API cannot be reached."""

    def __init__(self, services: AppServices, **kwargs: Any) -> None:
        # The first screen is mounted with the app: switching modes in on_mount would
        # hold the first frame back (Textual delays updates across a switch) and paint
        # it twice.
        self.DEFAULT_MODE = "stacks" if services.token else "login"
        install_redaction()  # log records, ours and every library's
        log_guard.install()  # Textual's own log: no keystroke of a secret field
        super().__init__(**kwargs)
        self.services: AppServices = services
        """Everything screens need: API client, stores, identity, permissions (screens
        read it as ``self.services``, :mod:`c66tui.ui.context`)."""
        self.set_reactive(C66App.profile_name, services.profile_name)
        self.set_reactive(C66App.api_host, services.api_host)
        self.set_reactive(C66App.demo_mode, services.demo)
        for theme in C66_THEMES:
            self.register_theme(theme)
        self.theme = self._initial_theme()
        # The stylesheet, parsed later, was made with the default theme's variables.
        self.stylesheet.set_variables(self.get_css_variables())
        self._start_theme: str | None = self.theme
        """The theme set before the stylesheet's first parse (see :meth:`refresh_css`)."""
        self._reauth: asyncio.Future[bool] | None = None
        self._quit_dialog: ConfirmDialog | None = None
        self._connecting = bool(services.token)
        """Between start-up and the first API client: keys for other screens wait."""
        self._mode_wanted: str | None = None

    def _initial_theme(self) -> str:
        wanted = self.services.preferences.theme or DEFAULT_THEME
        if os.environ.get("NO_COLOR") and wanted in {t.name for t in C66_THEMES}:
            # Monochrome terminals read best with the terminal's own palette.
            wanted = "ansi-dark"
        return wanted if wanted in self.available_themes else DEFAULT_THEME

    def refresh_css(self, animate: bool = True) -> None:
        """Apply the CSS variables again; skipped once at start-up, for the theme set in
        ``__init__``.

        Setting the theme queues a full re-parse of the stylesheet (about 7 ms, and every
        node styled again). The theme chosen at start-up is set, and its variables given
        to the stylesheet, before the stylesheet is first parsed, so that first re-parse
        would change nothing; a theme chosen later is applied as Textual does.
        """
        start_theme, self._start_theme = self._start_theme, None
        if start_theme is not None and start_theme == self.theme:
            return
        super().refresh_css(animate)

    def get_line_filters(self):
        filters = super().get_line_filters()
        return no_color_filters(filters, self.native_ansi_color) if self.no_color else filters

    # -- start-up -----------------------------------------------------------------

    async def on_mount(self) -> None:
        keymap = self.services.preferences.keymap
        if keymap:
            self.set_keymap(dict(keymap))
        self.services.reauthenticate = self._reauthenticate
        self.feed_identity_bar()
        self.watch(self, "theme", self._save_theme, init=False)  # at once, as Preferences does
        self._show_start_warnings()
        if self.services.token:
            self.services.scopes = self.services.starting_scopes()

    def _save_theme(self, _name: str) -> None:
        """Save a change of the theme (previews aside) in the ``save-theme`` thread worker."""
        if theme_previewing(self.services):
            return
        self.run_worker(
            partial(save_theme, self.services, self.notify, lambda: self.theme),
            name="save-theme",
            group="save-theme",
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def on_ready(self) -> None:
        """The first screen is up: connect once it has been painted.

        The stacks screen shows the cached list in that frame; the HTTP client (httpx,
        TLS set-up) and the first requests come after it. With nothing cached there is
        nothing to paint first, so the list is asked for at once.
        """
        token = self.services.token
        if not token or self.services.api is not None:
            return
        if self._stacks_cached():
            self.screen.refresh()  # a frame outside Textual's start-up batch comes first
            self.call_after_refresh(self._connect_in_background, token)
        else:
            self._connect_in_background(token)

    def _connect_in_background(self, token: Secret) -> None:
        """Run :meth:`connect_at_start` in a worker, not in the app's message loop: keys
        typed while the client is built (about 80 ms the first time) are handled at once."""
        self.run_worker(self.connect_at_start(token), name="connect", group="connect")

    def _stacks_cached(self) -> bool:
        try:
            return self.services.cache.path_for(self.services.profile_name).exists()
        except OSError:
            return False

    async def connect_at_start(self, token: Secret) -> None:
        """Build the API client, then let the screens that waited for it load, and go to
        the screen a key asked for in the meantime (run once at start-up; public so a
        test can hold the first connection back)."""
        try:
            await self.services.connect(token)
        finally:
            self._connecting = False
        self.refresh_bindings()
        for screen in self.screen_stack:
            screen.post_message(ApiConnected())
        self.load_identity()
        wanted, self._mode_wanted = self._mode_wanted, None
        if wanted is not None and wanted != self.current_mode:
            self.switch_mode(wanted)

    async def action_switch_mode(self, mode: str) -> None:
        """``1``/``2``/``3``; pressed while the first connection is being made (the cached
        list is already on screen), the switch happens as soon as it is up."""
        if self._connecting and self.services.api is None:
            self._mode_wanted = mode
            return
        await super().action_switch_mode(mode)

    def _show_start_warnings(self) -> None:
        settings = self.services.settings
        for warning in settings.warnings:
            self.notify(sanitize(warning), severity="warning", markup=False, timeout=10)
        problem = settings.credentials_error
        if problem is not None:
            self.notify(
                f"The saved credentials could not be read: {sanitize(str(problem))}. "
                "Log in again to replace them.",
                severity="error",
                markup=False,
                timeout=15,
            )

    @on(StackFocused)
    def _remember_focused_stack(self, event: StackFocused) -> None:
        self.services.focused_stack = event.stack
        self.focused_environment = event.stack.environment if event.stack else ""

    # -- navigation and palette ---------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_mode" and self._connecting:
            return True  # remembered until the connection is up (action_switch_mode)
        if action in ("switch_mode", "refresh") and self.services.api is None:
            return False
        return True

    async def go_to_stack(self, uid: str) -> None:
        """Show the stack ``uid`` on the stacks screen (the palette's "go to stack")."""
        stack = next((s for s in self.services.known_stacks if s.uid == uid), None)
        await self.switch_mode("stacks")
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        if stack is not None:
            self.services.focused_stack = stack
            self.focused_environment = stack.environment
        screen = self.screen
        for name in ("show_stack", "select_stack", "focus_stack"):
            method = getattr(screen, name, None)
            if callable(method):
                result = method(uid)
                if asyncio.iscoroutine(result):
                    await result
                break

    async def action_show_journal(self) -> None:
        """Open the journal of every change sent from this machine."""
        if self.services.api is None:
            return
        if self.current_mode != "stacks":
            await self.switch_mode("stacks")
        journal = getattr(self.screen, "action_journal", None)
        if callable(journal):
            journal()
            return
        # deferred: not needed for the first frame
        from c66tui.ui.screens.journal import JournalScreen

        self.push_screen(JournalScreen())

    def get_system_commands(self, screen: Screen):
        yield from super().get_system_commands(screen)
        logged_in = self.services.api is not None
        if logged_in:
            yield SystemCommand(
                "Log out", "Remove the saved token of this profile", self.action_logout
            )
            yield SystemCommand("Log in again", "Replace this profile's token", self.show_login)
        yield SystemCommand(
            "Add profile", "Add another Cloud 66 login and switch to it", self.action_add_profile
        )
        yield SystemCommand(
            "Toggle light/dark theme",
            "Switch between the light and dark variant",
            self.action_toggle_theme,
        )
        if logged_in:
            yield SystemCommand(
                "Show journal",
                "Every change c66tui sent, with its outcome",
                self.action_show_journal,
            )
        yield SystemCommand("Show keys", "The keys of the current screen", self.action_help)

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
        # Deferred for start-up time: loaded when help is first asked for.
        from c66tui.ui.screens.help import HelpScreen, collect_rows

        if isinstance(self.screen, HelpScreen):
            return
        screen = self.screen
        title = getattr(screen, "HELP_TITLE", "") or type(screen).__name__.removesuffix("Screen")
        self.push_screen(HelpScreen(collect_rows(self, screen), title))

    def action_toggle_theme(self) -> None:
        """Flip between the light and dark variant of the current theme."""
        self.theme = counterpart(self.theme, self.current_theme.dark, self.available_themes)

    async def action_quit(self) -> None:
        """Quit; ask first while a change is still being sent."""
        if not self.services.in_flight or self._quit_dialog is not None:
            self.exit()
            return
        # Deferred for start-up time: loaded when a quit needs asking about.
        from c66tui.ui.dialogs.confirm import ConfirmDialog

        sending = ", ".join(sorted(sanitize(key) for key in self.services.in_flight))
        dialog = ConfirmDialog(
            "Quit while a change is being sent?",
            [
                f"Still sending: {sending}",
                "If you quit now, its outcome is unknown until you check the stack.",
                "The journal keeps a record either way.",
            ],
            confirm_label="Quit anyway",
            danger=True,
            effect="leaves a change's outcome unknown",
        )
        self._quit_dialog = dialog

        def answered(ok: bool | None) -> None:
            self._quit_dialog = None
            if ok:
                self.exit()

        self.push_screen(dialog, answered)


def make_app(
    settings: Settings,
    *,
    api_factory: ApiFactory | None = None,
) -> C66App:
    """Build the app from resolved settings (see :func:`c66tui.config.load_settings`)."""
    services = AppServices(settings=settings, api_factory=api_factory or default_api_factory)
    return C66App(services)
