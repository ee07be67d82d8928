"""The c66tui application shell: modes, global keys, identity, themes, login lifecycle.

``make_app`` builds the app from resolved settings; the command line, the demo and the
tests all go through it. Account-level flows (log in, log out, switch or add a profile,
log in again after a 401) live in :class:`AccountMixin` (``c66tui/ui/account.py`` would
be a natural split if this grows); the crash handler is at the bottom.
"""

from __future__ import annotations

import asyncio
import os
from functools import partial
from types import SimpleNamespace
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer

from c66tui.api.errors import Cloud66Error
from c66tui.api.models import RateLimit
from c66tui.api.secret import Secret
from c66tui.text import sanitize
from c66tui.ui.base import ConnectingScreen
from c66tui.ui.commands import ProfileCommands, StackCommands
from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.messages import StackFocused
from c66tui.ui.services import ApiFactory, AppServices, default_api_factory
from c66tui.ui.theme import C66_THEMES, DEFAULT_THEME, counterpart

ENV_TOKEN = "CLOUD66_TOKEN"
MAIN_MODES = ("stacks", "jobs", "settings")


def _stacks_screen() -> Screen:
    from c66tui.ui.screens.stacks import StacksScreen

    return StacksScreen()


def _jobs_screen() -> Screen:
    from c66tui.ui.screens.jobs import JobsScreen

    return JobsScreen()


def _settings_screen() -> Screen:
    from c66tui.ui.screens.settings import SettingsScreen

    return SettingsScreen()


def _login_screen() -> Screen:
    from c66tui.ui.screens.login import LoginScreen

    return LoginScreen()


MODE_FACTORIES = {
    "stacks": _stacks_screen,
    "jobs": _jobs_screen,
    "settings": _settings_screen,
    "login": _login_screen,
}


