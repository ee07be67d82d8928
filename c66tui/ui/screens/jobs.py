"""The jobs screen (placeholder until it is built)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from c66tui.ui.base import MainScreen


class JobsScreen(MainScreen):
    """Jobs of the stack in focus."""

    def compose_body(self) -> ComposeResult:
        yield Static("Jobs: not built yet.", id="placeholder")
