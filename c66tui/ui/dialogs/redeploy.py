"""The redeploy confirmation dialog, and the keyboard flow around it.

``RedeployDialog`` and the way ``r`` opens it live in
:mod:`c66tui.ui.dialogs.redeploy_dialog` (re-exported here).

:func:`redeploy_flow` is what the ``r`` key runs (in a non-exclusive worker): dialog,
fresh check of the stack, "already deploying: Cloud 66 will queue another" question,
send (via the controller), then start watching the deploy. :func:`cancel_flow` is the
``c`` key: find the running deploy, confirm, send the cancel (journalled); when its
outcome is unknown, what the deployments list shows is reported and the deploy watched
if it is still running.

While a stack's redeploy (or cancel) is being confirmed, sent or has just been sent, the
screens' ``check_action`` use :func:`write_key_state`, so the key shows greyed out and does
nothing, and :func:`explain_disabled_key` says why when it is pressed (the app's one
scheme for greyed-out keys, :mod:`c66tui.ui.key_reasons`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text

from c66tui.api.errors import Cloud66Error
from c66tui.api.models import Stack
from c66tui.ops import clock
from c66tui.ops.deploy_state import DeployWatch, watch_book_for
from c66tui.ops.deploy_targets import cancel_target, ref_problem
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
from c66tui.ui.context import services_of
from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.dialogs.redeploy_dialog import (
    RedeployDialog,
    _dialog_for,
    busy_confirmation,
    open_redeploy_dialog,
    skip_when_typing,
)
from c66tui.ui.write_keys import (
    explain_disabled_key,
    refresh_after_cooldown,
    refresh_write_keys,
    write_key_reason,
    write_key_state,
)

__all__ = [
    "RedeployDialog",
    "busy_confirmation",
    "cancel_flow",
    "explain_disabled_key",
    "open_redeploy_dialog",
    "redeploy_flow",
    "ref_problem",
    "refresh_write_keys",
    "report_outcome",
    "skip_when_typing",
    "start_watch",
    "write_key_reason",
    "write_key_state",
]

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


async def redeploy_flow(
    host: Any, stack: Stack, answer: asyncio.Future[RedeployRequest | None] | None = None
) -> SendOutcome | None:
    """Run the whole ``r`` flow for ``stack`` from a worker of ``host`` (a screen).

    ``answer`` is the dialog :func:`open_redeploy_dialog` already opened; without it the
    dialog is opened here. The caller has already claimed the stack with the controller;
    the claim is released here whatever happens.
    """
    app = host.app
    services = services_of(app)
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
        if pre.busy:
            again = await app.push_screen_wait(busy_confirmation(pre.stack, _busy_lines(pre)))
            if not again:
                app.notify(f"Not sent: {sanitize(stack.name)} is left as it is.", markup=False)
                return None
        requested_at = clock.now()
        sent = True
        outcome = await controller.redeploy(pre.stack, request, preflight=pre)
        report_outcome(app, pre, outcome, requested_at)
        return outcome
    finally:
        if not sent:
            controller.release(stack.uid)
        refresh_write_keys(app)
        refresh_after_cooldown(app, controller.cooldown)


def start_watch(services: Any, pre: Preflight, requested_at=None) -> DeployWatch:
    """Follow the deploy a redeploy of ``pre.stack`` just started."""
    watch = pre.watch(requested_at or clock.now())
    watch.note = "request accepted, waiting for Cloud 66 to start it"
    return watch_book_for(services).add(watch)


def report_outcome(app: Any, pre: Preflight, outcome: SendOutcome, requested_at=None) -> None:
    """Tell the user how a redeploy request ended, and start watching when it was sent."""
    name = sanitize(pre.stack.name)
    if outcome.status == "ok":
        typical = f" (usually takes {short_duration(pre.typical)})" if pre.typical else ""
        app.notify(f"{name}: {outcome.message}{typical}", title="Redeploy sent", markup=False)
        start_watch(services_of(app), pre, requested_at)
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
            watch = start_watch(services_of(app), pre, requested_at)
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
    services = services_of(app)
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
        target = cancel_target(deployments, watch.deployment_id if watch is not None else None)
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
        refresh_after_cooldown(app, controller.cooldown)
