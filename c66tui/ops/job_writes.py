"""Running, pausing and resuming a job, done safely (no widgets here).

:class:`JobWrites` is what the jobs screen and the ``c66tui jobs run|pause|resume``
commands call. It describes each write to the write engine (:mod:`c66tui.ops.write_engine`:
single flight on ``job:<uid>``, journal first, one request with its request id, shielded
from cancellation, outcome recorded, a lost answer checked and never resent) and adds
what is particular to a job:

- the stack's newest action id is journalled as the baseline, and a run is also written
  to the job's local history before it is sent (:mod:`c66tui.ops.job_history`);
- a lost answer is looked for among the newer actions (:func:`find_job_action`) and,
  when found, followed;
- the async action is followed to its end (a run only when asked) and recorded.

The caller hears about it through hooks: ``on_changed()`` when the job's shown state may
have changed (the intent is recorded, or the answer was lost and is being checked),
``on_record(outcome, message, quiet)`` after each record (``quiet`` while being
cancelled, or for the first "unknown" before the check), ``on_progress(text)`` when an
action starts being followed and ``on_store_error(error)`` when the outcome could not be
written locally.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from c66tui.api.errors import MissingScopeError
from c66tui.api.models import Action, Job, Stack
from c66tui.ops import clock
from c66tui.ops.job_history import JobHistory
from c66tui.ops.job_reconcile import (
    PAUSE_ACTION,
    RUN_ACTION,
    find_job_action,
    newest_action_id,
    recorded_action_ids,
)
from c66tui.ops.write_engine import WriteEngine
from c66tui.ops.write_plan import NOT_SENT, Check, Delivery, Verdict, WritePlan

BUSY = "a request for this job is already in flight"


def job_key(job_uid: str) -> str:
    """The single-flight key of every write to one job."""
    return f"job:{job_uid}"


@dataclass
class JobWriteOutcome:
    """How a job write ended.

    ``outcome`` is ``ok``, ``failed``, ``unknown`` or ``not_sent``; ``action`` the async
    action Cloud 66 gave (or the one found after a lost answer), ``request_id`` the
    journalled ``Request-Id``; ``refusal`` the 403 when Cloud 66 refused it.
    """

    outcome: str
    message: str
    action: Action | None = None
    entry_id: str | None = None
    request_id: str = ""
    run_id: str = ""
    followed: bool = False
    refusal: MissingScopeError | None = None
    store_error: OSError | None = None
    baseline: dict[str, int | None] | None = None  # journalled; {} when it could not be read

    def take(self, done: Delivery) -> JobWriteOutcome:
        """Copy what the engine's delivery says into this outcome."""
        self.outcome, self.message = done.outcome, done.message
        self.entry_id, self.request_id = done.entry_id, done.request_id
        self.store_error = done.store_error or self.store_error
        if isinstance(done.error, MissingScopeError):
            self.refusal = done.error
        return self


def refused_pause(error: Any) -> str:
    """A refused pause or resume in words (a missing scope says so)."""
    return f"refused: {error.message}" if isinstance(error, MissingScopeError) else error.message


