"""The dialog for adding, changing or deleting an environment variable.

It names the stack and environment, takes the key (when adding) and the value (a
password field for password variables: the current secret is never prefilled), and the
apply strategy: now, or with the next deployment. Nothing is sent from here; the caller
confirms first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, RadioSet, Static

from c66tui.api.models import EnvVar, Stack
from c66tui.ui.dialogs.edit_setting import MAX_VALUE_LENGTH, target_lines
from c66tui.ui.dialogs.form_dialog import FormDialog
from c66tui.ui.widgets.stack_text import api_text
from c66tui.ui.widgets.toggles import LegibleRadioButton
from c66tui.ui.widgets.value_editor import ValueForm

Mode = Literal["add", "edit", "delete"]
KEY_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")

STRATEGIES = (
    ("immediately", "Apply now (the app's processes pick it up right away)"),
    ("deployment", "Apply with the next deployment"),
)
"""Apply strategies the API offers, with what they mean."""


@dataclass(frozen=True)
class EnvVarChange:
    """What the user asked for: ``value`` is ``None`` for a delete."""

    key: str
    value: str | None
    apply_strategy: str


def check_key(raw: str, existing: set[str]) -> str:
    """A new variable name, or ``ValueError`` with a plain reason."""
    key = raw.strip()
    if not key:
        raise ValueError("Enter a name for the variable")
    if not KEY_PATTERN.fullmatch(key):
        raise ValueError(
            "Names use letters, digits and '_' and do not start with a digit "
            "(at most 128 characters)"
        )
    if key in existing:
        raise ValueError(f"{key} already exists: close this and edit it with e")
    return key


def check_value(raw: str, current: str | None = None, *, typed: bool = True) -> str:
    """A variable value, or ``ValueError`` with a plain reason.

    ``current`` is the server's value (compared byte for byte). ``typed`` values come
    from a one-line field where a control character can only have been pasted by
    mistake; values from the value editor (line breaks, escapes) keep theirs.
    """
    if raw == "":
        raise ValueError("Enter a value: an empty value is not accepted")
    if len(raw) > MAX_VALUE_LENGTH * 10:
        raise ValueError("The value is too long")
    if typed and any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in raw):
        raise ValueError("The value must not contain control characters")
    if current is not None and raw == current:
        raise ValueError("That is the current value: change it, or press esc to cancel")
    return raw


class EnvVarDialog(FormDialog[EnvVarChange | None]):
    """Collect an add, edit or delete of an environment variable."""

    DEFAULT_CSS = """
    EnvVarDialog RadioSet {
        width: 1fr;
        height: auto;
        border: none;
        padding: 0;
    }
    EnvVarDialog RadioSet:focus {
        background: $primary 20%;
    }
    """

    OK_ID = "env-ok"
    CANCEL_ID = "env-cancel"
    ERROR_ID = "env-error"

    def __init__(
        self,
        stack: Stack,
        mode: Mode,
        var: EnvVar | None = None,
        *,
        existing: set[str] | None = None,
        sep: str = " · ",
    ) -> None:
        """``var`` is required to edit or delete; ``existing`` lists names taken."""
        super().__init__()
        self.stack = stack
        self.mode: Mode = mode
        self.var = var
        self.existing = existing or set()
        self.sep = sep
        self.form = ValueForm.for_value(var.display_value if var is not None else "")
        """The field that holds the value exactly (see :mod:`..widgets.value_editor`)."""

    @property
    def is_password(self) -> bool:
        return bool(self.var and self.var.is_password)

    def compose(self) -> ComposeResult:
        titles = {
            "add": "Add environment variable",
            "edit": "Change environment variable",
            "delete": "Delete environment variable",
        }
        with Vertical(classes="dialog-box") as box:
            box.border_title = titles[self.mode]
            for line in target_lines(self.stack, sep=self.sep):
                yield Static(line, classes="dialog-line", markup=False)
            if self.mode == "add":
                yield Label("Name", classes="dialog-label")
                yield Input(compact=True, placeholder="e.g. FEATURE_FLAGS", id="env-key")
            else:
                key = Text("Variable: ")
                key.append_text(api_text(self.var.key if self.var else "", "bold"))
                if self.is_password:
                    key.append("  (password: value hidden)")
                yield Static(key, classes="dialog-line", markup=False)
            if self.mode != "delete":
                yield from self._compose_value()
            yield Label("When should it apply?", classes="dialog-label")
            with RadioSet(id="env-strategy"):
                for index, (_value, label) in enumerate(STRATEGIES):
                    yield LegibleRadioButton(label, value=index == 0)
            yield self.error_line()
            yield from self.compose_buttons(
                "Continue",
                compact=True,
                variant="error" if self.mode == "delete" else "primary",
            )
            yield Static(
                "enter continue · esc cancel · you confirm before anything is sent",
                classes="dialog-hint",
                markup=False,
            )

    def _compose_value(self) -> ComposeResult:
        if self.is_password:
            yield Label("New value (the current one is not shown)", classes="dialog-label")
            yield Input(
                compact=True, password=True, id="env-value", placeholder="type the new value"
            )
        elif self.mode == "add":
            yield Label("Value", classes="dialog-label")
            yield Input(compact=True, id="env-value")
        else:
            yield Label("Value", classes="dialog-label")
            if self.form.hint:
                yield Static(self.form.hint, classes="dialog-help", markup=False)
            yield self.form.widget("env-value")

    @property
    def edits_server_value(self) -> bool:
        """Whether the value field holds the server's value (a visible variable edited)."""
        return self.mode == "edit" and self.var is not None and not self.is_password

    def on_mount(self) -> None:
        if self.mode == "add":
            self.query_one("#env-key", Input).focus()
        elif self.mode == "edit":
            self.query_one("#env-value").focus()
        else:
            # The confirmation that follows is the safety step; shift+tab reaches
            # the apply strategy.
            self.query_one(f"#{self.OK_ID}", Button).focus()

    # -- answers ----------------------------------------------------------------------

    def strategy(self) -> str:
        """The chosen apply strategy."""
        index = self.query_one("#env-strategy", RadioSet).pressed_index
        return STRATEGIES[index if index >= 0 else 0][0]

    def action_submit(self) -> None:
        """Check the fields; dismiss with the change, or say what is wrong."""
        try:
            change = self._collect()
        except ValueError as err:
            self.show_error(str(err))
            return
        self.answer(change)

    def _collect(self) -> EnvVarChange:
        if self.mode == "add":
            key = check_key(self.query_one("#env-key", Input).value, self.existing)
        else:
            key = self.var.key if self.var else ""
        value: str | None = None
        if self.mode != "delete":
            field = self.query_one("#env-value")
            if self.edits_server_value:
                value = check_value(self.form.read(field), self.form.current, typed=False)
            else:
                value = check_value(field.value)
        return EnvVarChange(key=key, value=value, apply_strategy=self.strategy())

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "env-key" and self.mode == "add":
            self.query_one("#env-value", Input).focus()
            return
        self.action_submit()
