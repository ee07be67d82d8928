"""The plan of a redeploy over several marked stacks, confirmed before anything is sent.

``DeployQueueDialog`` lists the stacks in the order they will be deployed (environment,
account, current state; production and already-deploying stacks are called out in words),
explains that the queue runs one stack at a time and stops at the first failure, and takes
an optional git ref for all of them. Without a production stack Cancel has the focus;
``y`` confirms, ``n``/``esc`` cancel. With one, it is confirmed like the redeploy of a
production stack (:mod:`c66tui.ui.dialogs.typed_confirm`): the production stacks' names
must be typed, the name field has the focus when the dialog opens, every letter goes to
it, and ``enter`` there confirms when the names match or says why not. ``enter`` on the
Redeploy button confirms; in the git ref field it moves to the Redeploy button.
The answer is a :class:`~c66tui.ops.redeploy.RedeployRequest` or ``None``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from c66tui.api.models import Stack
from c66tui.ops.deploy_targets import ref_problem
from c66tui.ops.redeploy import RedeployRequest
from c66tui.ops.redeploy.queue import NAMES_SEPARATOR, production_names
from c66tui.text import counted, sanitize
from c66tui.ui.context import services_of
from c66tui.ui.dialogs.base import open_dialog, yes_no_bindings
from c66tui.ui.dialogs.typed_confirm import TypedConfirmDialog


def plan_line(position: int, stack: Stack) -> Text:
    """One stack of the plan, e.g. ``2. shop-api  ▲ PRODUCTION  Acme  ✓ deployed``."""
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    line.append(f"{position:>2}. ")
    line.append(sanitize(stack.name), style="bold")
    if stack.is_production:
        line.append(f"  ▲ {sanitize(stack.environment).upper()}", style="bold reverse")
    else:
        line.append(f"  {sanitize(stack.environment)}")
    if stack.account_name:
        line.append(f"  {sanitize(stack.account_name)}")
    line.append(f"  {sanitize(stack.status_name)}")
    if stack.is_deploying:
        line.append("  (deploying now: Cloud 66 will queue another)", style="bold")
    return line


class DeployQueueDialog(TypedConfirmDialog[RedeployRequest | None]):
    """Confirm a serial redeploy of several stacks; see the module docstring."""

    DEFAULT_CSS = """
    DeployQueueDialog > .dialog-box {
        width: 90;
    }
    DeployQueueDialog #queue-plan {
        height: auto;
        max-height: 10;
    }
    DeployQueueDialog .queue-field {
        height: 1;
        margin-top: 1;
    }
    DeployQueueDialog .queue-field Label {
        width: 14;
        color: $text-muted;
    }
    DeployQueueDialog .queue-field Input {
        width: 1fr;
    }
    DeployQueueDialog #queue-typed-prompt {
        margin-top: 1;
    }
    """

    BINDINGS = yes_no_bindings("queue", "Run queue")

    OK_ID = "queue-ok"
    CANCEL_ID = "queue-cancel"
    TYPED_ID = "queue-typed"
    PROBLEM_ID = "queue-problem"

    def __init__(self, stacks: list[Stack], *, account: str = "", profile: str = "") -> None:
        self.stacks = list(stacks)
        self.has_production = any(s.is_production for s in self.stacks)
        super().__init__(danger=self.has_production)
        self.account = account
        self.profile = profile
        self.typed_word = production_names(self.stacks)
        # Focused as soon as the dialog is composed, so the names typed right behind
        # the key that opened it land in the field.
        self.AUTO_FOCUS = self.typed_focus(f"#{self.CANCEL_ID}")

    def compose(self) -> ComposeResult:
        count = len(self.stacks)
        with Vertical(id="queue-box", classes="dialog-box") as box:
            box.border_title = f"Redeploy {counted(count, 'stack')}, one after the other?"
            who = sanitize(self.account) or "(unknown account)"
            yield Static(
                Text(f"As {who} · profile {sanitize(self.profile) or 'default'}"), markup=False
            )
            with VerticalScroll(id="queue-plan"):
                for position, stack in enumerate(self.stacks, start=1):
                    yield Static(plan_line(position, stack), markup=False)
            yield Static(
                "Serial: each deploy must succeed before the next one starts; the queue "
                "stops at the first failure.",
                markup=False,
            )
            with Horizontal(classes="queue-field"):
                yield Label("Git ref (all)")
                yield Input(
                    placeholder="optional: each stack's own branch", id="queue-ref", compact=True
                )
            if self.typed_word is not None:
                prompt = Text("Includes production: type ")
                prompt.append(self.typed_word, style="bold")
                prompt.append(" to confirm.")
                yield Static(prompt, id="queue-typed-prompt", markup=False)
                with Horizontal(classes="queue-field"):
                    several = NAMES_SEPARATOR in self.typed_word
                    yield Label("Type names" if several else "Type name")
                    yield self.typed_input(compact=True)
            yield Static("", id=self.PROBLEM_ID, classes="dialog-error", markup=False)
            yield from self.compose_buttons(
                f"Redeploy {count}", variant="error", buttons_id="queue-buttons"
            )
            hint = "y run the queue · n/esc cancel"
            if self.has_production:
                hint = "production included: type as shown, then enter · esc cancel"
            yield Static(hint, id="queue-hint", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(self.typed_focus(f"#{self.CANCEL_ID}")).focus()

    def typed_problem(self, typed: str) -> Text:
        if not typed:
            names = "names" if NAMES_SEPARATOR in (self.typed_word or "") else "name"
            why = f"Type the production {names} to run this queue"
        else:
            why = f"{typed!r} is not what to type"
        problem = Text(f"{why}: ")
        problem.append(self.typed_word or "", style="bold")
        problem.append(" exactly, or press esc to cancel.")
        return problem

    def action_confirm(self) -> None:
        """``y``, or ``enter`` on Redeploy or in the name field: run the queue (after the
        production stacks' names were typed)."""
        if self.answered or not self.is_mounted:
            return
        if not self.typed_ok:
            self.refuse_untyped()
            return
        ref = self.query_one("#queue-ref", Input).value
        issue = ref_problem(ref)
        if issue:
            self.query_one(f"#{self.PROBLEM_ID}", Static).update(Text(issue))
            return
        self.answer(RedeployRequest.parse(ref))


def open_queue_dialog(host: Any, stacks: list[Stack]) -> asyncio.Future[RedeployRequest | None]:
    """Push the queue's dialog now (from the ``r`` key's handler, so the names typed right
    behind reach it) and return its answer to come."""
    services = services_of(host.app)
    dialog = DeployQueueDialog(
        stacks,
        account=getattr(services, "account_email", "") or "",
        profile=services.profile_name,
    )
    return open_dialog(host.app, dialog)
