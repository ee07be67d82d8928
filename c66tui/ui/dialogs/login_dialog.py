"""The re-login dialog opened over the current screen when the token stops working.

A 401 on a read calls ``services.reauthenticate``; the app pushes one of these (only one,
however many reads failed) and the failed reads are retried when it answers ``True``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from c66tui.text import sanitize
from c66tui.ui.dialogs.base import Dialog
from c66tui.ui.widgets.login_form import LoginForm, tell_about_login
from c66tui.ui.widgets.paste_input import focus_next_unless_pasting


class LoginDialog(Dialog[bool]):
    """Log in again to the active profile without leaving the current screen."""

    CSS_PATH = Path(__file__).parent.parent / "screens" / "login.tcss"
    DEFAULT_CSS = """
    LoginDialog > .dialog-box {
        width: 100;
        border: thick $warning;
        border-title-style: none;
        padding: 0;
    }
    LoginDialog #login-dialog-reason {
        padding: 0 1;
        height: auto;
    }
    LoginDialog #login-dialog-hint {
        padding: 0 1;
    }
    LoginDialog LoginForm {
        height: auto;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="login.dialog_cancel")]

    CANCELLED = False

    def __init__(self, profile: Any, *, reason: str = "", state: str | None = None) -> None:
        """Ask to log in to ``profile`` again; ``reason`` says why (shown first)."""
        super().__init__()
        self.profile = profile
        self.reason = reason or "Cloud 66 no longer accepts the saved token (401)."
        self.state = state

    def compose(self) -> ComposeResult:
        with Vertical(id="login-dialog-box", classes="dialog-box") as box:
            box.border_title = f"Log in again: profile {sanitize(self.profile.name)}"
            yield Static(Text(sanitize(self.reason)), id="login-dialog-reason", markup=False)
            yield LoginForm(self.profile, state=self.state, id="login-form")
            yield Static(
                "esc cancels (what failed stays failed)",
                id="login-dialog-hint",
                classes="dialog-hint",
                markup=False,
            )

    def focus_next(self, selector: Any = "*") -> Any:
        """``tab``, unless it starts an unbracketed paste into the code field."""
        if focus_next_unless_pasting(self, lambda: ModalScreen.focus_next(self, selector)):
            return self.focused
        return super().focus_next(selector)

    def action_cancel(self) -> None:
        """Give up: the reads that failed report their error (not while a login is
        being checked)."""
        if not self.query_one(LoginForm).holding:
            self.answer(False)

    @on(LoginForm.LoggedIn)
    async def _logged_in(self, event: LoginForm.LoggedIn) -> None:
        event.stop()
        tell_about_login(self, event)
        await self.app.use_login(event.profile, event.token, event.account, event.scopes)
        self.answer(True)
