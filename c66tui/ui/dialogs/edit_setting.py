"""The dialog that asks for a new value of a stack or server setting.

It shows where the change would land (stack, environment, server), the setting's key,
its current value and the warning text Cloud 66 attaches to it, then checks the typed
value. It only collects the value: nothing is sent until the caller's confirmation.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from c66tui.api.models import Setting, Stack
from c66tui.ui.dialogs.form_dialog import FormDialog
from c66tui.ui.widgets.stack_text import api_text, stack_text
from c66tui.ui.widgets.value_editor import ValueForm

MAX_VALUE_LENGTH = 1000
_TRUE = {"true", "on", "yes", "1"}
_FALSE = {"false", "off", "no", "0"}

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


class EditSettingDialog(FormDialog[str | None]):
    """Collect a new value for ``setting``; dismisses with the checked value or ``None``."""

    OK_ID = "setting-ok"
    CANCEL_ID = "setting-cancel"
    ERROR_ID = "setting-error"

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
            yield self.error_line()
            yield from self.compose_buttons("Continue", compact=True)
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
            self.show_error(str(err), field)
            return
        self.answer(value)

    @on(Input.Submitted, "#setting-value")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()
