"""What every c66tui dialog shares: the centred box, its buttons and the answer-once guard.

A dialog subclasses :class:`Dialog` (generic in its answer, like ``ModalScreen``):

- it yields its content inside ``Vertical(classes="dialog-box")`` (the box: framed, in the
  error colour when the dialog was built with ``danger=True``, centred over a dimmed
  screen) and ends it with :meth:`Dialog.compose_buttons` (Cancel, then the confirming
  button, right-aligned);
- it implements :meth:`Dialog.action_confirm`; pressing the confirming button runs it,
  Cancel and ``esc`` run :meth:`Dialog.action_cancel`, which answers
  :attr:`Dialog.CANCELLED` (``None``; ``False`` for a yes/no question);
- it answers with :meth:`Dialog.answer`, which dismisses once: a second answer (a key and a
  click in the same instant, a repeated ``y``) is ignored.

:func:`open_dialog` pushes a dialog at once, from a key's handler, and returns its answer
to come, so the keys behind that key in a burst reach the dialog, not the screen behind.

Keys typed ahead while the dialog opens reach the field that has the focus once it is
open (:class:`~c66tui.ui.dialogs.type_ahead.TypeAhead`); a dialog that routes keys of its
own overrides :meth:`Dialog.route_key`. Class names for the common parts: ``dialog-line``
(a line of text), ``dialog-label`` (a field's label), ``dialog-error`` (what is wrong),
``dialog-hint`` (the keys, muted, at the bottom).
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar, Generic, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button

from c66tui.ui.dialogs.type_ahead import TypeAhead

AnswerT = TypeVar("AnswerT")

DIALOG_CSS = """
Dialog {
    align: center middle;
    background: $background 60%;
}
Dialog > .dialog-box {
    width: 72;
    max-width: 100%;
    height: auto;
    max-height: 100%;
    border: thick $primary;
    border-title-style: bold;
    background: $surface;
    padding: 0 1;
}
Dialog.-danger > .dialog-box {
    border: thick $error;
}
Dialog .dialog-line {
    width: 1fr;
    height: auto;
}
Dialog .dialog-label {
    margin-top: 1;
    width: 1fr;
}
Dialog .dialog-error {
    width: 1fr;
    height: auto;
    color: $error;
}
Dialog .dialog-buttons {
    height: auto;
    width: 1fr;
    align-horizontal: right;
}
Dialog .dialog-buttons Button {
    margin-left: 2;
    min-width: 12;
}
Dialog .dialog-hint {
    width: 1fr;
    color: $text-muted;
}
"""
"""The shared look; a dialog's own ``DEFAULT_CSS`` adds to it (and wins a tie)."""


def yes_no_bindings(prefix: str, yes: str) -> list[Binding]:
    """``y`` confirms (described as ``yes``), ``n`` and ``esc`` cancel; ids
    ``<prefix>.yes``, ``.no`` and ``.cancel`` (for ``set_keymap``)."""
    return [
        Binding("y", "confirm", yes, id=f"{prefix}.yes"),
        Binding("n", "cancel", "Cancel", id=f"{prefix}.no"),
        Binding("escape", "cancel", "Cancel", id=f"{prefix}.cancel"),
    ]


class Dialog(TypeAhead, ModalScreen[AnswerT], Generic[AnswerT]):
    """A modal question with a box, Cancel and a confirming button; see the module
    docstring."""

    DEFAULT_CSS = DIALOG_CSS

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    OK_ID: ClassVar[str] = "dialog-ok"
    """Id of the confirming button."""
    CANCEL_ID: ClassVar[str] = "dialog-cancel"
    """Id of the Cancel button."""
    CANCELLED: ClassVar[Any] = None
    """What the dialog answers when it is cancelled."""

    def __init__(self, *, danger: bool = False, classes: str = "") -> None:
        """``danger`` frames the box in the error colour (class ``-danger``)."""
        names = " ".join(part for part in (classes, "-danger" if danger else "") if part)
        super().__init__(classes=names)
        self.answered = False
        """Whether the dialog has answered (it answers once)."""

    # -- layout -----------------------------------------------------------------------

    def compose_buttons(
        self,
        ok_label: str,
        *,
        variant: str = "primary",
        compact: bool = False,
        disabled: bool = False,
        buttons_id: str | None = None,
    ) -> ComposeResult:
        """Cancel and the confirming button, right-aligned (``buttons_id`` names the row)."""
        with Horizontal(id=buttons_id, classes="dialog-buttons"):
            yield Button("Cancel", id=self.CANCEL_ID, compact=compact)
            yield Button(
                ok_label,
                id=self.OK_ID,
                variant=variant,  # type: ignore[arg-type]
                compact=compact,
                disabled=disabled,
            )

    # -- answers ----------------------------------------------------------------------

    def answer(self, value: AnswerT) -> None:
        """Dismiss with ``value``, unless the dialog has answered already."""
        if self.answered:
            return
        self.answered = True
        self.dismiss(value)

    def action_confirm(self) -> None:
        """The confirming button (and its key): check, then :meth:`answer` (override)."""

    def action_cancel(self) -> None:
        """Close with :attr:`CANCELLED`: nothing is done."""
        self.answer(self.CANCELLED)

    @on(Button.Pressed)
    def _button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == self.OK_ID:
            event.stop()
            self.action_confirm()
        elif event.button.id == self.CANCEL_ID:
            event.stop()
            self.action_cancel()

    # -- keys -------------------------------------------------------------------------

    async def on_key(self, event: events.Key) -> None:
        """Keys typed ahead go to the focused field first; then :meth:`route_key`.

        (Textual runs the ``on_key`` of every class of a dialog: subclasses override
        :meth:`refuse_key` and :meth:`route_key`, not this.)"""
        if self.answered or self.refuse_key(event):
            return
        if await self.deliver_typed_ahead(event):
            return
        await self.route_key(event)

    def refuse_key(self, event: events.Key) -> bool:
        """Whether the dialog refuses ``event`` now (it stops the event itself)."""
        return False

    async def route_key(self, event: events.Key) -> None:
        """Where a key that reached the dialog goes (override; nothing by default)."""


def open_dialog(app: Any, dialog: Dialog[AnswerT]) -> asyncio.Future[AnswerT]:
    """Push ``dialog`` now (from the key's handler, not a worker that starts later: the
    keys typed right behind reach it) and return its answer to come, for a worker to
    await."""
    answer: asyncio.Future[AnswerT] = asyncio.get_running_loop().create_future()

    def answered(value: AnswerT | None) -> None:
        if not answer.done():
            answer.set_result(value)  # type: ignore[arg-type]

    app.push_screen(dialog, answered)
    return answer
