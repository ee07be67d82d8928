"""The redeploy confirmation dialog, and the keyboard flow around it.

``RedeployDialog`` names what will be touched (stack, environment, account, profile,
branch), takes an optional git ref and services, and answers a
:class:`~c66tui.ops.redeploy.RedeployRequest` or ``None``. Cancel has the focus; ``y``
confirms, ``n``/``esc`` cancel. A production stack also needs its name typed: the name
field has the focus when the dialog opens, every letter goes to it (wherever the focus
is, and already while the dialog is opening, so ``r``, the name and ``enter`` typed in
one burst work as typed key by key), its placeholder is not the name, and ``enter``
confirms when the name matches or says why not.

:func:`open_redeploy_dialog` pushes the dialog at once, from the key's handler, so the
keys that follow ``r`` in the same burst reach the dialog, not the list behind it.

:func:`redeploy_flow` is what the ``r`` key runs (in a non-exclusive worker): dialog,
fresh check of the stack, "already deploying: Cloud 66 will queue another" question,
send (via the controller), then start watching the deploy. :func:`cancel_flow` is the
``c`` key: find the running deploy, confirm, send the cancel (journalled); when its
outcome is unknown, what the deployments list shows is reported and the deploy watched
if it is still running.

While a stack's redeploy (or cancel) is being confirmed, sent or has just been sent, the
screens' ``check_action`` use :func:`write_key_state`, so the key shows greyed out and does
nothing, and :func:`explain_disabled_key` says why when it is pressed.
"""

from __future__ import annotations

import asyncio
from typing import Any
from weakref import WeakKeyDictionary

from rich.text import Text
from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from c66tui.api.errors import Cloud66Error
from c66tui.api.models import Deployment, Stack
from c66tui.ops import clock
from c66tui.ops.deploy_state import DeployWatch, deployment_phase, watch_book_for
from c66tui.ops.redeploy import (
    Preflight,
    RedeployRequest,
    SendOutcome,
    controller_for,
    describe_deployment,
    unknown_reason,
    watch_if_running,
)
from c66tui.text import sanitize, short_duration
from c66tui.ui.dialogs.confirm import FOLLOW_UP_GUARD, TYPED_PLACEHOLDER, ConfirmDialog
from c66tui.ui.dialogs.type_ahead import TypeAhead

MAX_REF = 250


def ref_problem(ref: str) -> str | None:
    """Why a git ref cannot be sent (``None`` when it is fine or empty)."""
    ref = ref.strip()
    if not ref:
        return None
    if len(ref) > MAX_REF:
        return f"git ref is longer than {MAX_REF} characters"
    if any(ch.isspace() for ch in ref) or any(ord(ch) < 32 for ch in ref):
        return "git ref cannot contain spaces or control characters"
    return None


