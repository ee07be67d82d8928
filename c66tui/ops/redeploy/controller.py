"""Sending a redeploy or a cancel: :class:`RedeployController`.

The controller adds what is particular to a deploy to the write engine
(:mod:`c66tui.ops.write_engine`, which journals first, sends once, classifies and records):

1. a *claim* per stack, taken synchronously on the key press (:meth:`~RedeployController.claim`),
   so a second press, key auto-repeat or a stray key from a split escape sequence finds
   the stack claimed while its dialog is open; a short cool-down after a send swallows a
   late double press too;
2. a fresh look at the stack right before sending (:meth:`~RedeployController.preflight`),
   whose newest deployment becomes the journalled baseline;
3. how Cloud 66's answer reads (accepted, queued behind a running deploy, refused) and,
   when the answer was lost, the check against the deployments list
   (:mod:`c66tui.ops.redeploy.checks`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from c66tui.api.errors import AuthenticationError, Cloud66Error, MissingScopeError
from c66tui.api.models import Deployment, RedeployResult, Stack
from c66tui.ops.redeploy.checks import (
    ReconcileReport,
    check_entry,
    reconcile,
    reconcile_cancel,
)
from c66tui.ops.redeploy.request import Preflight, RedeployRequest
from c66tui.ops.write_engine import WriteEngine
from c66tui.ops.write_plan import NOT_SENT, Check, Delivery, Verdict, WritePlan
from c66tui.text import sanitize

if TYPE_CHECKING:
    from c66tui.ops.services import AppServices

COOLDOWN_SECONDS = 3.0
"""After a redeploy was sent, the same stack's key is ignored this long."""


def redeploy_key(uid: str) -> str:
    """The single-flight key of a stack's redeploy."""
    return f"redeploy:{uid}"


def cancel_key(uid: str) -> str:
    """The single-flight key of a stack's deploy cancellation."""
    return f"cancel:{uid}"


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

    @classmethod
    def of(cls, done: Delivery) -> SendOutcome:
        """The outcome of a delivery from the write engine."""
        return cls(
            "skipped" if done.outcome == NOT_SENT else done.outcome,
            done.message,
            done.entry_id,
            result=done.answer if isinstance(done.answer, RedeployResult) else None,
            sent_at=done.sent_at,
            reconcile=done.check.report if done.check is not None else None,
            error=done.error,
        )


def refusal(error: Cloud66Error) -> str:
    """A refused redeploy or cancel in words."""
    if isinstance(error, AuthenticationError):
        return "not sent: the login is no longer valid; log in again and retry"
    if isinstance(error, MissingScopeError):
        return "refused: the token lacks the 'redeploy' scope; log in again and grant it"
    text = sanitize(str(error))
    if error.status:
        return f"refused by Cloud 66 ({error.status}): {text}"
    return f"failed: {text}"


def judge_redeploy(result: RedeployResult) -> Verdict:
    """How Cloud 66's answer to a redeploy reads."""
    if not result.ok:
        return Verdict("failed", sanitize(result.message) or "Cloud 66 refused the redeploy")
    message = sanitize(result.message) or "redeploy accepted"
    if result.queued:
        message += " (queued behind the running deploy)"
    detail = message
    if result.async_action_id is not None:
        detail += f"; action #{result.async_action_id}"
    return Verdict("ok", detail, message=message)


