"""What the login form does once a code or a token arrives: exchange (once), validate
with one GET, save at once (0600), then post ``LoggedIn``.

When saving fails (disk full, a read-only directory), the token that was just issued,
for which the one-time code is already spent, is not thrown away: the form keeps it in
memory, says so, and offers ``ctrl+s`` (save again) and ``ctrl+u`` (use it for this
session only). Any other failure keeps the form open with a plain message and an empty
paste field.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.widgets import Input, Static

from c66tui.api.errors import AuthenticationError, Cloud66Error
from c66tui.api.oauth import ALL_SCOPES
from c66tui.api.redaction import redact
from c66tui.api.secret import Secret
from c66tui.api.token_check import check_token
from c66tui.config.errors import ConfigError
from c66tui.text import sanitize

if TYPE_CHECKING:
    from c66tui.ops.services import AppServices


@dataclass
class Unsaved:
    """A validated login whose save failed; kept in memory until saved or used."""

    token: Secret
    account: str
    """The account the token works in (``account of OWNER``), or ``""``."""
    scopes: tuple[str, ...]
    method: str
    save: dict[str, Any]
    reason: str


class LoginSteps:
    """Mixed into :class:`c66tui.ui.widgets.login_form.LoginForm`."""

    services: AppServices  # the form's (c66tui.ui.context.UsesServices)

    # -- starting -----------------------------------------------------------------

    def _on_code_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.unsaved is not None:
            self._say(self._unsaved_sentence(), "error")
        elif not self.busy:
            self.busy = True  # at once: a second Enter must not start a second exchange
            self.log_in_with_code(event.value)

    def _on_token_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.unsaved is not None:
            self._say(self._unsaved_sentence(), "error")
        elif not self.busy:
            self.busy = True
            self.log_in_with_token(event.value)

    @work(group="login", exit_on_error=False)
    async def log_in_with_code(self, text: str, *, pasted: bool = True) -> None:
        """Read the code (from a paste, or the listener's), exchange, validate, save."""
        try:
            await self._code_flow(text, pasted)
        finally:
            self._set_busy(False)

    async def _code_flow(self, text: str, pasted: bool) -> None:
        attempt = self.attempt
        if attempt is None:
            self._fail("Enter the client ID and a valid callback first.", "#client-id")
            return
        try:
            code = attempt.code_from_paste(text) if pasted else text
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
        services = self.services
        client_secret = Secret(secret_text)
        scopes = self.scopes
        self._set_busy(True, "Exchanging the code with Cloud 66…")
        try:
            token = await attempt.exchange(
                client_secret, code, transport=services.http_transport
            )
            self._say("Checking the new token…", "busy")
            account = await check_token(
                self.profile.api_url,
                token,
                account_id=self.profile.account_id,
                scopes=scopes,
                transport=services.http_transport,
            )
        except Cloud66Error as error:
            self._fail(_plain(error, during="login"), "#login-code")
            return
        except Exception as error:  # noqa: BLE001 - never a traceback on the login screen
            self._fail(_unexpected(error), "#login-code")
            return
        save = {
            "client_id": client_id,
            "client_secret": client_secret,
            "scopes": scopes,
            "redirect_uri": attempt.redirect_uri,
        }
        await self._save_and_post(Unsaved(token, account, scopes, "code", save, ""))

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
        services = self.services
        token = Secret(text)
        self._set_busy(True, "Checking the token…")
        try:
            account = await check_token(
                self.profile.api_url,
                token,
                account_id=self.profile.account_id,
                transport=services.http_transport,
            )
        except Cloud66Error as error:
            self._fail(_plain(error, during="token"), "#login-pat")
            return
        except Exception as error:  # noqa: BLE001
            self._fail(_unexpected(error), "#login-pat")
            return
        # A personal token's scopes are unknown: allow everything and let a 403 narrow
        # them down (services.note_missing_scope).
        scopes = tuple(ALL_SCOPES)
        await self._save_and_post(Unsaved(token, account, scopes, "token", {"scopes": scopes}, ""))

    # -- saving -------------------------------------------------------------------

    async def _save_and_post(self, login: Unsaved) -> None:
        services = self.services
        self._say("Saving…", "busy")
        try:
            await asyncio.to_thread(services.save_login, self.profile, login.token, **login.save)
        except (ConfigError, OSError, ValueError) as error:
            login.reason = redact(str(error)) or type(error).__name__
            self.unsaved = login
            self._say(self._unsaved_sentence(), "error")
            self.refresh_bindings()
            return
        self.unsaved = None
        self.refresh_bindings()
        notes: tuple[str, ...] = ()
        moved = getattr(services.store, "moved_aside", None)
        if moved is not None:
            notes = (
                f"The unreadable credentials file was moved to {moved} (kept, mode 600); "
                "the new login is saved in a fresh file.",
            )
            services.store.moved_aside = None
        self._say("Logged in.", "ok")
        self.post_message(
            self.LoggedIn(
                self.profile, login.token, login.account, login.scopes, login.method, notes=notes
            )
        )

    def _unsaved_sentence(self) -> str:
        reason = self.unsaved.reason if self.unsaved is not None else ""
        return (
            f"Logged in, but the token could not be saved: {reason}. It is kept in memory "
            "only. ctrl+s tries to save it again; ctrl+u uses it for this session (it is "
            "lost when c66tui exits)."
        )

    @work(group="login", exit_on_error=False)
    async def action_save_again(self) -> None:
        """Try to save the login that could not be saved."""
        login = self.unsaved
        if login is None or self.busy:
            return
        self._set_busy(True, "Saving again…")
        try:
            await self._save_and_post(login)
        finally:
            self._set_busy(False)

    def action_use_unsaved(self) -> None:
        """Go on with the unsaved token for this session only."""
        login, self.unsaved = self.unsaved, None
        if login is None:
            return
        self.refresh_bindings()
        self.post_message(
            self.LoggedIn(
                self.profile, login.token, login.account, login.scopes, login.method, saved=False
            )
        )

    # -- feedback -----------------------------------------------------------------

    @property
    def holding(self) -> bool:
        """True while leaving would lose something (an exchange running, a token unsaved)."""
        return self.busy or self.unsaved is not None

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self.busy = busy
        for widget in self.query(Input):
            widget.disabled = busy
        if message:
            self._say(message, "busy")
        self.refresh_bindings()
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
        if kind in ("error", "ok"):
            self.call_after_refresh(status.scroll_visible, animate=False)


def _plain(error: Cloud66Error, *, during: str) -> str:
    """The message to show for a failed login step."""
    if isinstance(error, AuthenticationError):
        if during == "token":
            return "Cloud 66 did not accept this token (401). Check that you copied all of it."
        return "Cloud 66 issued a token but then refused it (401). Get a new code and try again."
    return str(error) or type(error).__name__


def _unexpected(error: Exception) -> str:
    return f"Logging in failed: {redact(str(error)) or type(error).__name__}"
