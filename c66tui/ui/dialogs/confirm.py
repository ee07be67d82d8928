"""A reusable yes/no confirmation dialog for anything that changes the world.

``ConfirmDialog`` answers ``True`` (confirmed) or ``False`` (cancelled). Cancel has the
focus when it opens (with ``require_typed``, the text field has it), so a stray Enter or a
key that arrives from a split escape sequence never confirms; ``y`` confirms, ``n`` and
``esc`` cancel. With ``require_typed`` the user must type a word (usually the stack name)
before confirming is possible: every letter goes to that field wherever the focus is, its
placeholder never looks like a value, and ``enter`` confirms when the text matches or
says why not.

``enter`` means the same in every confirmation dialog (this one, the redeploy, queue and
run-job dialogs): on the confirming button or in the typed field it confirms (the typed
text must match); in an optional field (git ref, services, arguments) it moves to the
confirming button and never confirms by itself; on Cancel it cancels.

A confirmation that follows another one (``guard=FOLLOW_UP_GUARD``) refuses every key
but ``esc`` for that long after it opens and says it is waiting: a key meant for the
first dialog (a repeated ``y`` 100 ms later) cannot answer the second.

Usage from a worker::

    ok = await self.app.push_screen_wait(
        ConfirmDialog("Redeploy stack?", [Text(name), "Environment: production"],
                      confirm_label="Redeploy", danger=True)
    )

or with a callback: ``self.app.push_screen(ConfirmDialog(...), on_answer)``.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Static

from c66tui.text import sanitize
from c66tui.ui.dialogs.base import yes_no_bindings
from c66tui.ui.dialogs.typed_confirm import TYPED_PLACEHOLDER, TypedConfirmDialog

__all__ = ["DEFAULT_EFFECT", "FOLLOW_UP_GUARD", "TYPED_PLACEHOLDER", "ConfirmDialog"]

FOLLOW_UP_GUARD = 0.7
"""Seconds a follow-up confirmation ignores keys after it opens."""

DEFAULT_EFFECT = "changes your stack"
"""The border's note on a ``danger`` dialog that names no other effect."""


