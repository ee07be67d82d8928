"""The "add profile" dialog: a name and an API URL; logging in comes next."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Static

from c66tui.config import DEFAULT_SCOPES, Profile
from c66tui.config.model import PROFILE_NAME, check_api_url
from c66tui.text import sanitize
from c66tui.ui.dialogs.base import Dialog


class AddProfileDialog(Dialog["Profile | None"]):
    """Answers a new, unsaved :class:`Profile` (saved once its login succeeds) or ``None``."""

    DEFAULT_CSS = """
    AddProfileDialog > .dialog-box {
        border-title-style: none;
    }
    AddProfileDialog #profile-fields {
        grid-size: 2;
        grid-columns: 11 1fr;
        grid-rows: 1;
        grid-gutter: 1 1;
        height: auto;
        margin-top: 1;
    }
    AddProfileDialog #profile-fields Input {
        width: 1fr;
    }
    AddProfileDialog #profile-hint {
        margin-top: 1;
    }
    AddProfileDialog #profile-buttons {
        margin-top: 1;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="profile.cancel")]

    OK_ID = "profile-ok"
    CANCEL_ID = "profile-cancel"

    def __init__(self, existing: list[str], api_url: str, client_id: str = "") -> None:
        """``existing`` names are refused; ``api_url``/``client_id`` prefill the fields."""
        super().__init__()
        self.existing = set(existing)
        self.api_url = api_url
        self.client_id = client_id

    def compose(self) -> ComposeResult:
        with Vertical(id="profile-box", classes="dialog-box") as box:
            box.border_title = "Add a profile"
            with Grid(id="profile-fields"):
                yield Label("Name")
                yield Input(placeholder="e.g. work", id="profile-name", compact=True)
                yield Label("API URL")
                yield Input(self.api_url, id="profile-url", compact=True)
                yield Label("Client ID")
                yield Input(
                    self.client_id, id="profile-client", compact=True, placeholder="optional"
                )
            yield Static(
                "enter moves to the next field · esc cancels",
                id="profile-hint",
                classes="dialog-hint",
                markup=False,
            )
            yield Static("", id="profile-error", classes="dialog-error", markup=False)
            yield from self.compose_buttons("Next: log in", buttons_id="profile-buttons")

    def on_mount(self) -> None:
        self.query_one("#profile-name", Input).focus()

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def _problem(self) -> tuple[str, str] | None:
        name = self._value("#profile-name")
        if not PROFILE_NAME.match(name):
            return "#profile-name", "Name: letters, digits, '.', '_' or '-' (up to 64)."
        if name in self.existing:
            return "#profile-name", f"There is already a profile named {name}."
        problem = check_api_url(self._value("#profile-url"))
        if problem:
            return "#profile-url", f"The API URL {problem}."
        return None

    def action_submit(self) -> None:
        """Check the fields; answer the new profile when they are fine."""
        problem = self._problem()
        if problem is not None:
            selector, message = problem
            self.query_one("#profile-error", Static).update(Text("✗ " + sanitize(message)))
            self.query_one(selector, Input).focus()
            return
        self.answer(
            Profile(
                self._value("#profile-name"),
                api_url=self._value("#profile-url"),
                client_id=self._value("#profile-client"),
                scopes=tuple(DEFAULT_SCOPES),
            )
        )

    def action_confirm(self) -> None:
        self.action_submit()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        order = ["#profile-name", "#profile-url", "#profile-client"]
        current = f"#{event.input.id}"
        if current != order[-1] and self._problem() and self._problem()[0] == current:
            self.action_submit()
            return
        if current != order[-1]:
            self.query_one(order[order.index(current) + 1], Input).focus()
        else:
            self.action_submit()
