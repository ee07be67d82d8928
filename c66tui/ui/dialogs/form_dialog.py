"""The base of the dialogs that collect values (a setting, a variable, a preference).

:class:`FormDialog` is a :class:`~c66tui.ui.dialogs.base.Dialog` with the look of a form
(labelled fields on a panel colour, warnings, a line that says what is wrong, compact
buttons) and its keys: ``esc`` cancels, ``ctrl+s`` and the confirming button run
:meth:`FormDialog.action_submit`, which checks the fields and answers, or shows the
problem with :meth:`FormDialog.show_error` and keeps the dialog open. Nothing is sent
from a form: its caller confirms first.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from c66tui.ui.dialogs.base import AnswerT, Dialog

FORM_CSS = """
FormDialog > .dialog-box {
    width: 76;
}
FormDialog .dialog-warning {
    width: 1fr;
    height: auto;
    color: $warning;
    margin-top: 1;
}
FormDialog Input {
    width: 1fr;
    background: $panel;
}
FormDialog Input:focus {
    background: $primary 20%;
}
FormDialog .dialog-buttons {
    margin-top: 1;
}
FormDialog .dialog-buttons Button {
    height: 1;
}
FormDialog .dialog-help {
    width: 1fr;
    color: $text-muted;
}
FormDialog TextArea.value-lines {
    width: 1fr;
    height: auto;
    max-height: 10;
    background: $panel;
}
FormDialog TextArea.value-lines:focus {
    background: $primary 20%;
}
"""
"""The look shared by the forms (on top of the dialogs' own)."""


class FormDialog(Dialog[AnswerT]):
    """A dialog that collects values; see the module docstring."""

    DEFAULT_CSS = FORM_CSS

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "submit", "Continue", id="dialog.submit"),
    ]

    ERROR_ID: ClassVar[str] = "form-error"
    """Id of the line that says what is wrong."""

    def error_line(self) -> Static:
        """The (empty) line for what is wrong; yield it under the fields."""
        return Static("", id=self.ERROR_ID, classes="dialog-error", markup=False)

    def show_error(self, message: str, field: Any = None) -> None:
        """Say what is wrong (and put the focus in ``field``, when given)."""
        self.query_one(f"#{self.ERROR_ID}", Static).update(Text(message))
        if field is not None:
            field.focus()

    def error_text(self) -> str:
        """The message currently shown under the fields (for tests and screen readers)."""
        return str(self.query_one(f"#{self.ERROR_ID}", Static).content)

    def action_confirm(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        """Check the fields; :meth:`answer` with the values, or :meth:`show_error`."""
