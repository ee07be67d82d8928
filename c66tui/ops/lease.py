"""Open a temporary firewall lease for this machine's address, journalled like every write.

The lease is a write through the write engine (:mod:`c66tui.ops.write_engine`): its
intent is journalled (kind ``lease``) before it is sent, one lease per stack is in flight
at a time, it is sent once and never retried, and how it ended is journalled too. The resource API
(``/api/3``) answers with an ``open_lease`` action, followed until it finishes as the
official library does (every 2 s, 5 minutes at most); the legacy API (``/api/2``) answers
at once with ``ok`` and a message. An answer lost after sending is recorded as "outcome
unknown" and reported; it is not sent again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from c66tui.api.errors import Cloud66Error
from c66tui.api.models import Action, Stack
from c66tui.ops.write_engine import WriteEngine
from c66tui.ops.write_plan import NOT_SENT, Verdict, WritePlan, WriteServices, finished_verdict
from c66tui.text import sanitize

DEFAULT_MINUTES = 20
MAX_MINUTES = 240
POLL_SECONDS = 2.0
FOLLOW_SECONDS = 300.0


@dataclass(frozen=True)
class LeaseRequest:
    """What to open: ``port`` for ``minutes`` from ``from_ip`` (``AUTO``: our address)."""

    stack_uid: str
    stack_name: str
    port: int = 22
    minutes: int = DEFAULT_MINUTES
    from_ip: str = "AUTO"
    server_uid: str = ""

    def params(self) -> dict[str, Any]:
        """The journal's record of the request."""
        return {
            "port": self.port,
            "minutes": self.minutes,
            "from_ip": self.from_ip,
            "server_uid": self.server_uid,
        }


@dataclass(frozen=True)
class LeaseResult:
    """How the lease ended: ``ok``, ``failed``, ``unknown`` or ``not_sent`` (one for the
    same stack already in flight), with Cloud 66's words."""

    outcome: str
    message: str
    entry_id: str = ""
    error: Cloud66Error | None = None
    """The API error that made the lease fail (a 403, a refused connection), if any."""

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def check_minutes(value: object) -> int:
    """A lease length in minutes (1-240, as the toolbelt allows); ValueError otherwise."""
    try:
        minutes = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a number of minutes") from None
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValueError(f"a lease lasts 1 to {MAX_MINUTES} minutes, not {minutes}")
    return minutes


async def open_lease(
    services: WriteServices,
    request: LeaseRequest,
    *,
    on_step: Callable[[str], None] | None = None,
    poll_seconds: float = POLL_SECONDS,
) -> LeaseResult:
    """Journal, send and follow one lease. Raises ``Cloud66Error`` only for failures that
    happened before anything was sent; after sending, every ending is a :class:`LeaseResult`.

    A journal that cannot be written (a full disk) means nothing is sent: ``OSError``.
    """
    say = on_step or (lambda _text: None)
    engine = WriteEngine(services)
    plan = WritePlan(
        kind="lease",
        flight_key=f"lease:{request.stack_uid}",
        stack=Stack(uid=request.stack_uid, name=request.stack_name),
        send=lambda api: api.open_lease(
            request.stack_uid,
            minutes=request.minutes,
            from_ip=request.from_ip,
            port=request.port,
            server_uid=request.server_uid,
        ),
        params=request.params(),
        busy="a lease for this stack is already being opened",
        judge=judge_lease,
    )
    sent = await engine.write(plan)
    if sent.outcome == NOT_SENT and sent.message != plan.busy:
        raise sent.store_error or OSError(sent.message)
    if sent.follow is not None:
        action = sent.follow
        say(f"Cloud 66 is opening the firewall (action {action.id})…")

        async def wait(action_id: int) -> Action:
            return await services.api.wait_for_action(
                request.stack_uid,
                action_id,
                interval=poll_seconds,
                max_interval=poll_seconds,
                timeout=FOLLOW_SECONDS,
            )

        await engine.follow(plan, sent, wait, action)
    error = sent.error if sent.outcome == "failed" else None
    return LeaseResult(
        sent.outcome,
        sanitize(sent.message),
        sent.entry_id or "",
        error if isinstance(error, Cloud66Error) else None,
    )


def judge_lease(answer: Any) -> Verdict:
    """How Cloud 66's answer to a lease reads: ``/api/3`` gives an action (followed while
    running), ``/api/2`` ``ok`` and a message."""
    if isinstance(answer, Action):
        if answer.id is not None and not answer.is_finished:
            return Verdict("ok", follow=answer)
        if answer.is_finished:
            return finished_verdict(answer)
        return Verdict("ok", "lease opened")
    data = answer if isinstance(answer, dict) else {}
    message = str(data.get("message") or "")
    if data.get("ok") is False:
        return Verdict("failed", message or "Cloud 66 refused the lease")
    return Verdict("ok", message or "lease opened")
