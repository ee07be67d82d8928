"""Redeploy and cancel, done safely (no widgets here, so it is unit-testable).

:class:`RedeployController` is the only code that sends a redeploy or a cancel. For each
write it:

1. keeps a *single flight* per stack: :meth:`claim` is called synchronously on the key
   press, so a second press, key auto-repeat or a stray key from a split escape sequence
   finds the stack claimed and does nothing; a short cool-down after a send swallows a
   late double press too;
2. checks the stack fresh right before sending (:meth:`preflight`): if it is already
   deploying, the caller asks again, because Cloud 66 will queue another deploy;
3. writes a journal entry (with the request id the write will carry) *before* sending,
   then sends the request in a task shielded from cancellation (closing a screen or
   cancelling a worker never abandons a request that may already be on the wire) and
   completes the entry with the outcome;
4. on an ambiguous failure (timeout, reset or a 5xx answer after sending) marks the entry
   "unknown", never resends, and reconciles by listing deployments (:meth:`reconcile`
   for a redeploy, :meth:`reconcile_cancel` for a cancel).

:class:`QueueRunner` runs a redeploy over several stacks one after the other, waiting
for each deploy's outcome and stopping at the first failure.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from c66tui.api.errors import (
    AuthenticationError,
    Cloud66Error,
    MissingScopeError,
    OutcomeUnknownError,
    ServerError,
)
from c66tui.api.models import Deployment, RedeployResult, Stack
from c66tui.api.transport.request_ids import new_request_id, sending_with
from c66tui.ops import clock
from c66tui.ops.deploy_state import (
    CANCELLED,
    DEPLOYING,
    FAILED,
    QUEUED,
    SUCCESS,
    DeployWatch,
    deployment_phase,
    newest_id,
    typical_seconds,
)
from c66tui.text import sanitize

COOLDOWN_SECONDS = 3.0
"""After a redeploy was sent, the same stack's key is ignored this long."""
BASELINE_ID = "baseline_deployment_id"
"""Journal parameter: the newest deployment id before a redeploy was sent."""
BASELINE_AT = "baseline_deployment_at"
"""Journal parameter: when that deployment started."""

RECONCILE_WINDOW = timedelta(minutes=2)
"""Clock skew tolerated when matching deployments to a request time."""


def redeploy_key(uid: str) -> str:
    """The single-flight key of a stack's redeploy."""
    return f"redeploy:{uid}"


def cancel_key(uid: str) -> str:
    """The single-flight key of a stack's deploy cancellation."""
    return f"cancel:{uid}"


@dataclass(frozen=True)
class RedeployRequest:
    """What to deploy: an optional git ref and services (empty means the defaults)."""

    git_ref: str = ""
    services: tuple[str, ...] = ()

    @classmethod
    def parse(cls, git_ref: str = "", services: str = "") -> RedeployRequest:
        """From the dialog's text fields (services comma or space separated)."""
        names = tuple(s for s in services.replace(",", " ").split() if s)
        return cls(git_ref=git_ref.strip(), services=names)

    def params(self) -> dict[str, Any]:
        """Journal parameters."""
        out: dict[str, Any] = {}
        if self.git_ref:
            out["git_ref"] = self.git_ref
        if self.services:
            out["services"] = list(self.services)
        return out

    def describe(self) -> str:
        """``"ref v1.2 · services web, worker"`` or ``"default branch"``."""
        parts = [f"ref {self.git_ref}" if self.git_ref else "default branch"]
        if self.services:
            parts.append("services " + ", ".join(self.services))
        return " · ".join(parts)


