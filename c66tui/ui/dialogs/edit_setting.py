"""The dialog that asks for a new value of a stack or server setting.

It shows where the change would land (stack, environment, server), the setting's key,
its current value and the warning text Cloud 66 attaches to it, then checks the typed
value. It only collects the value: nothing is sent until the caller's confirmation.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from c66tui.api.models import Setting, Stack
from c66tui.ui.widgets.stack_text import api_text, stack_text
from c66tui.ui.widgets.value_editor import ValueForm

MAX_VALUE_LENGTH = 1000
_TRUE = {"true", "on", "yes", "1"}
_FALSE = {"false", "off", "no", "0"}

DIALOG_CSS = """
{name} {{
    align: center middle;
    background: $background 60%;
}}
{name} > .dialog-box {{
    width: 76;
    max-width: 100%;
    height: auto;
    max-height: 100%;
    border: thick $primary;
    border-title-style: bold;
    background: $surface;
    padding: 0 1;
}}
{name} .dialog-line {{
    width: 1fr;
    height: auto;
}}
{name} .dialog-warning {{
    width: 1fr;
    height: auto;
    color: $warning;
    margin-top: 1;
}}
{name} .dialog-label {{
    margin-top: 1;
    width: 1fr;
}}
{name} Input {{
    width: 1fr;
    background: $panel;
}}
{name} Input:focus {{
    background: $primary 20%;
}}
{name} .dialog-error {{
    width: 1fr;
    height: auto;
    color: $error;
}}
{name} .dialog-buttons {{
    height: auto;
    width: 1fr;
    align-horizontal: right;
    margin-top: 1;
}}
{name} .dialog-buttons Button {{
    margin-left: 2;
    min-width: 12;
    height: 1;
}}
{name} .dialog-help {{
    width: 1fr;
    color: $text-muted;
}}
{name} TextArea.value-lines {{
    width: 1fr;
    height: auto;
    max-height: 10;
    background: $panel;
}}
{name} TextArea.value-lines:focus {{
    background: $primary 20%;
}}
{name} .dialog-hint {{
    width: 1fr;
    color: $text-muted;
}}
"""
"""Shared look of the value dialogs (``{name}`` is the dialog's class name)."""


UNCHANGED = "That is the current value: change it, or press esc to cancel"


def server_text(setting: Setting) -> str:
    """The setting's value exactly as the server has it, as text."""
    if setting.value is None or isinstance(setting.value, bool):
        return setting.display_value
    return str(setting.value)


def check_setting_value(setting: Setting, raw: str) -> str:
    """The value to send for ``setting``, or ``ValueError`` with a plain reason.

    The value is kept byte for byte (no trimming, control characters and line breaks
    kept: they come from an editor that shows them); "unchanged" is compared with the
    server's own value.
    """
    text = raw
    if not text.strip():
        raise ValueError("Enter a value: an empty value is not accepted")
    if len(text) > MAX_VALUE_LENGTH:
        raise ValueError(f"The value is too long (at most {MAX_VALUE_LENGTH} characters)")
    if isinstance(setting.value, bool):
        lowered = text.strip().lower()
        if lowered in _TRUE:
            text = "true"
        elif lowered in _FALSE:
            text = "false"
        else:
            raise ValueError("This setting is on or off: type true or false")
    if text == server_text(setting):
        raise ValueError(UNCHANGED)
    return text


def target_lines(stack: Stack, server_name: str | None = None, sep: str = " · ") -> list[Text]:
    """``Stack: name · ENV`` (and ``Server: name``) lines for a dialog."""
    line = Text("Stack: ")
    line.append_text(stack_text(stack, sep=sep))
    lines = [line]
    if server_name is not None:
        server = Text("Server: ")
        server.append_text(api_text(server_name, "bold"))
        lines.append(server)
    return lines


class EditSettingDialog(ModalScreen[str | None]):
    """Collect a new value for ``setting``; dismisses with the checked value or ``None``."""

    DEFAULT_CSS = DIALOG_CSS.format(name="EditSettingDialog")

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "submit", "Continue", id="dialog.submit"),
    ]

    def __init__(
        self,
        stack: Stack,
        setting: Setting,
        *,
        server_name: str | None = None,
        sep: str = " · ",
    ) -> None:
        """Build the dialog for ``setting`` of ``stack`` (of a server when named)."""
        super().__init__()
        self.stack = stack
        self.setting = setting
        self.server_name = server_name
        self.sep = sep
        self.form = ValueForm.for_value(server_text(setting))
        """The field that holds the value exactly (see :mod:`..widgets.value_editor`)."""

    def compose(self) -> ComposeResult:
        kind = "server" if self.server_name is not None else "stack"
        with Vertical(classes="dialog-box") as box:
            box.border_title = f"Edit {kind} setting"
            for line in target_lines(self.stack, self.server_name, self.sep):
                yield Static(line, classes="dialog-line", markup=False)
            key = Text("Setting: ")
            key.append_text(api_text(self.setting.key, "bold"))
            yield Static(key, classes="dialog-line", markup=False)
            current = Text("Current value: ")
            current.append_text(api_text(self.setting.display_value or "(empty)"))
            yield Static(current, classes="dialog-line", markup=False)
            if self.setting.warning_text:
                warning = Text("Warning: ", style="bold")
                warning.append_text(api_text(self.setting.warning_text))
                yield Static(warning, classes="dialog-warning", markup=False)
            hint = " (true or false)" if isinstance(self.setting.value, bool) else ""
            yield Label(f"New value{hint}", classes="dialog-label")
            if self.form.hint:
                yield Static(self.form.hint, classes="dialog-help", markup=False)
            yield self.form.widget("setting-value")
            yield Static("", id="setting-error", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", compact=True, id="setting-cancel")
                yield Button("Continue", id="setting-ok", variant="primary", compact=True)
            yield Static(
                "enter continue · esc cancel · you confirm before anything is sent",
                classes="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#setting-value").focus()

    def action_submit(self) -> None:
        """Check the value; dismiss with it, or say what is wrong."""
        field = self.query_one("#setting-value")
        try:
            value = check_setting_value(self.setting, self.form.read(field))
        except ValueError as err:
            self.query_one("#setting-error", Static).update(Text(str(err)))
            field.focus()
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        """Close without a value."""
        self.dismiss(None)

    @on(Input.Submitted, "#setting-value")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#setting-ok")
    def _ok(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#setting-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def error_text(self) -> str:
        """The message currently shown under the input (for tests and screen readers)."""
        content: Any = self.query_one("#setting-error", Static).content
        return str(content)
