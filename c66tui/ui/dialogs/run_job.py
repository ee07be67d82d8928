"""The "run this job now?" dialog: names the job, its stack and environment, takes arguments.

``RunJobDialog`` answers a :class:`RunRequest` (with the arguments typed, possibly empty)
or ``None`` when cancelled. Cancel has the focus when it opens, so a stray ``enter`` or a
key from a split escape sequence never runs anything; ``y`` runs, ``n``/``esc`` cancel.
``a`` (or ``tab``) reaches the arguments field; ``enter`` there moves to the Run button (it
does not run by itself). Everything from the API is shown literally.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.widgets import Button, Input, Label, Static

from c66tui.api.models import Job, Stack
from c66tui.text import sanitize
from c66tui.ui.dialogs.base import Dialog
from c66tui.ui.widgets.fast_typing import route_fast_typing

MAX_ARGS = 1000
"""Longest argument string accepted (the API passes it to the job's command)."""


@dataclass(frozen=True)
class RunRequest:
    """The user's answer: run the job with ``args`` (``""`` for none)."""

    args: str


def _line(label: str, value: str, *, style: str = "") -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{label:<12}", style="dim")
    text.append(sanitize(value) or "—", style=style)
    return text


class RunJobDialog(Dialog[RunRequest | None]):
    """Confirm running a job now, with optional arguments."""

    DEFAULT_CSS = """
    RunJobDialog > .dialog-box {
        border-title-style: none;
    }
    RunJobDialog .run-line {
        width: 1fr;
        height: 1;
    }
    RunJobDialog #run-args-label {
        margin-top: 1;
        width: 1fr;
    }
    RunJobDialog #run-args {
        width: 1fr;
        background: $panel;
    }
    RunJobDialog #run-args:focus {
        background: $primary 25%;
    }
    RunJobDialog #run-buttons {
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding("y", "run", "Run", id="run_job.yes"),
        Binding("a", "focus_args", "Arguments", id="run_job.args"),
        Binding("n", "cancel", "Cancel", id="run_job.no"),
        Binding("escape", "cancel", "Cancel", id="run_job.cancel"),
    ]

    OK_ID = "run-ok"
    CANCEL_ID = "run-cancel"

    def __init__(self, job: Job, stack: Stack, *, profile: str = "", account: str = "") -> None:
        super().__init__(danger=stack.is_production)
        self.job = job
        self.stack = stack
        self.profile = profile
        self.account = account or stack.account_name

    def compose(self) -> ComposeResult:
        job, stack = self.job, self.stack
        with Vertical(id="run-box", classes="dialog-box") as box:
            box.border_title = "Run job now?"
            if stack.is_production:
                box.border_subtitle = "PRODUCTION"
            yield Static(_line("Job", job.name, style="bold"), classes="run-line")
            yield Static(_line("Stack", stack.name, style="bold"), classes="run-line")
            env = stack.environment.upper() if stack.is_production else stack.environment
            env_style = "bold reverse" if stack.is_production else "bold"
            yield Static(_line("Environment", env, style=env_style), classes="run-line")
            if self.account:
                yield Static(_line("Account", self.account), classes="run-line")
            if self.profile:
                yield Static(_line("Profile", self.profile), classes="run-line")
            if job.params_text:
                yield Static(_line("Runs", job.params_text), classes="run-line")
            yield Label("Arguments (optional)", id="run-args-label")
            yield Input(
                placeholder="passed to the job's command",
                id="run-args",
                max_length=MAX_ARGS,
                select_on_focus=False,
                compact=True,
            )
            yield from self.compose_buttons(
                "Run now",
                variant="error" if stack.is_production else "primary",
                buttons_id="run-buttons",
            )
            yield Static(
                "y run · a arguments · n/esc cancel",
                id="run-hint",
                classes="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(f"#{self.CANCEL_ID}", Button).focus()

    # -- answers ------------------------------------------------------------------

    @property
    def args(self) -> str:
        """The arguments typed, trimmed (control characters are refused by the API layer)."""
        return self.query_one("#run-args", Input).value.strip()

    def action_run(self) -> None:
        """Run the job with the arguments typed."""
        self.answer(RunRequest(self.args))

    def action_confirm(self) -> None:
        self.action_run()

    def action_focus_args(self) -> None:
        """Put the cursor in the arguments field (at once, so that fast typing right
        after ``a`` goes into the field and a ``y`` in it is not taken as "run")."""
        self.set_focus(self.query_one("#run-args", Input))

    async def route_key(self, event: Key) -> None:
        """Letters typed right behind ``a`` belong to the arguments (a ``y`` among them
        must not run the job)."""
        await route_fast_typing(self, event, frozenset({"focus_args"}))

    @on(Input.Submitted, "#run-args")
    def _args_submitted(self, event: Input.Submitted) -> None:
        # Enter in the field is not a confirmation: it moves to the Run button.
        event.stop()
        self.query_one(f"#{self.OK_ID}", Button).focus()
