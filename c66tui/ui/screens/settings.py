"""The settings screen (placeholder until it is built)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from c66tui.ui.base import MainScreen


class SettingsScreen(MainScreen):
    """Settings of the stack in focus."""

    def compose_body(self) -> ComposeResult:
        yield Static("Settings: not built yet.", id="placeholder")