def judge_cancel(answer: Any) -> Verdict:
    """How Cloud 66's answer to a cancel reads."""
    message = sanitize(answer.get("message") if isinstance(answer, dict) else "")
    return Verdict("ok", message or "cancelling the deployment")


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
        self.engine = WriteEngine(services)
        self._monotonic = monotonic
        self.cooldown = cooldown
        self._claimed: set[tuple[str, str]] = set()
        self._cooling: dict[tuple[str, str], float] = {}

    # -- claims -------------------------------------------------------------------

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
        return self.engine.in_flight

    # -- reads --------------------------------------------------------------------

    async def preflight(self, uid: str) -> Preflight:
        """The stack and its first page of deployments, fetched now."""
        stack = await self.services.read(lambda api: api.get_stack(uid))
        deployments = await self.services.read(lambda api: api.list_deployments(uid))
        return Preflight(stack, deployments)

    async def reconcile(self, uid: str, **options: Any) -> ReconcileReport:
        """:func:`c66tui.ops.redeploy.checks.reconcile` for this session."""
        return await reconcile(self.services, uid, **options)

    async def reconcile_cancel(self, uid: str, deployment_id: Any) -> ReconcileReport:
        """:func:`c66tui.ops.redeploy.checks.reconcile_cancel` for this session."""
        return await reconcile_cancel(self.services, uid, deployment_id)

    async def check_entry(self, entry: Any) -> ReconcileReport | None:
        """:func:`c66tui.ops.redeploy.checks.check_entry` for this session."""
        return await check_entry(self.services, entry)

    # -- writes -------------------------------------------------------------------

    def _plan(self, kind: str, stack: Stack, params: dict[str, Any], **parts: Any) -> WritePlan:
        account = getattr(self.services, "account_email", "") or stack.account_name
        key = redeploy_key(stack.uid) if kind == "redeploy" else cancel_key(stack.uid)
        return WritePlan(
            kind=kind,
            flight_key=key,
            stack=stack,
            params={"environment": stack.environment, **params},
            account=account,
            refusal=refusal,
            **parts,
        )

    async def _send(self, kind: str, uid: str, plan: WritePlan) -> SendOutcome:
        try:
            outcome = SendOutcome.of(await self.engine.write(plan))
        finally:
            self.release(uid, kind)
        if outcome.status in ("ok", "unknown"):
            self._cooling[(kind, uid)] = self._monotonic() + self.cooldown
        return outcome

    async def redeploy(
        self,
        stack: Stack,
        request: RedeployRequest,
        *,
        preflight: Preflight | None = None,
    ) -> SendOutcome:
        """Send one redeploy of ``stack`` (the caller has confirmed and claimed it)."""
        params = request.params()
        if preflight is not None:
            params.update(preflight.baseline_params())
        baseline = preflight.baseline_id if preflight is not None else None

        async def check(sent_at: datetime) -> Check:
            report = await self.reconcile(
                stack.uid,
                since=sent_at,
                baseline_id=baseline,
                baseline_known=preflight is not None,
            )
            return Check(report.summary, report)

        plan = self._plan(
            "redeploy",
            stack,
            params,
            busy="a redeploy of this stack is already being sent",
            send=lambda api: api.redeploy(
                stack.uid,
                git_ref=request.git_ref or None,
                services=list(request.services) or None,
            ),
            judge=judge_redeploy,
            check=check,
        )
        return await self._send("redeploy", stack.uid, plan)

    async def cancel(self, stack: Stack, deployment: Deployment) -> SendOutcome:
        """Cancel a running or queued deployment (the caller has confirmed)."""

        async def check(_sent_at: datetime) -> Check:
            report = await self.reconcile_cancel(stack.uid, deployment.id)
            return Check(report.summary, report)

        plan = self._plan(
            "cancel",
            stack,
            {"deployment_id": deployment.id},
            busy="a cancel of this deploy is already being sent",
            send=lambda api: api.cancel_deployment(stack.uid, deployment.id),
            judge=judge_cancel,
            check=check,
        )
        return await self._send("cancel", stack.uid, plan)


def controller_for(services: AppServices) -> RedeployController:
    """The app-wide redeploy controller (a field of the services, made on first use)."""
    if services.redeploy_controller is None:
        services.redeploy_controller = RedeployController(services)
    return services.redeploy_controller


def journal_checks_for(services: AppServices) -> dict[str, str]:
    """Journal entry id -> what a check against the deployments found (app-wide)."""
    return services.journal_checks