class RedeployDialog(TypeAhead, ModalScreen[RedeployRequest | None]):
    """Confirm a redeploy of one stack; see the module docstring."""

    DEFAULT_CSS = """
    RedeployDialog {
        align: center middle;
        background: $background 60%;
    }
    RedeployDialog > #redeploy-box {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    RedeployDialog.-danger > #redeploy-box {
        border: thick $error;
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
    RedeployDialog #redeploy-problem {
        height: auto;
        color: $error;
    }
    RedeployDialog #redeploy-buttons {
        height: auto;
        align-horizontal: right;
    }
    RedeployDialog #redeploy-buttons Button {
        margin-left: 2;
        min-width: 12;
    }
    RedeployDialog #redeploy-hint {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("y", "confirm", "Redeploy", id="redeploy.yes"),
        Binding("n", "cancel", "Cancel", id="redeploy.no"),
        Binding("escape", "cancel", "Cancel", id="redeploy.cancel"),
    ]

    def __init__(self, stack: Stack, *, account: str = "", profile: str = "") -> None:
        super().__init__(classes="-danger" if stack.is_production else "")
        self.stack = stack
        self.account = account
        self.profile = profile
        self.typed_name = sanitize(stack.name)
        self._answered = False
        # Focused as soon as the dialog is composed (before its mount handlers), so keys
        # typed right after r already land in the field.
        self.AUTO_FOCUS = "#redeploy-typed" if stack.is_production else "#redeploy-cancel"

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
        with Vertical(id="redeploy-box") as box:
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
                if self.stack.is_production:
                    yield Label("Type name", classes="fact-label")
                    yield Input(
                        placeholder=TYPED_PLACEHOLDER,
                        id="redeploy-typed",
                        compact=True,
                        select_on_focus=False,
                    )
            yield Static("", id="redeploy-problem", markup=False)
            with Horizontal(id="redeploy-buttons"):
                yield Button("Cancel", id="redeploy-cancel")
                yield Button("Redeploy", id="redeploy-ok", variant="error")
            hint = "y redeploy · n/esc cancel · tab fields"
            if self.stack.is_production:
                hint = "production: type the stack name, then enter · esc cancel"
            yield Static(hint, id="redeploy-hint", markup=False)

    def on_mount(self) -> None:
        if not self.stack.is_production:
            self.query_one("#redeploy-cancel", Button).focus()
            return
        self.query_one("#redeploy-typed", Input).focus()

    async def on_key(self, event: events.Key) -> None:
        """Keys typed ahead reach the focused field; on a production stack every letter
        goes to the name field."""
        if self._answered or await self.deliver_typed_ahead(event):
            return
        if not self.stack.is_production:
            return
        if not event.is_printable or event.character is None:
            return
        if isinstance(self.focused, Input):
            return  # typed into the field that has the focus (the name, ref or services)
        event.stop()
        event.prevent_default()
        field = self.query_one("#redeploy-typed", Input)
        field.focus()
        field.insert_text_at_cursor(event.character)

    # -- answers ------------------------------------------------------------------

    @property
    def typed_ok(self) -> bool:
        if not self.stack.is_production:
            return True
        return self.query_one("#redeploy-typed", Input).value.strip() == self.typed_name

    def _problem(self, text: str) -> None:
        self.query_one("#redeploy-problem", Static).update(Text(text))

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
        """``y`` or ``enter``: redeploy (after the name was typed, for production)."""
        if self._answered or not self.is_mounted:
            return
        if not self.typed_ok:
            self.app.bell()
            typed = self.query_one("#redeploy-typed", Input).value.strip()
            if not typed:
                why = "Type the stack name to redeploy a production stack"
            else:
                why = f"{typed!r} is not the stack's name: type it exactly"
            self._problem(f"{why} ({self.typed_name}), or press esc to cancel.")
            self.query_one("#redeploy-typed", Input).focus()
            return
        request = self._request()
        if request is None:
            return
        self._answered = True
        self.dismiss(request)

    def action_cancel(self) -> None:
        """``n``/``esc``: nothing is sent."""
        if self._answered:
            return
        self._answered = True
        self.dismiss(None)

    @on(Button.Pressed, "#redeploy-ok")
    def _pressed_ok(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_confirm()

    @on(Button.Pressed, "#redeploy-cancel")
    def _pressed_cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()


_GREYED_BECAUSE: WeakKeyDictionary[Any, dict[str, str | None]] = WeakKeyDictionary()
"""Screen -> action -> why its key is greyed out (``None``: it is not), as last checked."""


def write_key_reason(services: Any, stack: Stack | None, action: str) -> str | None:
    """Why the redeploy (``action="redeploy"``) or cancel (``"cancel_deploy"``) key must
    do nothing for ``stack`` now: not allowed, or that stack's write of the same kind is
    waiting for confirmation, on the wire, or was just sent. ``None`` when it may."""
    reason = services.permission("redeploy")
    if reason:
        return f"Redeploy and cancel are disabled: {reason}."
    if stack is None:
        return None
    kind = "cancel" if action == "cancel_deploy" else "redeploy"
    busy = controller_for(services).busy_reason(stack.uid, kind)
    return f"{sanitize(stack.name)}: {busy}." if busy else None


def write_key_state(screen: Any, action: str, stack: Stack | None) -> bool | None:
    """``check_action``'s answer for a redeploy or cancel key on ``stack``: ``True``, or
    ``None`` to show the key greyed out (the reason is kept for :func:`explain_disabled_key`)."""
    reason = write_key_reason(screen.app.services, stack, action)
    _GREYED_BECAUSE.setdefault(screen, {})[action] = reason
    return None if reason else True


def explain_disabled_key(screen: Any, key: str, actions: tuple[str, ...]) -> bool:
    """If ``key`` is bound on ``screen`` to one of ``actions`` and its key is greyed out,
    say why (the footer only greys the key out). Returns whether it did."""
    for binding in screen._bindings.key_to_bindings.get(key, ()):
        if binding.action not in actions:
            continue
        if screen.check_action(binding.action, ()) is not None:
            return False
        reason = _GREYED_BECAUSE.get(screen, {}).get(binding.action)
        if not reason:
            reason = "Redeploy and cancel are not available here now."
        screen.notify(reason, severity="warning", markup=False, timeout=3)
        return True
    return False


def refresh_write_keys(app: Any) -> None:
    """Re-evaluate the redeploy/cancel keys of every open screen (greyed or not)."""
    for screen in list(getattr(app, "screen_stack", ())):
        screen.refresh_bindings()


def _refresh_after_cooldown(app: Any, seconds: float) -> None:
    """The keys come back once a just-sent write's cool-down is over."""
    app.set_timer(seconds + 0.05, lambda: refresh_write_keys(app))


