"""The redeploy confirmation dialog and how the ``r`` key opens it.

``RedeployDialog`` names what will be touched (stack, environment, account, profile,
branch), takes an optional git ref and services, and answers a
:class:`~c66tui.ops.redeploy.RedeployRequest` or ``None``. Cancel has the focus; ``y``
confirms, ``n``/``esc`` cancel. A production stack also needs its name typed: the name
field has the focus when the dialog opens, every letter goes to it (wherever the focus
is, and already while the dialog is opening, so ``r``, the name and ``enter`` typed in
one burst work as typed key by key), its placeholder is not the name, and ``enter``
confirms when the name matches or says why not. ``enter`` in the ref or services field
moves to the Redeploy button (as in every confirmation dialog, it does not send by itself).

:func:`open_redeploy_dialog` pushes the dialog at once, from the key's handler, so the
keys that follow ``r`` in the same burst reach the dialog, not the list behind it;
:func:`busy_confirmation` is the "queue another deploy?" question that may follow it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Static, TextArea

from c66tui.api.models import Stack
from c66tui.ops.deploy_targets import ref_problem
from c66tui.ops.redeploy import RedeployRequest
from c66tui.text import sanitize
from c66tui.ui.context import services_of
from c66tui.ui.dialogs.base import open_dialog, yes_no_bindings
from c66tui.ui.dialogs.confirm import FOLLOW_UP_GUARD, ConfirmDialog
from c66tui.ui.dialogs.typed_confirm import TypedConfirmDialog


class RedeployDialog(TypedConfirmDialog[RedeployRequest | None]):
    """Confirm a redeploy of one stack; see the module docstring."""

    DEFAULT_CSS = """
    RedeployDialog > .dialog-box {
        width: 76;
    }
    RedeployDialog Grid {
        grid-size: 2;
        grid-columns: 13 1fr;
        grid-rows: 1;
        height: auto;
    }
    RedeployDialog #redeploy-fields {
        margin-top: 1;
    }
    RedeployDialog .fact-label {
        color: $text-muted;
    }
    RedeployDialog .fact-value {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS = yes_no_bindings("redeploy", "Redeploy")

    OK_ID = "redeploy-ok"
    CANCEL_ID = "redeploy-cancel"
    TYPED_ID = "redeploy-typed"
    PROBLEM_ID = "redeploy-problem"

    def __init__(self, stack: Stack, *, account: str = "", profile: str = "") -> None:
        super().__init__(danger=stack.is_production)
        self.stack = stack
        self.account = account
        self.profile = profile
        self.typed_name = sanitize(stack.name)
        self.typed_word = self.typed_name if stack.is_production else None
        # Focused as soon as the dialog is composed (before its mount handlers), so keys
        # typed right after r already land in the field.
        self.AUTO_FOCUS = self.typed_focus(f"#{self.CANCEL_ID}")

    # -- layout -------------------------------------------------------------------

    def _facts(self) -> list[tuple[str, Text]]:
        stack = self.stack
        env = Text(sanitize(stack.environment) or "(none)", style="bold")
        if stack.is_production:
            env = Text(f"▲ {sanitize(stack.environment).upper()}", style="bold reverse")
        account = sanitize(self.account) or "(unknown account)"
        if stack.account_name:
            account += f" · {sanitize(stack.account_name)}"
        status = f"{sanitize(stack.status_name)}, health {sanitize(stack.health_name)}"
        return [
            ("Stack", Text(sanitize(stack.name), style="bold")),
            ("Environment", env),
            ("Account", Text(account)),
            ("Profile", Text(sanitize(self.profile) or "default")),
            ("Branch", Text(sanitize(stack.git_branch) or "(default)")),
            ("Now", Text(status)),
        ]

    def compose(self) -> ComposeResult:
        with Vertical(id="redeploy-box", classes="dialog-box") as box:
            box.border_title = "Redeploy stack?"
            if self.stack.is_production:
                box.border_subtitle = "production"
            with Grid(id="redeploy-facts"):
                for label, value in self._facts():
                    yield Label(label, classes="fact-label")
                    yield Static(value, classes="fact-value", markup=False)
            with Grid(id="redeploy-fields"):
                yield Label("Git ref", classes="fact-label")
                branch = sanitize(self.stack.git_branch) or "branch"
                yield Input(
                    placeholder=f"optional (default: {branch})",
                    id="redeploy-ref",
                    compact=True,
                )
                yield Label("Services", classes="fact-label")
                yield Input(
                    placeholder="optional, e.g. web,worker", id="redeploy-services", compact=True
                )
                if self.typed_word is not None:
                    yield Label("Type name", classes="fact-label")
                    yield self.typed_input(compact=True)
            yield Static("", id=self.PROBLEM_ID, classes="dialog-error", markup=False)
            yield from self.compose_buttons(
                "Redeploy", variant="error", buttons_id="redeploy-buttons"
            )
            hint = "y redeploy · n/esc cancel · tab fields"
            if self.stack.is_production:
                hint = "production: type the stack name, then enter · esc cancel"
            yield Static(hint, id="redeploy-hint", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(self.typed_focus(f"#{self.CANCEL_ID}")).focus()

    # -- answers ------------------------------------------------------------------

    def typed_problem(self, typed: str) -> Text:
        if not typed:
            why = "Type the stack name to redeploy a production stack"
        else:
            why = f"{typed!r} is not the stack's name: type it exactly"
        return Text(f"{why} ({self.typed_name}), or press esc to cancel.")

    def _problem(self, text: str) -> None:
        self.query_one(f"#{self.PROBLEM_ID}", Static).update(Text(text))

    def _request(self) -> RedeployRequest | None:
        ref = self.query_one("#redeploy-ref", Input).value
        problem = ref_problem(ref)
        if problem:
            self._problem(problem)
            self.query_one("#redeploy-ref", Input).focus()
            return None
        services = self.query_one("#redeploy-services", Input).value
        return RedeployRequest.parse(ref, services)

    def action_confirm(self) -> None:
        """``y``, or ``enter`` on Redeploy or in the name field: redeploy (after the name
        was typed, for production)."""
        if self.answered or not self.is_mounted:
            return
        if not self.typed_ok:
            self.refuse_untyped()
            return
        request = self._request()
        if request is not None:
            self.answer(request)


def busy_confirmation(stack: Stack, lines: list[Text | str]) -> ConfirmDialog:
    """"Queue another deploy?": it follows the redeploy dialog, so it refuses keys for a
    moment (a second ``y`` meant for the first cannot answer it), and a production stack
    needs its name typed again, like the first time."""
    return ConfirmDialog(
        "Already deploying",
        lines,
        confirm_label="Queue another",
        danger=stack.is_production,
        require_typed=sanitize(stack.name) if stack.is_production else None,
        guard=FOLLOW_UP_GUARD,
    )


def skip_when_typing(screen: Any) -> None:
    """The ``r`` binding is a priority binding (handled when the key is read, so the keys
    behind it in a burst reach the dialog it opens); in a text field ``r`` is a letter."""
    if isinstance(screen.focused, Input | TextArea):
        raise SkipAction()


def _dialog_for(services: Any, stack: Stack) -> RedeployDialog:
    return RedeployDialog(
        stack,
        account=getattr(services, "account_email", "") or "",
        profile=services.profile_name,
    )


def open_redeploy_dialog(host: Any, stack: Stack) -> asyncio.Future[RedeployRequest | None]:
    """Push the redeploy dialog now (from the ``r`` key's handler) and return its answer
    to come; pass it to :func:`redeploy_flow`."""
    return open_dialog(host.app, _dialog_for(services_of(host.app), stack))