@dataclass(frozen=True)
class Preflight:
    """The stack as it is right before sending, and its recent deployments."""

    stack: Stack
    deployments: list[Deployment]

    @property
    def busy(self) -> bool:
        """Whether a redeploy now would be queued behind a running deploy."""
        return self.stack.is_deploying or any(
            deployment_phase(d) in (QUEUED, DEPLOYING) for d in self.deployments[:3]
        )

    @property
    def baseline_id(self) -> int | None:
        return newest_id(self.deployments)

    def baseline_params(self) -> dict[str, Any]:
        """What the journal keeps before sending: the newest deployment seen (id and
        time; ``None`` when the stack had none), so a later check takes only newer ones."""
        newest = next((d for d in self.deployments if d.id == self.baseline_id), None)
        moment = None
        if newest is not None:
            moment = newest.started_at or getattr(newest, "created_at", None)
        return {
            BASELINE_ID: self.baseline_id,
            BASELINE_AT: moment.isoformat() if isinstance(moment, datetime) else None,
        }

    @property
    def typical(self) -> float | None:
        return typical_seconds(self.deployments)


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


@dataclass(frozen=True)
class SendOutcome:
    """How a redeploy or cancel request ended.

    ``status`` is ``"ok"`` (accepted), ``"failed"`` (refused; nothing happened),
    ``"unknown"`` (sent, answer lost: see ``reconcile``) or ``"skipped"`` (not sent).
    """

    status: str
    message: str
    entry_id: str | None = None
    result: RedeployResult | None = None
    sent_at: datetime | None = None
    reconcile: ReconcileReport | None = None
    error: Exception | None = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%H:%M:%S UTC") if moment else "?"


def describe_deployment(deployment: Deployment) -> str:
    """One line about a deployment: id, state, start time, who and how (sanitised)."""
    phase = deployment_phase(deployment)
    who = sanitize(deployment.triggered_by) or "someone"
    via = sanitize(deployment.triggered_via)
    text = f"deployment #{deployment.id} ({phase}) started {_when(deployment.started_at)}"
    if phase == QUEUED:
        text = f"deployment #{deployment.id} (queued)"
    text += f" by {who}"
    if via:
        text += f" via {via}"
    return text


