"""The app's modes and the screen each one starts with.

Each screen is imported when it is first shown, so the first frame waits only for its
own: the jobs and settings screens cost about 30 ms and 60 ms to import, and the login
screen loads the OAuth client and with it httpx, which a start with a saved token paints
its cached list without.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from c66tui.config.model import Profile
    from c66tui.ui.screens.login import LoginScreen

MAIN_MODES = ("stacks", "jobs", "settings")
"""The modes a logged-in user moves between with 1, 2 and 3."""


def _stacks_screen() -> Screen:
    # Deferred for start-up time: a logged-out start shows the login screen only.
    from c66tui.ui.screens.stacks import StacksScreen

    return StacksScreen()


def _jobs_screen() -> Screen:
    # Deferred for start-up time: loaded when the jobs mode is first shown.
    from c66tui.ui.screens.jobs import JobsScreen

    return JobsScreen()


def _settings_screen() -> Screen:
    # Deferred for start-up time: loaded when the settings mode is first shown.
    from c66tui.ui.screens.settings import SettingsScreen

    return SettingsScreen()


def login_screen(
    profile: Profile | None = None, *, cancellable: bool = False, reason: str = ""
) -> LoginScreen:
    """A :class:`~c66tui.ui.screens.login.LoginScreen` for ``profile`` (the active one
    by default)."""
    # Deferred for start-up time: the login form loads the OAuth client (httpx).
    from c66tui.ui.screens.login import LoginScreen

    return LoginScreen(profile, cancellable=cancellable, reason=reason)


MODE_FACTORIES = {  # rebuilt from these when the login changes
    "stacks": _stacks_screen,
    "jobs": _jobs_screen,
    "settings": _settings_screen,
    "login": login_screen,
}
