"""Logging in: the full-screen :class:`LoginScreen`.

It hosts the :class:`~c66tui.ui.widgets.login_form.LoginForm` (the OAuth code, a
loopback callback or a pasted redirected address, or a personal access token), which is
also used by the re-login dialog opened by a 401 (:mod:`c66tui.ui.dialogs.login_dialog`).
The footer always shows how to quit (``ctrl+q``), since ``q`` types into the fields.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from c66tui.ops.identity import auth_base_for
from c66tui.text import sanitize
from c66tui.ui.context import UsesServices
from c66tui.ui.widgets.identity_bar import IdentityBar
from c66tui.ui.widgets.login_form import LoginForm as LoginForm  # the tests' name for it
from c66tui.ui.widgets.login_form import tell_about_login
from c66tui.ui.widgets.paste_input import focus_next_unless_pasting


class LoginScreen(UsesServices, Screen):
    """The full-screen login, shown when the active profile has no usable token."""

    CSS_PATH = "login.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Back", id="login.cancel"),
        Binding("ctrl+q", "app.quit", "Quit", priority=True, id="login.quit"),
    ]

    def __init__(
        self,
        profile: Any = None,
        *,
        cancellable: bool = False,
        state: str | None = None,
        reason: str = "",
    ) -> None:
        """Log in to ``profile`` (the active one by default).

        ``cancellable`` lets ``esc`` go back (when something is already behind it);
        ``reason`` is an extra line shown above the form (e.g. why a login is needed).
        """
        super().__init__()
        self.profile = profile
        self.cancellable = cancellable
        self.state = state
        self.reason = reason

    def compose(self) -> ComposeResult:
        services = self.services
        profile = self.profile or services.profile
        self.profile = profile
        yield IdentityBar()
        heading = Text("Log in to Cloud 66", style="bold")
        heading.append(" for profile ")
        heading.append(sanitize(profile.name), style="bold")
        heading.append(" at ")
        heading.append(sanitize(auth_base_for(profile)))
        yield Static(heading, id="login-heading", markup=False)
        if self.reason:
            yield Static(Text(sanitize(self.reason)), id="login-reason", markup=False)
        yield LoginForm(profile, state=self.state, id="login-form")
        yield Footer()

    def focus_next(self, selector: Any = "*") -> Any:
        """``tab``, unless it starts an unbracketed paste into the code field."""
        if focus_next_unless_pasting(self, lambda: Screen.focus_next(self, selector)):
            return self.focused
        return super().focus_next(selector)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.cancellable
        return True

    def action_cancel(self) -> None:
        """Go back without logging in (not while a code is being exchanged or a token
        waits to be saved: leaving then would throw away the token)."""
        if self.cancellable and not self.query_one(LoginForm).holding:
            self.dismiss(None)

    @on(LoginForm.LoggedIn)
    def _logged_in(self, event: LoginForm.LoggedIn) -> None:
        event.stop()
        tell_about_login(self, event)
        self.app.finish_login(event.profile, event.token, event.account, event.scopes)