class RedeployController:
    """Sends redeploys and cancels for the app; see the module docstring."""

    def __init__(
        self,
        services: Any,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        cooldown: float = COOLDOWN_SECONDS,
    ) -> None:
        self.services = services
        self._monotonic = monotonic
        self.cooldown = cooldown
        self._claimed: set[tuple[str, str]] = set()
        self._cooling: dict[tuple[str, str], float] = {}
        self._tasks: set[asyncio.Task] = set()

    # -- single flight ------------------------------------------------------------

    def busy_reason(self, uid: str, kind: str = "redeploy") -> str | None:
        """Why a ``kind`` write (redeploy/cancel) on ``uid`` cannot start now."""
        key = redeploy_key(uid) if kind == "redeploy" else cancel_key(uid)
        if self.services.is_in_flight(key):
            return f"a {kind} of this stack is already being sent"
        if (kind, uid) in self._claimed:
            return f"a {kind} of this stack is already waiting for confirmation or being sent"
        until = self._cooling.get((kind, uid))
        if until is not None and self._monotonic() < until:
            return f"a {kind} of this stack was just sent"
        return None

    def claim(self, uid: str, kind: str = "redeploy") -> bool:
        """Reserve ``uid`` for one write (synchronously, on the key press)."""
        if self.busy_reason(uid, kind) is not None:
            return False
        self._claimed.add((kind, uid))
        return True

    def release(self, uid: str, kind: str = "redeploy") -> None:
        """Give the reservation back (the dialog was cancelled or the send finished)."""
        self._claimed.discard((kind, uid))

    def is_claimed(self, uid: str, kind: str = "redeploy") -> bool:
        return (kind, uid) in self._claimed

    @property
    def in_flight(self) -> bool:
        """Whether any write is on the wire right now."""
        return any(not task.done() for task in self._tasks)

    # -- reads --------------------------------------------------------------------

    async def preflight(self, uid: str) -> Preflight:
        """The stack and its first page of deployments, fetched now."""
        stack = await self.services.read(lambda api: api.get_stack(uid))
        deployments = await self.services.read(lambda api: api.list_deployments(uid))
        return Preflight(stack, deployments)

    async def reconcile(
        self,
        uid: str,
        *,
        since: datetime | None,
        baseline_id: int | None = None,
        baseline_known: bool = False,
    ) -> ReconcileReport:
        """Look for the deployment an ambiguous request may have started.

        With a baseline (the newest deployment before sending; ``baseline_known`` with
        ``baseline_id=None`` means the stack had none) only newer deployments count;
        without one, deployments started since ``since`` (with some clock skew).
        """
        try:
            stack = await self.services.read(lambda api: api.get_stack(uid))
            deployments = await self.services.read(lambda api: api.list_deployments(uid))
        except Cloud66Error as error:
            return ReconcileReport(f"could not check the deployments: {error}", error=str(error))
        if baseline_id is not None:
            newer = [d for d in deployments if d.id is not None and d.id > baseline_id]
        elif baseline_known:
            newer = [d for d in deployments if d.id is not None]
        else:
            floor = (since - RECONCILE_WINDOW) if since else None
            newer = [
                d
                for d in deployments
                if floor is None
                or (d.started_at is None and deployment_phase(d) == QUEUED)
                or (d.started_at is not None and d.started_at >= floor)
            ]
        if newer:
            found = min(newer, key=lambda d: d.id or 0)
            return ReconcileReport(f"found {describe_deployment(found)}", found, stack)
        when = f" since {_when(since)}" if since else ""
        if stack.is_deploying:
            summary = (
                f"no new deployment{when}, but the stack is {stack.status_name}: "
                "check again in a moment"
            )
        else:
            summary = (
                f"no new deployment{when} (stack {stack.status_name}): the request "
                "probably did not reach Cloud 66; redeploy again if you still want it"
            )
        return ReconcileReport(summary, None, stack)

    async def reconcile_cancel(self, uid: str, deployment_id: Any) -> ReconcileReport:
        """Look at the deployment an ambiguous cancel was meant to stop."""
        try:
            deployments = await self.services.read(lambda api: api.list_deployments(uid))
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

    async def check_entry(self, entry: Any) -> ReconcileReport | None:
        """Check a journal entry of a redeploy or cancel against the deployments list
        (``None`` for other kinds of entry)."""
        if not entry.stack_uid:
            return None
        if entry.kind == "redeploy":
            known = BASELINE_ID in entry.params
            baseline = entry.params.get(BASELINE_ID) if known else None
            if known and not (baseline is None or isinstance(baseline, int)):
                known, baseline = False, None  # a hand-edited journal: fall back to time
            return await self.reconcile(
                entry.stack_uid,
                since=entry.started_at,
                baseline_id=baseline,
                baseline_known=known,
            )
        if entry.kind == "cancel":
            deployment_id = entry.params.get("deployment_id")
            if deployment_id is None:
                return ReconcileReport("no deployment was recorded; check the stack by hand")
            return await self.reconcile_cancel(entry.stack_uid, deployment_id)
        return None

    # -- writes -------------------------------------------------------------------

    def _journal_begin(
        self, kind: str, stack: Stack, params: dict[str, Any], request_id: str
    ) -> str | None:
        journal = self.services.journal
        return journal.begin(
            kind,
            self.services.profile_name,
            stack.uid,
            stack.name,
            {"environment": stack.environment, **params},
            account=getattr(self.services, "account_email", "") or stack.account_name,
            request_id=request_id,
        )

    def _journal_complete(self, entry_id: str | None, outcome: str, detail: str) -> None:
        if entry_id is None:
            return
        try:
            self.services.journal.complete(entry_id, outcome, detail)
        except OSError:
            pass  # the request's outcome is shown on screen either way

    def _shielded(self, coro: Awaitable[SendOutcome]) -> Awaitable[SendOutcome]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return asyncio.shield(task)

    async def redeploy(
        self,
        stack: Stack,
        request: RedeployRequest,
        *,
        preflight: Preflight | None = None,
    ) -> SendOutcome:
        """Send one redeploy of ``stack`` (the caller has confirmed and claimed it)."""
        key = redeploy_key(stack.uid)
        try:
            if self.services.is_in_flight(key):
                return SendOutcome("skipped", "a redeploy of this stack is already being sent")
            async with self.services.single_flight(key):
                request_id = new_request_id()
                params = request.params()
                if preflight is not None:
                    params.update(preflight.baseline_params())
                try:
                    entry_id = await asyncio.to_thread(
                        self._journal_begin, "redeploy", stack, params, request_id
                    )
                except (OSError, ValueError) as error:
                    return SendOutcome(
                        "skipped", f"not sent: the journal could not be written ({error})"
                    )
                sent_at = clock.now()
                baseline = preflight.baseline_id if preflight else None
                outcome = await self._shielded(
                    self._send_redeploy(
                        stack,
                        request,
                        entry_id,
                        sent_at,
                        baseline,
                        request_id,
                        baseline_known=preflight is not None,
                    )
                )
        finally:
            self.release(stack.uid)
        if outcome.status in ("ok", "unknown"):
            self._cooling[("redeploy", stack.uid)] = self._monotonic() + self.cooldown
        return outcome

    async def _send_redeploy(
        self,
        stack: Stack,
        request: RedeployRequest,
        entry_id: str | None,
        sent_at: datetime,
        baseline: int | None,
        request_id: str,
        *,
        baseline_known: bool = False,
    ) -> SendOutcome:
        api = self.services.api
        try:
            with sending_with(request_id):
                result: RedeployResult = await api.redeploy(
                    stack.uid,
                    git_ref=request.git_ref or None,
                    services=list(request.services) or None,
                )
        except OutcomeUnknownError as error:
            detail = unknown_detail(error)
            self._journal_complete(entry_id, "unknown", detail)
            report = await self.reconcile(
                stack.uid, since=sent_at, baseline_id=baseline, baseline_known=baseline_known
            )
            self._journal_complete_detail(entry_id, detail, report)
            return SendOutcome(
                "unknown", detail, entry_id, sent_at=sent_at, reconcile=report, error=error
            )
        except asyncio.CancelledError:
            self._journal_complete(entry_id, "unknown", "interrupted while sending")
            raise
        except Cloud66Error as error:
            if isinstance(error, MissingScopeError):
                self.services.note_missing_scope(error)
            message = _refusal(error)
            self._journal_complete(entry_id, "failed", message)
            return SendOutcome("failed", message, entry_id, sent_at=sent_at, error=error)
        if not result.ok:
            message = sanitize(result.message) or "Cloud 66 refused the redeploy"
            self._journal_complete(entry_id, "failed", message)
            return SendOutcome("failed", message, entry_id, result=result, sent_at=sent_at)
        message = sanitize(result.message) or "redeploy accepted"
        if result.queued:
            message += " (queued behind the running deploy)"
        detail = message
        if result.async_action_id is not None:
            detail += f"; action #{result.async_action_id}"
        self._journal_complete(entry_id, "ok", detail)
        return SendOutcome("ok", message, entry_id, result=result, sent_at=sent_at)

    def _journal_complete_detail(
        self, entry_id: str | None, detail: str, report: ReconcileReport
    ) -> None:
        """Add what the check found to an "unknown" entry (a second record wins)."""
        self._journal_complete(entry_id, "unknown", f"{detail}; check: {report.summary}")

    async def cancel(self, stack: Stack, deployment: Deployment) -> SendOutcome:
        """Cancel a running or queued deployment (the caller has confirmed)."""
        key = cancel_key(stack.uid)
        try:
            if self.services.is_in_flight(key):
                return SendOutcome("skipped", "a cancel of this deploy is already being sent")
            outcome = await self._cancel_in_flight(key, stack, deployment)
        finally:
            self.release(stack.uid, "cancel")
        if outcome.status in ("ok", "unknown"):
            self._cooling[("cancel", stack.uid)] = self._monotonic() + self.cooldown
        return outcome

    async def _cancel_in_flight(
        self, key: str, stack: Stack, deployment: Deployment
    ) -> SendOutcome:
        async with self.services.single_flight(key):
            request_id = new_request_id()
            try:
                entry_id = await asyncio.to_thread(
                    self._journal_begin,
                    "cancel",
                    stack,
                    {"deployment_id": deployment.id},
                    request_id,
                )
            except (OSError, ValueError) as error:
                return SendOutcome(
                    "skipped", f"not sent: the journal could not be written ({error})"
                )
            return await self._shielded(self._send_cancel(stack, deployment, entry_id, request_id))

    async def _send_cancel(
        self, stack: Stack, deployment: Deployment, entry_id: str | None, request_id: str
    ) -> SendOutcome:
        sent_at = clock.now()
        try:
            with sending_with(request_id):
                answer = await self.services.api.cancel_deployment(stack.uid, deployment.id)
        except OutcomeUnknownError as error:
            detail = unknown_detail(error)
            self._journal_complete(entry_id, "unknown", detail)
            report = await self.reconcile_cancel(stack.uid, deployment.id)
            self._journal_complete_detail(entry_id, detail, report)
            return SendOutcome(
                "unknown", detail, entry_id, sent_at=sent_at, reconcile=report, error=error
            )
        except asyncio.CancelledError:
            self._journal_complete(entry_id, "unknown", "interrupted while sending")
            raise
        except Cloud66Error as error:
            if isinstance(error, MissingScopeError):
                self.services.note_missing_scope(error)
            message = _refusal(error)
            self._journal_complete(entry_id, "failed", message)
            return SendOutcome("failed", message, entry_id, sent_at=sent_at, error=error)
        message = sanitize(answer.get("message") if isinstance(answer, dict) else "")
        message = message or "cancelling the deployment"
        self._journal_complete(entry_id, "ok", message)
        return SendOutcome("ok", message, entry_id, sent_at=sent_at)


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


