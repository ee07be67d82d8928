"""The login form shared by the login screen and the re-login dialog.

One OAuth attempt at a time (:class:`c66tui.ops.login_flow.LoginAttempt`: client id,
callback, ``state`` and PKCE verifier); the authorize URL is shown in full and
``ctrl+o`` copies it (OSC 52, works over SSH). The line above the code field says which
road applies (paste the code; c66tui listens on the loopback callback; paste the
redirected address). With a loopback callback the form listens for the browser's redirect
(:mod:`c66tui.ops.loopback`) while it is open and accepts a paste at the same time,
whichever comes first. The steps after a code or token arrives are in
:class:`c66tui.ui.widgets.login_steps.LoginSteps`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Static, TabbedContent, TabPane

from c66tui.api.oauth import ALL_SCOPES, DEFAULT_SCOPES
from c66tui.config.redirect import check_redirect_uri, redirect_uri_of
from c66tui.ops.identity import auth_base_for
from c66tui.ops.login_flow import LoginAttempt, instructions, over_ssh
from c66tui.ops.loopback import ListenerUnavailable, LoopbackListener
from c66tui.text import sanitize
from c66tui.ui.context import UsesServices
from c66tui.ui.widgets.login_steps import LoginSteps
from c66tui.ui.widgets.paste_input import PasteSafeInput, PasteTargetInput
from c66tui.ui.widgets.toggles import LegibleCheckbox

if TYPE_CHECKING:
    from textual.screen import Screen

SCOPE_HELP = {
    "public": "read",
    "redeploy": "deploy",
    "jobs": "run jobs",
    "admin": "settings",
    "users": "e-mail",
}
LISTEN_DELAY = 0.3
"""Seconds the callback must stay unchanged before the listener (re)binds to it."""


class ScopeBox(LegibleCheckbox):
    """A scope to ask for; its mark is visible without colour."""


class LoginForm(UsesServices, LoginSteps, Vertical):
    """Both ways of logging in to one profile; posts :class:`LoginForm.LoggedIn`."""

    HELP_GROUP = "Logging in"

    BINDINGS = [
        Binding("ctrl+o", "copy_url", "Copy URL", priority=True, id="login.copy_url"),
        Binding("ctrl+t", "switch_tab", "Code/token", priority=True, id="login.switch_tab"),
        Binding("ctrl+g", "demo_code", "Sandbox code", priority=True, id="login.demo_code"),
        Binding("ctrl+s", "save_again", "Save again", priority=True, id="login.save_again"),
        Binding("ctrl+u", "use_unsaved", "Use unsaved", priority=True, id="login.use_unsaved"),
    ]

    class LoggedIn(Message):
        """A token was validated (and, when ``saved``, saved) for ``profile``."""

        def __init__(
            self,
            profile: Any,
            token: Any,
            account: str,
            scopes: tuple[str, ...],
            method: str,
            *,
            saved: bool = True,
            notes: tuple[str, ...] = (),
        ) -> None:
            super().__init__()
            self.profile = profile
            self.token = token
            self.account = account
            """The account the token works in (``account of OWNER``), or ``""``."""
            self.scopes = scopes
            self.method = method
            """``"code"`` (OAuth) or ``"token"`` (personal access token)."""
            self.saved = saved
            """False when saving failed and the user chose to go on with it in memory."""
            self.notes = notes
            """Things to tell once the form is gone (a credentials file moved aside)."""

    def __init__(self, profile: Any, *, state: str | None = None, id: str | None = None) -> None:
        """A form for ``profile``; ``state`` pins the OAuth state (tests)."""
        super().__init__(id=id)
        self.profile = profile
        self._pinned_state = state
        self.attempt: LoginAttempt | None = None
        self._verifier: str | None = None
        self._listener: LoopbackListener | None = None
        self._listen_timer: Any = None
        self.busy = False
        self.unsaved: Any = None

    # -- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        client_id, secret = self.services.client_credentials(self.profile)
        wanted = set(getattr(self.profile, "scopes", ()) or DEFAULT_SCOPES) | {"public"}
        with TabbedContent(id="login-tabs"):
            with TabPane("Code from browser", id="tab-code"):
                with Grid(id="login-client"):
                    yield Label("Client ID", classes="login-label")
                    yield PasteSafeInput(client_id, id="client-id", compact=True)
                    yield Label("Secret", classes="login-label")
                    yield PasteSafeInput(
                        secret.reveal() if secret else "",
                        id="client-secret",
                        password=True,
                        compact=True,
                        placeholder="OAuth client secret",
                    )
                    yield Label("Callback", classes="login-label")
                    yield PasteSafeInput(
                        redirect_uri_of(self.profile),
                        id="redirect-uri",
                        compact=True,
                        tooltip="The callback URL the OAuth application is registered with",
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
                yield Static("", id="login-road", classes="login-step", markup=False)
                yield PasteTargetInput(
                    placeholder="paste the code or the address here (hidden)",
                    id="login-code",
                    password=True,
                    compact=True,
                )
            with TabPane("Access token", id="tab-token"):
                yield Static(
                    "Paste a personal access token (Cloud 66: Account → Apps → Personal "
                    "access tokens). It is checked with one request, then saved for this "
                    "profile with file mode 0600.",
                    classes="login-note",
                    markup=False,
                )
                yield PasteTargetInput(
                    placeholder="personal access token", id="login-pat", password=True
                )
        yield Static("", id="login-status", markup=False)

    def on_mount(self) -> None:
        self._rebuild_url()
        self._hint()
        self.focus_code()

    def on_unmount(self) -> None:
        if self._listener is not None:
            self._listener.close_now()
            self._listener = None

    def _hint(self) -> None:
        """The quiet line under the form, for the tab in view."""
        if self.query_one(TabbedContent).active == "tab-token":
            self._say("The token never appears on screen and is saved with mode 0600.", "info")
        elif self.services.demo_approve is not None:
            self._say(
                "Demo: press ctrl+g to approve in the built-in sandbox and get its code.",
                "info",
            )
        else:
            self._say("The code is a one-time password: paste it only into this window.", "info")

    def focus_code(self) -> None:
        """Focus the first empty required field (client id, secret), else the paste field."""
        self._first_empty().focus()

    def _first_empty(self, after: Input | None = None) -> Input:
        if self.query_one(TabbedContent).active == "tab-token":
            return self.query_one("#login-pat", Input)
        fields = [self.query_one(f"#{name}", Input) for name in ("client-id", "client-secret")]
        if after in fields:
            fields = fields[fields.index(after) + 1 :]
        return next(
            (field for field in fields if not field.value.strip()),
            self.query_one("#login-code", Input),
        )

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
        return self.attempt.url if self.attempt is not None else ""

    @property
    def redirect_uri(self) -> str:
        return self.query_one("#redirect-uri", Input).value.strip()

    def _rebuild_url(self) -> None:
        client_id = self.query_one("#client-id", Input).value.strip()
        shown = self.query_one("#authorize-url", Static)
        previous = self.attempt
        problem = check_redirect_uri(self.redirect_uri) if self.redirect_uri else None
        try:
            if problem:
                raise ValueError(f"The callback {problem}.")
            attempt = LoginAttempt(
                auth_base_for(self.profile),
                client_id,
                self.scopes,
                self.redirect_uri,
                state=previous.state if previous else self._pinned_state,
                verifier=self._verifier,
            )
        except ValueError as error:
            self.attempt = None
            shown.update(Text(sanitize(str(error)), style="italic"))
            self._show_road("")
            self._stop_listening()
            return
        self.attempt, self._verifier = attempt, attempt.verifier
        shown.update(Text(attempt.url, overflow="fold"))
        if previous is None or previous.redirect_uri != attempt.redirect_uri:
            self._road_changed()

    @on(Input.Changed, "#client-id, #redirect-uri")
    @on(Checkbox.Changed)
    def _inputs_changed(self, event: Message) -> None:
        self._rebuild_url()

    @on(Input.Submitted, "#client-id, #client-secret, #redirect-uri")
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self._first_empty(after=event.input).focus()

    @on(Input.Submitted, "#login-code")
    def _code_submitted(self, event: Input.Submitted) -> None:
        self._on_code_submitted(event)

    @on(Input.Submitted, "#login-pat")
    def _token_submitted(self, event: Input.Submitted) -> None:
        self._on_token_submitted(event)

    # -- the road and the loopback listener ---------------------------------------

    def _show_road(self, text: str) -> None:
        self.query_one("#login-road", Static).update(Text(f"2  {text}" if text else ""))

    def _road_changed(self) -> None:
        """A new callback: say what to do, and listen when it is a loopback one."""
        self._stop_listening()
        attempt = self.attempt
        if attempt is None:
            return
        if attempt.road != "loopback":
            self._show_road(instructions(attempt.road))
            return
        self._show_road(instructions("address"))
        self._listen_timer = self.set_timer(LISTEN_DELAY, self._listen)

    def _stop_listening(self) -> None:
        if self._listen_timer is not None:
            self._listen_timer.stop()
            self._listen_timer = None
        if self._listener is not None:
            self._listener.close_now()
            self._listener = None

    @work(exclusive=True, group="login-listen", exit_on_error=False)
    async def _listen(self) -> None:
        """Wait for the browser's redirect to the loopback callback (see the module)."""
        self._listen_timer = None
        attempt = self.attempt
        if attempt is None or attempt.road != "loopback":
            return
        listener = LoopbackListener(attempt.redirect_uri, attempt.state)
        try:
            await listener.start()
        except ListenerUnavailable as error:
            self._show_road(instructions("loopback", problem=str(error)))
            return
        self._listener = listener
        road = instructions("loopback", listening=True, ssh=over_ssh(), port=listener.port)
        self._show_road(road)
        try:
            redirect = await listener.wait()
        except ValueError as error:
            self._say(str(error), "error")
            self._show_road(instructions("address"))
            return
        finally:
            await listener.close()
            if self._listener is listener:
                self._listener = None
        self._show_road("The browser came back with the approval.")
        if not self.busy and self.unsaved is None:
            self.busy = True
            self.log_in_with_code(redirect.code, pasted=False)

    # -- actions ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "demo_code":
            return self.services.demo_approve is not None
        if action == "copy_url":
            return self.query_one(TabbedContent).active == "tab-code"
        if action in ("save_again", "use_unsaved"):
            return self.unsaved is not None and not self.busy
        return True

    def action_copy_url(self) -> None:
        """Copy the authorize URL to the clipboard (OSC 52: works over SSH)."""
        if not self.authorize_url:
            self._say("Enter the client ID first; there is no address to copy yet.", "error")
            return
        self.app.copy_to_clipboard(self.authorize_url)
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
        if not self.busy and self.unsaved is None:
            self._hint()
        self.call_after_refresh(self.focus_code)

    @work(exclusive=True, group="login-demo", exit_on_error=False)
    async def action_demo_code(self) -> None:
        """Demo only: approve the request in the in-process sandbox and show its code."""
        approve = self.services.demo_approve
        if approve is None or not self.authorize_url:
            return
        try:
            code = await approve(self.authorize_url)
        except Exception as error:  # noqa: BLE001 - the demo hint must never crash
            self._say(f"The sandbox did not approve: {sanitize(str(error))}", "error")
            return
        self.app.copy_to_clipboard(code)
        self._say(
            f"Sandbox approved. Its code is {sanitize(code)} (copied: ctrl+v pastes it).",
            "ok",
        )
        self.query_one("#login-code", Input).focus()


UNSAVED_WARNING = (
    "This login is not saved: it lasts until c66tui exits. Log in again when the disk "
    "problem is fixed to keep it."
)


def tell_about_login(screen: Screen, event: LoginForm.LoggedIn) -> None:
    """Notes that outlive the form: an unsaved login, a credentials file moved aside."""
    if not event.saved:
        screen.app.notify(UNSAVED_WARNING, severity="warning", markup=False, timeout=20)
    for note in event.notes:
        screen.app.notify(sanitize(note), severity="warning", markup=False, timeout=15)