class JobWrites:
    """Sends job writes for ``services`` and records them (see the module docstring)."""

    def __init__(
        self,
        services: Any,
        history: JobHistory,
        *,
        poll_interval: float = 2.0,
        poll_max: float = 10.0,
        follow_timeout: float = 1800.0,
        on_changed: Callable[[], None] | None = None,
        on_record: Callable[[str, str, bool], None] | None = None,
        on_progress: Callable[[str], None] | None = None,
        on_store_error: Callable[[OSError], None] | None = None,
    ) -> None:
        self.services = services
        self.history = history
        self.poll_interval = poll_interval
        self.poll_max = poll_max
        self.follow_timeout = follow_timeout
        self.on_changed = on_changed or (lambda: None)
        self.on_record = on_record or (lambda _outcome, _message, _quiet: None)
        self.on_progress = on_progress or (lambda _text: None)
        self.engine = WriteEngine(services, on_store_error=on_store_error)

    async def _wait(self, stack: Stack, action_id: int) -> Action:
        self.on_progress(f"following action {action_id} until it finishes")
        return await self.services.read(
            lambda api: api.wait_for_action(
                stack.uid,
                action_id,
                interval=self.poll_interval,
                max_interval=self.poll_max,
                timeout=self.follow_timeout,
            )
        )

    def _plan(self, kind: str, job: Job, stack: Stack, done: JobWriteOutcome, **parts) -> WritePlan:
        params = {"job_uid": job.uid, "job_name": job.name, **parts.pop("params", {})}
        return WritePlan(
            kind=kind,
            flight_key=job_key(job.uid),
            stack=stack,
            params={**params, **(done.baseline or {})},
            account=stack.account_name,
            busy=BUSY,
            told=lambda v: self.on_record(v.outcome, v.shown, v.quiet),
            **parts,
        )

    async def _find(
        self, kind: str, job: Job, stack: Stack, since: datetime, done: JobWriteOutcome, **kw
    ) -> Check:
        """Look for the action of a write whose answer was lost."""
        self.on_changed()
        taken: set[int] = set()
        if kind == RUN_ACTION:  # actions the history gives to other runs of this job
            taken = await asyncio.to_thread(
                recorded_action_ids, self.history, job.uid, besides=done.run_id
            )
        found = await find_job_action(
            self.services,
            stack.uid,
            kind=kind,
            job_uid=job.uid,
            job_name=job.name,
            since=since,
            taken=taken,
            baseline=done.baseline,
            **kw,
        )
        if found.action is not None:
            done.action = found.action
            if kind == RUN_ACTION:
                with contextlib.suppress(OSError):  # the final record carries the id as well
                    self.history.note_action(job.uid, done.run_id, found.action.id)
        return Check(found.summary, found, follow=found.action)

    async def _follow(
        self, plan: WritePlan, sent: Delivery, done: JobWriteOutcome, stack: Stack, note: str
    ) -> JobWriteOutcome:
        """Follow the action the engine left to follow (given, or found after a loss)."""
        action = sent.follow
        if action is not None:
            note = f" (action {action.id}, {note})" if sent.check is not None else ""
            final = await self.engine.follow(
                plan, sent, functools.partial(self._wait, stack), action, note
            )
            done.action = final or action
            done.followed = final is not None
        return done.take(sent)

    # -- run now ------------------------------------------------------------------

    async def run(self, job: Job, stack: Stack, args: str = "", *, follow: bool = True):
        """Run ``job`` now (once); follow its action when ``follow``."""
        if self.services.is_in_flight(job_key(job.uid)):
            return JobWriteOutcome(NOT_SENT, BUSY)
        done = JobWriteOutcome("unknown", "", run_id=JobHistory.new_run_id())
        done.baseline = await newest_action_id(self.services, stack.uid)

        def prepare() -> None:
            self.history.start(
                profile=self.services.profile_name,
                stack_uid=stack.uid,
                stack_name=stack.name,
                job_uid=job.uid,
                job_name=job.name,
                args=args,
                now=clock.now(),
                run_id=done.run_id,
            )
            self.on_changed()

        def judge(action: Action) -> Verdict:
            done.action = action
            with contextlib.suppress(OSError):  # the final record carries the id as well
                self.history.note_action(job.uid, done.run_id, action.id)
            if action.id is None:
                return Verdict("unknown", "Cloud 66 accepted the run but gave no action to follow.")
            if follow:
                return Verdict("ok", follow=action)
            # The request was accepted (journal: ok); how the run ends is not known here.
            text = f"Started as action {action.id} (not followed)."
            return Verdict("ok", text, local="unknown", action_id=action.id)

        def store(verdict: Verdict) -> None:
            outcome = verdict.local or verdict.outcome
            self.history.finish(
                job.uid, done.run_id, outcome, verdict.detail, action_id=verdict.action_id
            )

        plan = self._plan(
            "job_run",
            job,
            stack,
            done,
            params={"args": args, "run_id": done.run_id},
            send=lambda api: api.run_job(stack.uid, job.uid, args or None),
            prepare=prepare,
            judge=judge,
            check=lambda since: self._find(RUN_ACTION, job, stack, since, done),
            unfollowed=lambda action: Verdict(
                "unknown", f"Started as action {action.id}; the app stopped following it."
            ),
            store=store,
        )
        sent = await self.engine.write(plan)
        note = "found after the answer was lost; not sent again"
        return await self._follow(plan, sent, done, stack, note)

    # -- pause / resume -----------------------------------------------------------

    async def set_paused(self, job: Job, stack: Stack, pause: bool):
        """Pause (or resume) ``job`` once and follow the action to its end."""
        if self.services.is_in_flight(job_key(job.uid)):
            return JobWriteOutcome(NOT_SENT, BUSY)
        done = JobWriteOutcome("unknown", "")
        done.baseline = await newest_action_id(self.services, stack.uid)
        call = "pause_job" if pause else "resume_job"

        def judge(action: Action) -> Verdict:
            done.action = action
            return Verdict("ok", follow=action)

        plan = self._plan(
            "job_pause" if pause else "job_resume",
            job,
            stack,
            done,
            send=lambda api: getattr(api, call)(stack.uid, job.uid),
            prepare=self.on_changed,
            judge=judge,
            refusal=refused_pause,
            check=lambda since: self._find(PAUSE_ACTION, job, stack, since, done, paused=pause),
        )
        sent = await self.engine.write(plan)
        return await self._follow(plan, sent, done, stack, "found after the answer was lost")
