"""Logging in: the out-of-band code paste, or a personal access token.

:class:`LoginForm` does the work and is shared by the full :class:`LoginScreen` (no usable
token, "log in" and "add profile" from the palette) and the re-login dialog opened by a
401 (:mod:`c66tui.ui.dialogs.login_dialog`).

The code flow: build the authorize URL (shown in full, ``ctrl+o`` copies it through
OSC 52, which works over SSH); the user approves in any browser and pastes the code into
the focused field; the code is normalised, exchanged exactly once, the token is validated
with one GET and saved (0600) at once. Any failure keeps the form open with a plain
message and an empty code field.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Label, Static, TabbedContent, TabPane

from c66tui.api.errors import AuthenticationError, Cloud66Error
from c66tui.api.oauth import (
    ALL_SCOPES,
    DEFAULT_SCOPES,
    build_authorize_url,
    exchange_code,
    normalize_code,
    validate_token,
)
from c66tui.api.secret import Secret
from c66tui.ops.services import auth_base_for
from c66tui.text import sanitize
from c66tui.ui.widgets.identity_bar import IdentityBar
from c66tui.ui.widgets.toggles import LegibleCheckbox

STATE_ENV = "C66TUI_TEST_OAUTH_STATE"
"""Fixes the OAuth ``state`` (tests and screenshots only; normally it is random)."""

SCOPE_HELP = {
    "public": "read",
    "redeploy": "deploy",
    "jobs": "run jobs",
    "admin": "settings",
    "users": "e-mail",
}


class ScopeBox(LegibleCheckbox):
    """A scope to ask for; its mark is visible without colour."""


class LoginForm(Vertical):
    """Both ways of logging in to one profile; posts :class:`LoginForm.LoggedIn`."""

    HELP_GROUP = "Logging in"

    BINDINGS = [
        Binding("ctrl+o", "copy_url", "Copy URL", priority=True, id="login.copy_url"),
        Binding("ctrl+t", "switch_tab", "Code/token", priority=True, id="login.switch_tab"),
        Binding("ctrl+g", "demo_code", "Sandbox code", priority=True, id="login.demo_code"),
    ]

    class LoggedIn(Message):
        """A token was validated and saved for ``profile``."""

        def __init__(
            self, profile: Any, token: Secret, email: str, scopes: tuple[str, ...], method: str
        ) -> None:
            super().__init__()
            self.profile = profile
            self.token = token
            self.email = email
            self.scopes = scopes
            self.method = method
            """``"code"`` (OAuth) or ``"token"`` (personal access token)."""

    def __init__(self, profile: Any, *, state: str | None = None, id: str | None = None) -> None:
        """A form for ``profile``; ``state`` pins the OAuth state (tests)."""
        super().__init__(id=id)
        self.profile = profile
        self._state = state or os.environ.get(STATE_ENV) or None
        self._url = ""
        self.busy = False

    # -- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        services = self.app.services
        client_id, secret = services.client_credentials(self.profile)
        wanted = set(getattr(self.profile, "scopes", ()) or DEFAULT_SCOPES) | {"public"}
        with TabbedContent(id="login-tabs"):
            with TabPane("Code from browser", id="tab-code"):
                with Grid(id="login-client"):
                    yield Label("Client ID", classes="login-label")
                    yield Input(client_id, id="client-id", compact=True)
                    yield Label("Secret", classes="login-label")
                    yield Input(
                        secret.reveal() if secret else "",
                        id="client-secret",
                        password=True,
                        compact=True,
                        placeholder="OAuth client secret",
                    )
                    yield Label("Scopes", classes="login-label")
                    with Horizontal(id="login-scopes"):
                        for scope in ALL_SCOPES:
                            yield ScopeBox(
                                scope,
                                value=scope in wanted,
                                id=f"scope-{scope}",
                                compact=True,
                                disabled=scope == "public",
                                tooltip=SCOPE_HELP.get(scope),
                            )
                yield Static(
                    "1  Open this address in any browser and approve (ctrl+o copies it):",
                    classes="login-step",
                    markup=False,
                )
                yield Static("", id="authorize-url", markup=False)
                yield Static(
                    "2  Paste the code Cloud 66 shows, then press Enter:",
                    classes="login-step",
                    markup=False,
                )
                yield Input(placeholder="paste the code here", id="login-code")
            with TabPane("Access token", id="tab-token"):
                yield Static(
                    "Paste a personal access token (Cloud 66: Account → Apps → Personal "
                    "access tokens). It is checked with one request, then saved for this "
                    "profile with file mode 0600.",
                    classes="login-note",
                    markup=False,
                )
                yield Input(placeholder="personal access token", id="login-pat", password=True)
        yield Static("", id="login-status", markup=False)

    def on_mount(self) -> None:
        self._rebuild_url()
        self._hint()
        self.focus_code()

    def _hint(self) -> None:
        """The quiet line under the form, for the tab in view."""
        if self.query_one(TabbedContent).active == "tab-token":
            self._say("The token never appears on screen and is saved with mode 0600.", "info")
        elif self.app.services.demo_approve is not None:
            self._say(
                "Demo: press ctrl+g to approve in the built-in sandbox and get its code.",
                "info",
            )
        else:
            self._say("The code is a one-time password: paste it only into this window.", "info")

    def focus_code(self) -> None:
        """Put the cursor where the next paste belongs."""
        tabs = self.query_one(TabbedContent)
        target = "#login-pat" if tabs.active == "tab-token" else "#login-code"
        self.query_one(target, Input).focus()

    # -- the authorize URL --------------------------------------------------------

    @property
    def scopes(self) -> tuple[str, ...]:
        """The scopes ticked, in canonical order."""
        return tuple(
            scope for scope in ALL_SCOPES if self.query_one(f"#scope-{scope}", Checkbox).value
        )

    @property
    def authorize_url(self) -> str:
        """The URL currently shown (empty when it cannot be built)."""
        return self._url

    def _rebuild_url(self) -> None:
        client_id = self.query_one("#client-id", Input).value.strip()
        shown = self.query_one("#authorize-url", Static)
        try:
            request = build_authorize_url(
                auth_base_for(self.profile), client_id, self.scopes, self._state
            )
        except ValueError as error:
            self._url = ""
            shown.update(Text(sanitize(str(error)), style="italic"))
            return
        self._state = request.state
        self._url = request.url
        shown.update(Text(request.url, overflow="fold"))

    @on(Input.Changed, "#client-id")
    @on(Checkbox.Changed)
    def _inputs_changed(self, event: Message) -> None:
        self._rebuild_url()

    @on(Input.Submitted, "#client-id, #client-secret")
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#login-code", Input).focus()

    # -- actions ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "demo_code":
            return self.app.services.demo_approve is not None
        if action == "copy_url":
            return self.query_one(TabbedContent).active == "tab-code"
        return True

    def action_copy_url(self) -> None:
        """Copy the authorize URL to the clipboard (OSC 52: works over SSH)."""
        if not self._url:
            self._say("Enter the client ID first; there is no address to copy yet.", "error")
            return
        self.app.copy_to_clipboard(self._url)
        self._say(
            "Address copied (OSC 52). If nothing arrives, select it with your terminal "
            "(often shift+drag).",
            "ok",
        )

    def action_switch_tab(self) -> None:
        """Flip between the code and the access token tabs."""
        tabs = self.query_one(TabbedContent)
        tabs.active = "tab-token" if tabs.active == "tab-code" else "tab-code"

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()
        if not self.busy:
            self._hint()
        self.call_after_refresh(self.focus_code)

    @work(exclusive=True, group="login-demo", exit_on_error=False)
    async def action_demo_code(self) -> None:
        """Demo only: approve the request in the in-process sandbox and show its code."""
        approve = self.app.services.demo_approve
        if approve is None or not self._url:
            return
        try:
            code = await approve(self._url)
        except Exception as error:  # noqa: BLE001 - the demo hint must never crash
            self._say(f"The sandbox did not approve: {sanitize(str(error))}", "error")
            return
        self.app.copy_to_clipboard(code)
        self._say(
            f"Sandbox approved. Its code is {sanitize(code)} (copied: ctrl+v pastes it).",
            "ok",
        )
        self.query_one("#login-code", Input).focus()

    # -- logging in ---------------------------------------------------------------

    @on(Input.Submitted, "#login-code")
    def _code_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.busy:
            self.busy = True  # at once: a second Enter must not start a second exchange
            self.log_in_with_code(event.value)

    @on(Input.Submitted, "#login-pat")
    def _token_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.busy:
            self.busy = True
            self.log_in_with_token(event.value)

    @work(group="login", exit_on_error=False)
    async def log_in_with_code(self, pasted: str) -> None:
        """Normalise, exchange (once), validate, save; then post :class:`LoggedIn`."""
        try:
            await self._code_flow(pasted)
        finally:
            self._set_busy(False)

    async def _code_flow(self, pasted: str) -> None:
        try:
            code = normalize_code(pasted, state=self._state)
        except ValueError as error:
            self._fail(str(error), "#login-code")
            return
        client_id = self.query_one("#client-id", Input).value.strip()
        secret_text = self.query_one("#client-secret", Input).value.strip()
        if not client_id or not secret_text:
            self._fail(
                "Enter the OAuth client ID and secret first, then get a new code.",
                "#client-id" if not client_id else "#client-secret",
            )
            return
        services = self.app.services
        client_secret = Secret(secret_text)
        scopes = self.scopes
        self._set_busy(True, "Exchanging the code with Cloud 66…")
        try:
            token = await exchange_code(
                auth_base_for(self.profile),
                client_id,
                client_secret,
                Secret(code),
                transport=services.http_transport,
            )
            self._say("Checking the new token…", "busy")
            email = await validate_token(
                self.profile.api_url, token, scopes=scopes, transport=services.http_transport
            )
            self._say("Saving…", "busy")
            await asyncio.to_thread(
                services.save_login,
                self.profile,
                token,
                client_id=client_id,
                client_secret=client_secret,
                scopes=scopes,
            )
        except Cloud66Error as error:
            self._fail(_plain(error, during="login"), "#login-code")
            return
        except Exception as error:  # noqa: BLE001 - config write problems and the like
            self._fail(_unexpected(error), "#login-code")
            return
        self._say("Logged in.", "ok")
        self.post_message(self.LoggedIn(self.profile, token, email, scopes, "code"))

    @work(group="login", exit_on_error=False)
    async def log_in_with_token(self, pasted: str) -> None:
        """Validate a personal access token with one GET, then save it."""
        try:
            await self._token_flow(pasted)
        finally:
            self._set_busy(False)

    async def _token_flow(self, pasted: str) -> None:
        text = "".join(pasted.split()).strip("\"'")
        if not text:
            self._fail("Nothing was pasted. Paste the personal access token.", "#login-pat")
            return
        if not text.isascii() or not text.isprintable() or len(text) > 512:
            self._fail("That does not look like a token. Copy it again.", "#login-pat")
            return
        services = self.app.services
        token = Secret(text)
        self._set_busy(True, "Checking the token…")
        try:
            email = await validate_token(
                self.profile.api_url, token, transport=services.http_transport
            )
            self._say("Saving…", "busy")
            # A personal token's scopes are unknown: allow everything and let a 403
            # narrow them down (services.note_missing_scope).
            await asyncio.to_thread(
                services.save_login, self.profile, token, scopes=tuple(ALL_SCOPES)
            )
        except Cloud66Error as error:
            self._fail(_plain(error, during="token"), "#login-pat")
            return
        except Exception as error:  # noqa: BLE001
            self._fail(_unexpected(error), "#login-pat")
            return
        self._say("Logged in.", "ok")
        self.post_message(self.LoggedIn(self.profile, token, email, tuple(ALL_SCOPES), "token"))

    # -- feedback -----------------------------------------------------------------

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self.busy = busy
        for widget in self.query(Input):
            widget.disabled = busy
        if message:
            self._say(message, "busy")
        if not busy and self.app.focused is None:
            self.call_after_refresh(self.focus_code)

    def _fail(self, message: str, clear: str) -> None:
        field = self.query_one(clear, Input)
        if clear in ("#login-code", "#login-pat"):
            field.value = ""
        self._say(message, "error")
        field.disabled = False
        field.focus()

    def _say(self, message: str, kind: str) -> None:
        """Show a status line; the prefix carries the meaning, colour only helps."""
        prefix = {"error": "✗ ", "ok": "✓ ", "busy": "… ", "info": ""}.get(kind, "")
        status = self.query_one("#login-status", Static)
        status.set_classes(f"-{kind}")
        status.update(Text(prefix + sanitize(message, single_line=False)))


def _plain(error: Cloud66Error, *, during: str) -> str:
    """The message to show for a failed login step."""
    if isinstance(error, AuthenticationError):
        if during == "token":
            return "Cloud 66 did not accept this token (401). Check that you copied all of it."
        return "Cloud 66 issued a token but then refused it (401). Get a new code and try again."
    message = str(error) or type(error).__name__
    return message


def _unexpected(error: Exception) -> str:
    from c66tui.api.redaction import redact

    return f"Logging in failed: {redact(str(error)) or type(error).__name__}"


class LoginScreen(Screen):
    """The full-screen login, shown when the active profile has no usable token."""

    CSS_PATH = "login.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Back", id="login.cancel"),
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
        services = self.app.services
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.cancellable
        return True

    def action_cancel(self) -> None:
        """Go back without logging in (not while a code is being exchanged: leaving
        then would throw away the token it brings)."""
        if self.cancellable and not self.query_one(LoginForm).busy:
            self.dismiss(None)

    @on(LoginForm.LoggedIn)
    def _logged_in(self, event: LoginForm.LoggedIn) -> None:
        event.stop()
        self.app.finish_login(event.profile, event.token, event.email, event.scopes)
