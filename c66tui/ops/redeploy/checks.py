"""What became of a redeploy or cancel whose answer was lost.

Such a write is never resent. Instead the stack's deployments are read: for a redeploy,
:func:`reconcile` looks for a deployment newer than the journalled baseline (or, without
one, started since the request); for a cancel, :func:`reconcile_cancel` looks at the
deployment it was meant to stop. :func:`check_entry` picks the check for a journal entry
(at start-up, in the journal screen, after a restart), :func:`settled_outcome` says when a
check proved the outcome, and :func:`watch_if_running` follows a found deploy that is
still running.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from c66tui.api.errors import Cloud66Error
from c66tui.api.models import Deployment, Stack
from c66tui.ops.deploy_state import (
    CANCELLED,
    DEPLOYING,
    QUEUED,
    DeployWatch,
    deployment_phase,
)
from c66tui.ops.redeploy.request import BASELINE_ID, describe_deployment, when

RECONCILE_WINDOW = timedelta(minutes=2)
"""Clock skew tolerated when matching deployments to a request time."""


@dataclass(frozen=True)
class ReconcileReport:
    """What a check against the deployments list found after an ambiguous write."""

    summary: str
    deployment: Deployment | None = None
    stack: Stack | None = None
    error: str | None = None

    @property
    def found(self) -> bool:
        return self.deployment is not None


def _newer(
    deployments: list[Deployment],
    since: datetime | None,
    baseline_id: int | None,
    baseline_known: bool,
) -> list[Deployment]:
    if baseline_id is not None:
        return [d for d in deployments if d.id is not None and d.id > baseline_id]
    if baseline_known:
        return [d for d in deployments if d.id is not None]
    floor = (since - RECONCILE_WINDOW) if since else None
    return [
        d
        for d in deployments
        if floor is None
        or (d.started_at is None and deployment_phase(d) == QUEUED)
        or (d.started_at is not None and d.started_at >= floor)
    ]


async def reconcile(
    services: Any,
    uid: str,
    *,
    since: datetime | None,
    baseline_id: int | None = None,
    baseline_known: bool = False,
) -> ReconcileReport:
    """Look for the deployment an ambiguous redeploy may have started.

    With a baseline (the newest deployment before sending; ``baseline_known`` with
    ``baseline_id=None`` means the stack had none) only newer deployments count;
    without one, deployments started since ``since`` (with some clock skew).
    """
    try:
        stack = await services.read(lambda api: api.get_stack(uid))
        deployments = await services.read(lambda api: api.list_deployments(uid))
    except Cloud66Error as error:
        return ReconcileReport(f"could not check the deployments: {error}", error=str(error))
    newer = _newer(deployments, since, baseline_id, baseline_known)
    if newer:
        found = min(newer, key=lambda d: d.id or 0)
        return ReconcileReport(f"found {describe_deployment(found)}", found, stack)
    since_text = f" since {when(since)}" if since else ""
    if stack.is_deploying:
        summary = (
            f"no new deployment{since_text}, but the stack is {stack.status_name}: "
            "check again in a moment"
        )
    else:
        summary = (
            f"no new deployment{since_text} (stack {stack.status_name}): the request "
            "probably did not reach Cloud 66; redeploy again if you still want it"
        )
    return ReconcileReport(summary, None, stack)


async def reconcile_cancel(services: Any, uid: str, deployment_id: Any) -> ReconcileReport:
    """Look at the deployment an ambiguous cancel was meant to stop."""
    try:
        deployments = await services.read(lambda api: api.list_deployments(uid))
    except Cloud66Error as error:
        return ReconcileReport(f"could not check the deployments: {error}", error=str(error))
    target = next((d for d in deployments if str(d.id) == str(deployment_id)), None)
    if target is None:
        return ReconcileReport(
            f"deployment #{deployment_id} is not among the recent deployments; "
            "check the stack's deployments"
        )
    phase = deployment_phase(target)
    if phase == CANCELLED:
        summary = f"deployment #{target.id} was cancelled"
    elif phase in (QUEUED, DEPLOYING):
        summary = (
            f"deployment #{target.id} is still {phase}: the cancel may not have reached "
            "Cloud 66, or it is still stopping; watch it, and cancel again if you still "
            "want it stopped"
        )
    else:
        summary = f"deployment #{target.id} ended {phase}, not cancelled"
    return ReconcileReport(summary, target)


async def check_entry(services: Any, entry: Any) -> ReconcileReport | None:
    """Check a journal entry of a redeploy or cancel against the deployments list
    (``None`` for other kinds of entry)."""
    if not entry.stack_uid:
        return None
    if entry.kind == "redeploy":
        known = BASELINE_ID in entry.params
        baseline = entry.params.get(BASELINE_ID) if known else None
        if known and not (baseline is None or isinstance(baseline, int)):
            known, baseline = False, None  # a hand-edited journal: fall back to time
        return await reconcile(
            services,
            entry.stack_uid,
            since=entry.started_at,
            baseline_id=baseline,
            baseline_known=known,
        )
    if entry.kind == "cancel":
        deployment_id = entry.params.get("deployment_id")
        if deployment_id is None:
            return ReconcileReport("no deployment was recorded; check the stack by hand")
        return await reconcile_cancel(services, entry.stack_uid, deployment_id)
    return None


def settled_outcome(entry: Any, report: ReconcileReport | None) -> tuple[str, str] | None:
    """The outcome a check proved for an unresolved redeploy or cancel entry, as
    ``(outcome, detail)`` for the journal; ``None`` while it is still unknown."""
    if report is None or report.deployment is None:
        return None
    if entry.kind == "redeploy":
        return "ok", f"the request reached Cloud 66 (checked later): {report.summary}"
    if entry.kind == "cancel" and deployment_phase(report.deployment) == CANCELLED:
        return "ok", f"checked later: {report.summary}"
    return None


def watch_if_running(
    book: Any,
    deployment: Deployment | None,
    *,
    uid: str,
    name: str,
    environment: str = "",
    requested_at: datetime | None = None,
) -> bool:
    """Watch ``deployment`` of stack ``uid`` (found by a check after a lost answer) only
    while it is still queued or deploying, unless that stack is watched already; one that
    ended or was cancelled is not watched. Returns whether it is still running."""
    if deployment is None or deployment_phase(deployment) not in (QUEUED, DEPLOYING):
        return False
    if uid not in book:
        book.add(
            DeployWatch(
                uid,
                name,
                environment,
                requested_at=requested_at,
                deployment_id=deployment.id,
            )
        )
    return True