class C66App(App):
    """Keyboard-driven Cloud 66 operations."""

    TITLE = "c66tui"
    CSS_PATH = "app.tcss"
    MODES = {**MODE_FACTORIES, "connecting": ConnectingScreen}
    COMMANDS = App.COMMANDS | {StackCommands, ProfileCommands}

    BINDINGS = [
        Binding("1", "switch_mode('stacks')", "Stacks", id="app.stacks"),
        Binding("2", "switch_mode('jobs')", "Jobs", id="app.jobs"),
        Binding("3", "switch_mode('settings')", "Settings", id="app.settings"),
        Binding("question_mark,f1", "help", "Help", key_display="?/f1", id="app.help"),
        Binding("ctrl+r", "refresh", "Refresh", id="app.refresh"),
        Binding("ctrl+l", "redraw", "Redraw", show=False, id="app.redraw"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.force_quit"),
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
        self._reauth: asyncio.Future[bool] | None = None
        self._theme_timer: Timer | None = None
        self._quit_dialog: ConfirmDialog | None = None

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
        self.services.reauthenticate = self._reauthenticate
        self.services.on_rate_limit = self.note_rate_limit
        self.watch(self, "theme", self._theme_changed, init=False)
        self._show_start_warnings()
        token = self.services.token
        if token:
            await self.services.connect(token)
            self.services.scopes = set(getattr(self.services.profile, "scopes", ()) or ())
            await self.switch_mode("stacks")
            self.load_identity()
        else:
            await self.switch_mode("login")

    def _show_start_warnings(self) -> None:
        settings = self.services.settings
        for warning in getattr(settings, "warnings", None) or []:
            self.notify(sanitize(warning), severity="warning", markup=False, timeout=10)
        problem = getattr(settings, "credentials_error", None)
        if problem is not None:
            self.notify(
                f"The saved credentials could not be read: {sanitize(str(problem))}. "
                "Log in again to replace them.",
                severity="error",
                markup=False,
                timeout=15,
            )

    def show_login(self) -> None:
        """Open the login screen for the active profile (the palette's "Log in")."""
        if self._refuse_for_env_token("log in"):
            return
        from c66tui.ui.screens.login import LoginScreen

        if self.services.api is None:
            self.run_worker(self.switch_mode("login"), group="modes")
        else:
            self.push_screen(LoginScreen(self.services.profile, cancellable=True))

    # -- identity -----------------------------------------------------------------

    def note_rate_limit(self, rate: RateLimit) -> None:
        """Show the remaining API budget in the identity bar."""
        if rate.limit and rate.remaining is not None:
            self.rate_text = f"API {rate.remaining}/{rate.limit}"

    @work(group="identity", exclusive=True, exit_on_error=False)
    async def load_identity(self) -> None:
        """Fetch the account e-mail once for the identity bar."""
        if self.services.api is None:
            return
        try:
            email = await self.services.read(lambda api: api.whoami())
        except Cloud66Error:
            return
        self.services.account_email = email or ""
        self.account_email = email or ""

    @on(StackFocused)
    def _remember_focused_stack(self, event: StackFocused) -> None:
        self.services.focused_stack = event.stack
        self.focused_environment = event.stack.environment if event.stack else ""

    # -- logging in and out -------------------------------------------------------

    async def use_login(
        self, profile: Any, token: Secret, email: str, scopes: tuple[str, ...]
    ) -> None:
        """Start using a token that was just validated and saved."""
        services = self.services
        services.use_profile(profile, token, "file")
        await services.connect(token)
        services.scopes = set(scopes)
        services.account_email = email
        self.profile_name = services.profile_name
        self.api_host = services.api_host
        self.account_email = email
        self.rate_text = ""
        if not email:
            self.load_identity()

    def finish_login(
        self, profile: Any, token: Secret, email: str, scopes: tuple[str, ...]
    ) -> None:
        """Called by the login screen: switch to the new login and open the stacks."""

        async def finish() -> None:
            await self.use_login(profile, token, email, scopes)
            await self._restart_modes("stacks")
            self.notify(f"Logged in to profile {sanitize(profile.name)}.", markup=False, timeout=4)

        # An app worker: the login screen that asked is removed while this runs.
        self.run_worker(finish(), group="login-finish", exclusive=True)

    async def _restart_modes(self, target: str) -> None:
        """Rebuild every main screen (nothing of the previous login lingers), then show
        ``target``."""
        if self.current_mode != "connecting":
            await self.switch_mode("connecting")
        for mode, factory in MODE_FACTORIES.items():
            await self.remove_mode(mode)
            self.add_mode(mode, factory)
        self.focused_environment = ""
        await self.switch_mode(target)

    def _refuse_for_env_token(self, what: str) -> bool:
        """Explain that ``CLOUD66_TOKEN`` wins, when it is in use."""
        if self.services.token_source != "env":
            return False
        self.notify(
            f"The token comes from the {ENV_TOKEN} environment variable, which wins over "
            f"saved logins, so c66tui cannot {what} here. Unset {ENV_TOKEN} and restart.",
            title=f"{ENV_TOKEN} is set",
            severity="warning",
            markup=False,
            timeout=12,
        )
        return True

    def action_logout(self) -> None:
        """Remove the saved token of the active profile, after confirmation."""
        services = self.services
        if self._refuse_for_env_token("log out"):
            return
        if services.token is None:
            self.notify("Not logged in.", markup=False)
            return
        heading = Text("Profile ")
        heading.append(sanitize(services.profile_name), style="bold")
        heading.append(f" @ {sanitize(services.api_host)}")
        lines: list[Text | str] = [
            heading,
            "The saved token is removed from this machine.",
            "To revoke it at Cloud 66 as well: Account → Apps.",
        ]
        self.push_screen(ConfirmDialog("Log out?", lines, confirm_label="Log out"), self._logout)

    def _logout(self, confirmed: bool | None) -> None:
        if not confirmed:
            return

        async def logout() -> None:
            name = self.services.profile_name
            try:
                await asyncio.to_thread(self.services.store.delete_token, name)
            except Exception as error:  # noqa: BLE001 - report, keep running
                self.notify(
                    f"Could not remove the token: {sanitize(str(error))}",
                    severity="error",
                    markup=False,
                )
                return
            await self.services.disconnect()
            self.account_email = ""
            self.rate_text = ""
            await self._restart_modes("login")
            self.notify(
                f"Logged out of profile {sanitize(name)}; the token was removed from this machine.",
                markup=False,
            )

        self.run_worker(logout(), group="logout", exclusive=True)

    async def _reauthenticate(self) -> bool:
        """A read got a 401: ask for one new login over the current screen."""
        if self.services.token_source == "env":
            self.notify(
                f"Cloud 66 refused the token in {ENV_TOKEN} (401). Put a valid token in "
                f"{ENV_TOKEN} and restart; c66tui cannot replace it.",
                title="Token refused",
                severity="error",
                markup=False,
                timeout=15,
            )
            return False
        if self._reauth is not None:
            return await asyncio.shield(self._reauth)
        from c66tui.ui.dialogs.login_dialog import LoginDialog

        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._reauth = future

        def answered(ok: bool | None) -> None:
            if not future.done():
                future.set_result(bool(ok))

        try:
            self.push_screen(LoginDialog(self.services.profile), answered)
            return await future
        finally:
            self._reauth = None

    # -- profiles -----------------------------------------------------------------

    def switch_profile(self, name: str) -> None:
        """Use another profile from ``config.toml`` (log in first if it has no token)."""
        self.run_worker(self._switch_profile(name), group="profile", exclusive=True)

    async def _switch_profile(self, name: str) -> None:
        from c66tui.config import ConfigError, load_settings
        from c66tui.ui.screens.login import LoginScreen

        store = self.services.store
        try:
            settings = await asyncio.to_thread(
                load_settings, SimpleNamespace(profile=name), store=store
            )
        except ConfigError as error:
            self.notify(sanitize(str(error)), severity="error", markup=False)
            return
        if not settings.token:
            self.push_screen(
                LoginScreen(
                    settings.profile,
                    cancellable=True,
                    reason=f"Profile {name} has no saved login yet.",
                )
            )
            return
        self.services.use_profile(settings.profile, settings.token, settings.token_source)
        await self.services.connect(settings.token)
        self.services.scopes = set(settings.profile.scopes or ())
        self.profile_name = self.services.profile_name
        self.api_host = self.services.api_host
        self.account_email = ""
        self.rate_text = ""
        try:
            self.services.config = await asyncio.to_thread(
                store.update, lambda config: setattr(config, "active_profile", name)
            )
        except Exception as error:  # noqa: BLE001 - the switch works; only the default didn't
            self.notify(
                f"Switched, but could not remember it: {sanitize(str(error))}",
                severity="warning",
                markup=False,
            )
        await self._restart_modes("stacks")
        self.load_identity()
        self.notify(f"Switched to profile {sanitize(name)}.", markup=False, timeout=4)

    def action_add_profile(self) -> None:
        """Ask for a name and API URL, then log in to the new profile."""
        from c66tui.ui.dialogs.profile_dialog import AddProfileDialog

        config = self.services.config
        names = list(getattr(config, "profiles", {}) or {})
        client_id, _secret = self.services.client_credentials()
        dialog = AddProfileDialog(names, api_url=self.services.api_url, client_id=client_id)
        self.push_screen(dialog, self._profile_added)

    def _profile_added(self, profile: Any) -> None:
        if profile is None:
            return
        from c66tui.ui.screens.login import LoginScreen

        self.push_screen(LoginScreen(profile, cancellable=True))

    # -- navigation and palette ---------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
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
        try:
            from c66tui.ui.screens.journal import JournalScreen
        except ImportError:  # pragma: no cover - ships with the stacks screen
            self.notify("The journal is not available in this build.", markup=False)
            return
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
        )
        self._quit_dialog = dialog

        def answered(ok: bool | None) -> None:
            self._quit_dialog = None
            if ok:
                self.exit()

        self.push_screen(dialog, answered)

    # -- themes -------------------------------------------------------------------

    def _theme_changed(self, name: str) -> None:
        """Remember the theme in ``config.toml`` (debounced: the palette previews)."""
        if self._theme_timer is not None:
            self._theme_timer.stop()
        self._theme_timer = self.set_timer(0.5, partial(self._save_theme, name))

    @work(thread=True, group="save-theme", exclusive=True, exit_on_error=False)
    def _save_theme(self, name: str) -> None:
        if name != self.theme:
            return

        def apply(config: Any) -> None:
            config.preferences.theme = name

        try:
            self.services.config = self.services.store.update(apply)
        except Exception as error:  # noqa: BLE001 - the theme works, only saving failed
            self.call_from_thread(
                self.notify,
                f"Could not save the theme: {sanitize(str(error))}",
                severity="warning",
                markup=False,
            )

    # -- crash handling -----------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Remember which error is being handled, for :meth:`_fatal_error`.

        Pinned to Textual 8.2.8's private ``App._handle_exception(error)``, which every
        unhandled error in a handler or worker goes through.
        """
        self._crash_error = error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Replace Textual's traceback-with-locals by a short, redacted report.

        Pinned to Textual 8.2.8's private ``App._fatal_error`` (called by
        ``_handle_exception`` for errors without a ``__rich__`` method). The report goes
        to the state directory with mode 0600; the terminal gets a few lines with no
        local values. ``tests/ui/test_shell.py`` proves a token never shows up.
        """
        import sys

        from c66tui.ui import crash

        error = (
            getattr(self, "_crash_error", None)
            or sys.exc_info()[1]
            or getattr(self, "_exception", None)
        )
        if error is None:  # pragma: no cover - Textual always calls us with an error
            super()._fatal_error()
            return
        from textual.worker import WorkerFailed

        if isinstance(error, WorkerFailed) and isinstance(error.error, BaseException):
            error = error.error
        self.bell()
        path = crash.write_report(error)
        self._exit_renderables.append(crash.summary(error, path))
        self._close_messages_no_wait()


def make_app(
    settings: Any,
    *,
    api_factory: ApiFactory | None = None,
    clock: Any = None,
) -> C66App:
    """Build the app from resolved settings (see :func:`c66tui.config.load_settings`).

    ``clock`` is accepted for compatibility; the UI reads time from
    :func:`c66tui.ui.clock.now`.
    """
    services = AppServices(settings=settings, api_factory=api_factory or default_api_factory)
    return C66App(services)


def make_demo_app(args: Any = None) -> C66App:
    """The ``--demo`` app (see :func:`c66tui.ui.demo.make_demo_app`)."""
    from c66tui.ui.demo import make_demo_app as build

    return build(args)
