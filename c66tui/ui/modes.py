"""The app's modes and the screen each one starts with.

Screens are imported lazily so starting the app (and the login screen) stays cheap.
"""

from __future__ import annotations

from textual.screen import Screen

MAIN_MODES = ("stacks", "jobs", "settings")
"""The modes a logged-in user moves between with 1, 2 and 3."""


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


MODE_FACTORIES = {  # rebuilt from these when the login changes
    "stacks": _stacks_screen,
    "jobs": _jobs_screen,
    "settings": _settings_screen,
    "login": _login_screen,
}