# -- the flow --------------------------------------------------------------------------


def _busy_lines(pre: Preflight) -> list[Text | str]:
    stack = pre.stack
    lines: list[Text | str] = [
        Text(sanitize(stack.name), style="bold"),
        f"Environment: {sanitize(stack.environment)}",
        f"The stack is {stack.status_name} right now.",
    ]
    running = next((d for d in pre.deployments if d.is_deploying), None)
    if running is not None:
        lines.append(f"Running: {describe_deployment(running)}")
    lines.append("Cloud 66 will queue another deploy to run after it.")
    lines.append("Queue another deploy?")
    return lines


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
    answer: asyncio.Future[RedeployRequest | None] = asyncio.get_running_loop().create_future()

    def answered(request: RedeployRequest | None) -> None:
        if not answer.done():
            answer.set_result(request)

    host.app.push_screen(_dialog_for(host.app.services, stack), answered)
    return answer


async def redeploy_flow(
    host: Any, stack: Stack, answer: asyncio.Future[RedeployRequest | None] | None = None
) -> SendOutcome | None:
    """Run the whole ``r`` flow for ``stack`` from a worker of ``host`` (a screen).

    ``answer`` is the dialog :func:`open_redeploy_dialog` already opened; without it the
    dialog is opened here. The caller has already claimed the stack with the controller;
    the claim is released here whatever happens.
    """
    app = host.app
    services = app.services
    controller = controller_for(services)
    sent = False
    try:
        if answer is None:
            request = await app.push_screen_wait(_dialog_for(services, stack))
        else:
            request = await answer
        if request is None:
            return None
        refresh_write_keys(app)  # greyed while the check and the send are under way
        try:
            pre = await controller.preflight(stack.uid)
        except Cloud66Error as error:
            app.notify(
                f"Not sent: could not check {sanitize(stack.name)} first ({sanitize(str(error))}).",
                severity="error",
                markup=False,
            )
            return None
        finally:
            _note_rate(app)
        if pre.busy:
            again = await app.push_screen_wait(busy_confirmation(pre.stack, _busy_lines(pre)))
            if not again:
                app.notify(f"Not sent: {sanitize(stack.name)} is left as it is.", markup=False)
                return None
        requested_at = clock.now()
        sent = True
        outcome = await controller.redeploy(pre.stack, request, preflight=pre)
        _note_rate(app)
        report_outcome(app, pre, outcome, requested_at)
        return outcome
    finally:
        if not sent:
            controller.release(stack.uid)
        refresh_write_keys(app)
        _refresh_after_cooldown(app, controller.cooldown)


def _note_rate(app: Any) -> None:
    api = getattr(app.services, "api", None)
    note = getattr(app, "note_rate_limit", None)
    if api is not None and callable(note):
        note(api.rate_limit)


def start_watch(services: Any, pre: Preflight, requested_at=None) -> DeployWatch:
    """Follow the deploy a redeploy of ``pre.stack`` just started."""
    stack = pre.stack
    watch = DeployWatch(
        uid=stack.uid,
        name=stack.name,
        environment=stack.environment,
        baseline_id=pre.baseline_id,
        requested_at=requested_at or clock.now(),
        typical=pre.typical,
    )
    watch.note = "request accepted, waiting for Cloud 66 to start it"
    return watch_book_for(services).add(watch)


