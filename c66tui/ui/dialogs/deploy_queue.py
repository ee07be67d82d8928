"""The plan of a redeploy over several marked stacks, confirmed before anything is sent.

``DeployQueueDialog`` lists the stacks in the order they will be deployed (environment,
account, current state; production and already-deploying stacks are called out in words),
explains that the queue runs one stack at a time and stops at the first failure, and takes
an optional git ref for all of them. Cancel has the focus; ``y`` confirms, ``n``/``esc``
cancel. When a production stack is in the plan the number of stacks must be typed first.
``enter`` confirms on the Redeploy button or in the count field (saying why not when the
count is wrong); in the git ref field it moves to the Redeploy button.
The answer is a :class:`~c66tui.ops.redeploy.RedeployRequest` or ``None``.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from c66tui.api.models import Stack
from c66tui.ops.deploy_targets import ref_problem
from c66tui.ops.redeploy import RedeployRequest
from c66tui.text import counted, sanitize


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


class DeployQueueDialog(ModalScreen[RedeployRequest | None]):
    """Confirm a serial redeploy of several stacks; see the module docstring."""

    DEFAULT_CSS = """
    DeployQueueDialog {
        align: center middle;
        background: $background 60%;
    }
    DeployQueueDialog > #queue-box {
        width: 90;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    DeployQueueDialog.-danger > #queue-box {
        border: thick $error;
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
    DeployQueueDialog #queue-problem {
        height: auto;
        color: $error;
    }
    DeployQueueDialog #queue-buttons {
        height: auto;
        align-horizontal: right;
    }
    DeployQueueDialog #queue-buttons Button {
        margin-left: 2;
        min-width: 12;
    }
    DeployQueueDialog #queue-hint {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("y", "confirm", "Run queue", id="queue.yes"),
        Binding("n", "cancel", "Cancel", id="queue.no"),
        Binding("escape", "cancel", "Cancel", id="queue.cancel"),
    ]

    def __init__(self, stacks: list[Stack], *, account: str = "", profile: str = "") -> None:
        self.stacks = list(stacks)
        self.has_production = any(s.is_production for s in self.stacks)
        super().__init__(classes="-danger" if self.has_production else "")
        self.account = account
        self.profile = profile
        self._answered = False

    def compose(self) -> ComposeResult:
        count = len(self.stacks)
        with Vertical(id="queue-box") as box:
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
            if self.has_production:
                with Horizontal(classes="queue-field"):
                    yield Label(f"Type {count}")
                    yield Input(
                        placeholder=f"includes production: type {count}",
                        id="queue-typed",
                        compact=True,
                    )
            yield Static("", id="queue-problem", markup=False)
            with Horizontal(id="queue-buttons"):
                yield Button("Cancel", id="queue-cancel")
                yield Button(f"Redeploy {count}", id="queue-ok", variant="error")
            hint = "y run the queue · n/esc cancel"
            if self.has_production:
                hint = f"production included: type {count}, then enter or y · esc cancel"
            yield Static(hint, id="queue-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#queue-cancel", Button).focus()

    @property
    def typed_ok(self) -> bool:
        if not self.has_production:
            return True
        return self.query_one("#queue-typed", Input).value.strip() == str(len(self.stacks))

    def action_confirm(self) -> None:
        """``y``: run the queue (after typing the count when production is included)."""
        if self._answered:
            return
        problem = self.query_one("#queue-problem", Static)
        if not self.typed_ok:
            self.app.bell()
            problem.update(Text(f"Type {len(self.stacks)} to confirm (production included)."))
            self.query_one("#queue-typed", Input).focus()
            return
        ref = self.query_one("#queue-ref", Input).value
        issue = ref_problem(ref)
        if issue:
            problem.update(Text(issue))
            return
        self._answered = True
        self.dismiss(RedeployRequest.parse(ref))

    def action_cancel(self) -> None:
        """``n``/``esc``: nothing is sent."""
        if self._answered:
            return
        self._answered = True
        self.dismiss(None)

    @on(Button.Pressed, "#queue-ok")
    def _pressed_ok(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_confirm()

    @on(Button.Pressed, "#queue-cancel")
    def _pressed_cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # As in every confirmation: enter in the count field confirms (or says why not);
        # enter in the git ref field moves to the Redeploy button, it never sends.
        event.stop()
        if event.input.id == "queue-typed":
            self.action_confirm()
        else:
            self.query_one("#queue-ok", Button).focus()