def unknown_reason(error: BaseException | None) -> str:
    """What made the outcome of a sent write unknown, in a few words."""
    if isinstance(error, ServerError) and error.status:
        return f"Cloud 66 answered with a server error (HTTP {error.status})"
    return "no answer arrived"


def unknown_detail(error: OutcomeUnknownError | None) -> str:
    """The journal detail (and toast text) of any sent write whose outcome is unknown
    (redeploy, cancel, job run, pause, resume): the service layer's sentence, which says
    why and that it is not known whether the write was carried out, plus that it was not
    sent again (each said once)."""
    text = sanitize(error.message) if isinstance(error, OutcomeUnknownError) else ""
    if not text:
        text = (
            f"The request was sent but {unknown_reason(error)}, so it is not known whether "
            "it was carried out."
        )
    if "not sent again" not in text.lower():
        text += " It was not sent again."
    return text


def _refusal(error: Cloud66Error) -> str:
    if isinstance(error, AuthenticationError):
        return "not sent: the login is no longer valid; log in again and retry"
    if isinstance(error, MissingScopeError):
        return "refused: the token lacks the 'redeploy' scope; log in again and grant it"
    text = sanitize(str(error))
    if error.status:
        return f"refused by Cloud 66 ({error.status}): {text}"
    return f"failed: {text}"