class ConfirmDialog(TypedConfirmDialog[bool]):
    """Ask before doing something; dismisses with ``True`` only on an explicit yes."""

    DEFAULT_CSS = """
    ConfirmDialog #confirm-typed-prompt {
        margin-top: 1;
        width: 1fr;
    }
    ConfirmDialog #confirm-typed {
        width: 1fr;
    }
    ConfirmDialog #confirm-buttons {
        margin-top: 1;
    }
    ConfirmDialog #confirm-problem {
        display: none;
    }
    ConfirmDialog #confirm-problem.-shown {
        display: block;
    }
    ConfirmDialog.-guarded #confirm-hint {
        color: $warning;
        text-style: bold;
    }
    """

    BINDINGS = yes_no_bindings("confirm", "Confirm")

    OK_ID = "confirm-ok"
    CANCEL_ID = "confirm-cancel"
    TYPED_ID = "confirm-typed"
    PROBLEM_ID = "confirm-problem"
    CANCELLED = False

    def __init__(
        self,
        title: str,
        lines: list[Text | str],
        *,
        confirm_label: str = "Confirm",
        require_typed: str | None = None,
        danger: bool = False,
        effect: str | None = None,
        guard: float = 0.0,
    ) -> None:
        """Build the dialog.

        Args:
            title: the question, shown in the border (plain text, never markup).
            lines: body lines; ``str`` is shown literally (sanitised, no markup), a
                ``rich.text.Text`` keeps its styles (sanitise API text before building it).
            confirm_label: text of the confirming button, e.g. ``"Redeploy"``.
            require_typed: when set, this exact text must be typed before the dialog can
                confirm (for the most dangerous actions).
            danger: show the dialog in the error colour and label the action destructive.
            effect: what the action changes, shown in the border under the question
                (e.g. ``"removes it from this machine's config"``); a ``danger`` dialog
                without one says :data:`DEFAULT_EFFECT`.
            guard: seconds after opening during which every key but ``esc`` is refused
                (for a confirmation that follows another; see :data:`FOLLOW_UP_GUARD`).
        """
        super().__init__(danger=danger)
        self.guard = max(0.0, guard)
        self.guarded = self.guard > 0
        """Whether keys are still being refused."""
        self.title_text = title
        self.lines = list(lines)
        self.confirm_label = confirm_label
        self.require_typed = require_typed
        self.typed_word = sanitize(require_typed) if require_typed is not None else None
        self.danger = danger
        self.effect = effect if effect is not None else DEFAULT_EFFECT if danger else ""
        # Focused as soon as the dialog is composed, so keys typed right after the key
        # that opened it land there; nothing has the focus during the guard time.
        self.AUTO_FOCUS = "" if self.guarded else self.typed_focus(f"#{self.CANCEL_ID}")

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog-box") as box:
            box.border_title = sanitize(self.title_text)
            if self.effect:
                box.border_subtitle = sanitize(self.effect)
            for line in self.lines:
                content = line if isinstance(line, Text) else Text(sanitize(str(line)))
                yield Static(content, classes="dialog-line", markup=False)
            if self.typed_word is not None:
                prompt = Text("Type ")
                prompt.append(self.typed_word, style="bold")
                prompt.append(" to confirm:")
                yield Label(prompt, id="confirm-typed-prompt", markup=False)
                yield self.typed_input()
                yield Static("", id=self.PROBLEM_ID, classes="dialog-error", markup=False)
            yield from self.compose_buttons(
                self.confirm_label,
                variant="error" if self.danger else "primary",
                disabled=self.typed_word is not None,
                buttons_id="confirm-buttons",
            )
            yield Static(self._hint(), id="confirm-hint", classes="dialog-hint", markup=False)

    def _hint(self) -> str:
        if self.guarded:
            return "wait: keys pressed just now are ignored…"
        if self.typed_word is not None:
            return "type the text, then enter · esc cancel"
        return "y confirm · n/esc cancel"

    def on_mount(self) -> None:
        if self.guarded:
            self.add_class("-guarded")
            for widget in self.query(f"#confirm-buttons Button, #{self.TYPED_ID}"):
                widget.disabled = True
            self.set_timer(self.guard, self._end_guard)
            return
        self._focus_first()

    def _focus_first(self) -> None:
        # Cancel is the safe default; with a required word the text field takes the
        # focus instead (nothing typed by accident can match it).
        self.query_one(self.typed_focus(f"#{self.CANCEL_ID}")).focus()

    def _end_guard(self) -> None:
        """The guard time is over: keys count from now on."""
        self.guarded = False
        self.remove_class("-guarded")
        self.query_one(f"#{self.CANCEL_ID}", Button).disabled = False
        if self.typed_word is not None:
            self.typed_field.disabled = False
        self.query_one(f"#{self.OK_ID}", Button).disabled = not self.typed_ok
        self.query_one("#confirm-hint", Static).update(self._hint())
        self._focus_first()

    def refuse_key(self, event: events.Key) -> bool:
        """During the guard time every key but ``esc`` is refused."""
        if not self.guarded:
            return False
        if event.key != "escape":
            event.stop()
            event.prevent_default()
        return True

    # -- answers ------------------------------------------------------------------

    def action_confirm(self) -> None:
        """Confirm, when the typed text (if any) matches; otherwise say why not."""
        if self.guarded:
            return
        if not self.typed_ok:
            self.refuse_untyped()
            return
        self.answer(True)

    @on(Input.Changed, "#confirm-typed")
    def _typed_changed(self, event: Input.Changed) -> None:
        self.query_one(f"#{self.OK_ID}", Button).disabled = not self.typed_ok
