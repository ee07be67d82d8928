"""A small form dialog for c66tui's own settings (preferences and profiles).

Each :class:`FormField` is either typed text (an ``Input``) or a choice (an
``OptionList``: arrows move, enter picks). Every field is checked by its ``check``
function when the form is submitted; a ``ValueError`` is shown under the fields and the
dialog stays open, so nothing invalid ever reaches ``config.toml``. The dialog answers
a dict of checked values by field name, or ``None`` when cancelled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from c66tui.ui.dialogs.form_dialog import FormDialog


@dataclass
class FormField:
    """One field of the form.

    Attributes:
        name: key of the answer dict.
        label: what the field is called on screen.
        value: the current value as text (preselected for choices).
        choices: ``(label, value)`` pairs for a choice; ``None`` for typed text.
        check: turns the raw text into the value to save, or raises ``ValueError``.
        placeholder: grey hint inside an empty input.
        help: a line under the label.
    """

    name: str
    label: str
    value: str = ""
    choices: Sequence[tuple[str, str]] | None = None
    check: Callable[[str], Any] | None = None
    placeholder: str = ""
    help: str = ""


class EditPreferenceDialog(FormDialog[dict[str, Any] | None]):
    """Edit one or more local settings; answers checked values or ``None``."""

    DEFAULT_CSS = """
    EditPreferenceDialog OptionList {
        width: 1fr;
        height: auto;
        max-height: 12;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    OK_ID = "form-ok"
    CANCEL_ID = "form-cancel"

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        *,
        lines: Sequence[Text | str] = (),
        confirm_label: str = "Save",
        on_highlight: Callable[[str, str], None] | None = None,
    ) -> None:
        """``on_highlight(name, value)`` is called as the cursor moves over a choice
        (used to preview a theme live)."""
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.lines = list(lines)
        self.confirm_label = confirm_label
        self.on_highlight = on_highlight

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = self.title_text
            for line in self.lines:
                text = line if isinstance(line, Text) else Text(str(line))
                yield Static(text, classes="dialog-line", markup=False)
            for field in self.fields:
                yield Label(field.label, classes="dialog-label", markup=False)
                if field.help:
                    yield Static(field.help, classes="dialog-help", markup=False)
                if field.choices is not None:
                    yield self._choice_list(field)
                else:
                    yield Input(
                        compact=True,
                        value=field.value,
                        placeholder=field.placeholder,
                        id=self.field_id(field),
                        select_on_focus=True,
                    )
            yield self.error_line()
            yield from self.compose_buttons(self.confirm_label, compact=True)
            hint = "arrows choose · " if any(f.choices for f in self.fields) else ""
            yield Static(f"{hint}enter save · esc cancel", classes="dialog-hint", markup=False)

    def _choice_list(self, field: FormField) -> OptionList:
        options = [Option(Text(label), id=value) for label, value in field.choices or ()]
        option_list = OptionList(*options, id=self.field_id(field))
        option_list.field_name = field.name  # type: ignore[attr-defined]
        return option_list

    def field_id(self, field: FormField) -> str:
        """The widget id of ``field`` (by position: names may hold dots)."""
        index = next(i for i, f in enumerate(self.fields) if f is field)
        return f"field-{index}"

    def field_widget(self, field: FormField) -> Any:
        """The input or choice list of ``field``."""
        return self.query_one(f"#{self.field_id(field)}")

    def on_mount(self) -> None:
        for field in self.fields:
            if field.choices is not None:
                option_list = self.field_widget(field)
                values = [value for _label, value in field.choices]
                if field.value in values:
                    option_list.highlighted = values.index(field.value)
        first = self.fields[0] if self.fields else None
        if first is not None:
            self.field_widget(first).focus()

    # -- answers ----------------------------------------------------------------------

    def raw_value(self, field: FormField) -> str:
        """The text currently entered or chosen for ``field``."""
        widget = self.field_widget(field)
        if isinstance(widget, OptionList):
            index = widget.highlighted
            if index is None:
                return ""
            return widget.get_option_at_index(index).id or ""
        assert isinstance(widget, Input)
        return widget.value

    def action_submit(self) -> None:
        """Check every field; dismiss with the values, or show the first problem."""
        answer: dict[str, Any] = {}
        for field in self.fields:
            raw = self.raw_value(field)
            try:
                answer[field.name] = field.check(raw) if field.check else raw
            except ValueError as err:
                self.show_error(str(err), self.field_widget(field))
                return
        self.answer(answer)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._next_or_submit(event.input)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._next_or_submit(event.option_list)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        name = getattr(event.option_list, "field_name", None)
        if self.on_highlight is not None and name and event.option.id:
            self.on_highlight(name, event.option.id)

    def _next_or_submit(self, widget: Any) -> None:
        """Enter moves to the next field, and submits from the last one."""
        ids = [self.field_id(f) for f in self.fields]
        if widget.id in ids and ids.index(widget.id) < len(ids) - 1:
            self.query_one(f"#{ids[ids.index(widget.id) + 1]}").focus()
            return
        self.action_submit()