# -- several stacks ------------------------------------------------------------------

WAITING = "waiting"
SENDING = "sending"
SKIPPED = "skipped"
DECLINED = "not confirmed"
UNKNOWN = "outcome unknown"
REFUSED = "refused"


@dataclass
class QueueItem:
    """One stack of a redeploy queue and how far it got."""

    stack: Stack
    state: str = WAITING
    detail: str = ""

    @property
    def finished(self) -> bool:
        return self.state in (SUCCESS, FAILED, SKIPPED, DECLINED, UNKNOWN, REFUSED, "cancelled")


class QueueRunner:
    """Redeploys several stacks serially, stopping at the first one that does not succeed.

    ``confirm_busy(stack)`` is awaited when a stack is already deploying right before its
    turn (return ``False`` to stop); ``watch(preflight, outcome)`` must return a started
    :class:`DeployWatch` whose ``wait()`` resolves with the deploy's outcome (the screen's
    poller feeds it); ``on_progress(item)`` is called on every state change.
    """

    def __init__(
        self,
        controller: RedeployController,
        stacks: list[Stack],
        request: RedeployRequest,
        *,
        confirm_busy: Callable[[Stack], Awaitable[bool]],
        watch: Callable[[Preflight, SendOutcome], DeployWatch],
        on_progress: Callable[[QueueItem], None] = lambda item: None,
    ) -> None:
        self.controller = controller
        self.items = [QueueItem(stack) for stack in stacks]
        self.request = request
        self.confirm_busy = confirm_busy
        self.watch = watch
        self.on_progress = on_progress
        self.stopped_reason = ""

    def _set(self, item: QueueItem, state: str, detail: str = "") -> None:
        item.state = state
        item.detail = detail
        self.on_progress(item)

    def _stop(self, index: int, reason: str) -> None:
        self.stopped_reason = reason
        for item in self.items[index + 1 :]:
            self._set(item, SKIPPED, "not started: the queue stopped")

    async def run(self) -> list[QueueItem]:
        """Run the queue; returns the items with their final states."""
        for index, item in enumerate(self.items):
            uid = item.stack.uid
            if not self.controller.claim(uid):
                self._set(item, SKIPPED, self.controller.busy_reason(uid) or "busy")
                self._stop(index, f"{sanitize(item.stack.name)} was busy")
                break
            self._set(item, SENDING, "checking the stack")
            try:
                preflight = await self.controller.preflight(uid)
            except Cloud66Error as error:
                self.controller.release(uid)
                self._set(item, REFUSED, f"could not check the stack: {sanitize(str(error))}")
                self._stop(index, "a stack could not be checked")
                break
            if preflight.busy and not await self.confirm_busy(preflight.stack):
                self.controller.release(uid)
                self._set(item, DECLINED, "already deploying; you chose not to queue another")
                self._stop(index, "stopped at your request")
                break
            self._set(item, SENDING, "sending the redeploy")
            outcome = await self.controller.redeploy(
                preflight.stack, self.request, preflight=preflight
            )
            if outcome.status == "unknown":
                summary = outcome.reconcile.summary if outcome.reconcile else ""
                self._set(item, UNKNOWN, f"{outcome.message}; {summary}".strip("; "))
                self._stop(index, "the outcome of a redeploy is unknown")
                break
            if not outcome.ok:
                self._set(item, REFUSED, outcome.message)
                self._stop(index, "a redeploy was refused")
                break
            watch = self.watch(preflight, outcome)
            self._set(item, watch.phase, outcome.message)
            try:
                finished = await watch.wait()
            except asyncio.CancelledError:
                self._set(item, SKIPPED, "stopped watching")
                self._stop(index, "the watch was closed")
                raise
            self._set(item, finished.phase, finished.note)
            if finished.phase != SUCCESS:
                self._stop(index, f"{sanitize(item.stack.name)} did not deploy successfully")
                break
        return self.items


def controller_for(services: Any) -> RedeployController:
    """The app-wide redeploy controller (kept on the services object)."""
    controller = getattr(services, "redeploy_controller", None)
    if not isinstance(controller, RedeployController):
        controller = RedeployController(services)
        setattr(services, "redeploy_controller", controller)  # noqa: B010
    return controller


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


def journal_checks_for(services: Any) -> dict[str, str]:
    """Journal entry id -> what a check against the deployments found (app-wide)."""
    checks = getattr(services, "journal_checks", None)
    if not isinstance(checks, dict):
        checks = {}
        setattr(services, "journal_checks", checks)  # noqa: B010
    return checks
