"""A confirmation that needs a word typed first (a production stack's name).

The most dangerous confirmations (redeploying a production stack, queueing deploys that
include one, removing something for good) ask for a word before they confirm.
:class:`TypedConfirmation` gives every such dialog the same behaviour:

- the word's field has the focus when the dialog opens (:meth:`typed_focus`);
- every letter goes to that field wherever the focus is (a ``y`` or ``n`` is part of the
  name, never "yes" or "no"), and already while the dialog is opening, so the command, the
  word and ``enter`` typed in one burst work as typed key by key;
- the field's placeholder is :data:`TYPED_PLACEHOLDER`, never the word (it would look
  filled in);
- ``enter`` in the field confirms when the text matches, and otherwise says why not
  (:meth:`refuse_untyped`) and keeps the dialog open.

A dialog subclasses :class:`TypedConfirmDialog`, sets :attr:`TYPED_ID` and
:attr:`typed_word` (``None``: nothing to type) and calls :meth:`refuse_untyped` from its
confirm action when :attr:`typed_ok` is false. ``enter`` in any other field of it moves
to the confirming button (it never confirms by itself).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.widgets import Button, Input, Static

from c66tui.ui.dialogs.base import AnswerT, Dialog

TYPED_PLACEHOLDER = "type it here"
"""The typed field's placeholder: never the text to type, which would look filled in."""


class TypedConfirmation:
    """Mixin for a :class:`~c66tui.ui.dialogs.base.Dialog` (listed before it; a plain
    class, so the dialog keeps its CSS); see the module docstring."""

    app: Any
    focused: Any
    query_one: Any

    TYPED_ID: ClassVar[str] = "dialog-typed"
    """Id of the field the word is typed into."""
    PROBLEM_ID: ClassVar[str] = "dialog-problem"
    """Id of the line that says why the dialog did not confirm."""

    typed_word: str | None = None
    """The text to type (``None``: the dialog needs none)."""

    def typed_input(self, **options: object) -> Input:
        """The field to type the word into."""
        return Input(
            placeholder=TYPED_PLACEHOLDER,
            id=self.TYPED_ID,
            select_on_focus=False,
            **options,  # type: ignore[arg-type]
        )

    @property
    def typed_field(self) -> Input:
        return self.query_one(f"#{self.TYPED_ID}", Input)

    def typed_focus(self, otherwise: str) -> str:
        """The ``AUTO_FOCUS`` selector: the typed field, or ``otherwise`` without a word."""
        return f"#{self.TYPED_ID}" if self.typed_word is not None else otherwise

    @property
    def typed_text(self) -> str:
        """What has been typed so far, without surrounding spaces."""
        return self.typed_field.value.strip()

    @property
    def typed_ok(self) -> bool:
        """Whether the typed text matches (always true without a word to type)."""
        return self.typed_word is None or self.typed_text == self.typed_word

    def route_typed_key(self, event: events.Key) -> bool:
        """Put a letter into the typed field when no field has the focus; returns
        whether the key was used."""
        if self.typed_word is None or not event.is_printable or event.character is None:
            return False
        if isinstance(self.focused, Input):
            return False  # typed into the field that has the focus
        event.stop()
        event.prevent_default()
        field = self.typed_field
        field.focus()
        field.insert_text_at_cursor(event.character)
        return True

    def typed_problem(self, typed: str) -> Text:
        """Why the text typed (``typed``) does not confirm (override to word it)."""
        why = "Nothing typed yet" if not typed else "That is not it"
        problem = Text(f"{why}: type ")
        problem.append(self.typed_word or "", style="bold")
        problem.append(" exactly, or press esc to cancel.")
        return problem

    def refuse_untyped(self) -> None:
        """Ring, say why the dialog does not confirm yet, and put the focus in the field."""
        self.app.bell()
        shown = self.query_one(f"#{self.PROBLEM_ID}", Static)
        shown.update(self.typed_problem(self.typed_text))
        shown.add_class("-shown")
        self.typed_field.focus()


class TypedConfirmDialog(TypedConfirmation, Dialog[AnswerT]):
    """A confirmation dialog that may need a word typed (see the module docstring)."""

    async def route_key(self, event: events.Key) -> None:
        self.route_typed_key(event)

    @on(Input.Submitted)
    def _field_submitted(self, event: Input.Submitted) -> None:
        # As in every confirmation: enter in the typed field confirms (or says why not);
        # enter in an optional field moves to the confirming button, it never confirms.
        event.stop()
        if event.input.id == self.TYPED_ID:
            self.action_confirm()
        else:
            self.query_one(f"#{self.OK_ID}", Button).focus()