def report_outcome(app: Any, pre: Preflight, outcome: SendOutcome, requested_at=None) -> None:
    """Tell the user how a redeploy request ended, and start watching when it was sent."""
    name = sanitize(pre.stack.name)
    if outcome.status == "ok":
        typical = f" (usually takes {short_duration(pre.typical)})" if pre.typical else ""
        app.notify(f"{name}: {outcome.message}{typical}", title="Redeploy sent", markup=False)
        start_watch(app.services, pre, requested_at)
    elif outcome.status == "unknown":
        summary = outcome.reconcile.summary if outcome.reconcile else ""
        app.notify(
            f"{name}: the redeploy was sent but {_why_unknown(outcome)}, so its outcome is "
            f"unknown. It was NOT sent again. Check: {summary}",
            title="Outcome unknown",
            severity="error",
            timeout=30,
            markup=False,
        )
        if outcome.reconcile and outcome.reconcile.deployment is not None:
            watch = start_watch(app.services, pre, requested_at)
            watch.deployment_id = outcome.reconcile.deployment.id
    elif outcome.status == "failed":
        app.notify(
            f"{name}: {outcome.message}", title="Redeploy failed", severity="error", markup=False
        )
    else:
        app.notify(f"{name}: {outcome.message}", severity="warning", markup=False)


def _why_unknown(outcome: SendOutcome) -> str:
    return unknown_reason(outcome.error)


async def cancel_flow(host: Any, stack: Stack) -> None:
    """Ask, then cancel the running (or queued) deploy of ``stack``; journalled."""
    app = host.app
    services = app.services
    controller = controller_for(services)
    book = watch_book_for(services)
    try:
        try:
            deployments = await services.read(lambda api: api.list_deployments(stack.uid))
        except Cloud66Error as error:
            app.notify(
                f"Could not list deployments: {sanitize(str(error))}",
                severity="error",
                markup=False,
            )
            return
        watch = book.get(stack.uid)
        target: Deployment | None = None
        if watch is not None and watch.deployment_id is not None:
            target = next((d for d in deployments if d.id == watch.deployment_id), None)
        if target is None or deployment_phase(target) not in ("deploying", "queued"):
            running = [d for d in deployments if deployment_phase(d) in ("deploying", "queued")]
            target = min(running, key=lambda d: d.id or 0) if running else None
        if target is None:
            app.notify(f"{sanitize(stack.name)} has no running deploy to cancel.", markup=False)
            return
        ok = await app.push_screen_wait(
            ConfirmDialog(
                "Cancel deploy?",
                [
                    Text(sanitize(stack.name), style="bold"),
                    f"Environment: {sanitize(stack.environment)}",
                    f"Deploy: {describe_deployment(target)}",
                    "The deploy stops where it is; Cloud 66 keeps what already ran.",
                ],
                confirm_label="Cancel deploy",
                danger=True,
            )
        )
        if not ok:
            return
        refresh_write_keys(app)
        outcome = await controller.cancel(stack, target)
        name = sanitize(stack.name)
        if outcome.status == "ok":
            app.notify(f"{name}: {outcome.message}", title="Cancel sent", markup=False)
            if stack.uid not in book:
                book.add(
                    DeployWatch(stack.uid, stack.name, stack.environment, deployment_id=target.id)
                )
        elif outcome.status == "unknown":
            summary = outcome.reconcile.summary if outcome.reconcile else "check the stack"
            app.notify(
                f"{name}: the cancel was sent but {_why_unknown(outcome)}, so its outcome is "
                f"unknown. It was NOT sent again. Check: {summary}",
                title="Outcome unknown",
                severity="error",
                markup=False,
                timeout=30,
            )
            # A deploy still running is followed so its real end (cancelled or not) shows up.
            watch_if_running(
                book,
                outcome.reconcile.deployment if outcome.reconcile else None,
                uid=stack.uid,
                name=stack.name,
                environment=stack.environment,
            )
        else:
            app.notify(f"{name}: {outcome.message}", severity="error", markup=False)
    finally:
        controller.release(stack.uid, "cancel")
        refresh_write_keys(app)
        _refresh_after_cooldown(app, controller.cooldown)
