"""Running, pausing and resuming a job, done safely (no widgets here).

:class:`JobWrites` is what the ``c66tui jobs run|pause|resume`` commands use. For each
write it:

1. holds the single-flight key ``job:<uid>`` (a second request for the same job from
   this process is refused, never queued);
2. writes the intent to the journal (``job_run``, ``job_pause``, ``job_resume``) and, for
   a run, to the job's local history *before* the POST; if that fails nothing is sent;
3. sends exactly once, with the journalled request id, shielded from cancellation (a
   cancelled caller cannot un-send a request; a late answer is still recorded);
4. when the answer is lost (:class:`OutcomeUnknownError`) records "unknown" at once and
   looks for the write among the stack's actions (:func:`find_job_action`); it is never
   resent;
5. optionally follows the async action to its outcome and records that outcome in the
   journal and the history.

``on_record(outcome, message)`` is called after each record, ``on_progress(text)`` when
an action starts being followed (a caller shows progress).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from c66tui.api.errors import (
    ActionTimeoutError,
    Cloud66Error,
    MissingScopeError,
    OutcomeUnknownError,
)
from c66tui.api.models import Action, Job, Stack
from c66tui.api.transport.request_ids import new_request_id, sending_with
from c66tui.ops import clock
from c66tui.ops.job_history import JobHistory
from c66tui.ops.job_reconcile import (
    PAUSE_ACTION,
    RUN_ACTION,
    find_job_action,
    recorded_action_ids,
)
from c66tui.ops.redeploy import unknown_detail

Recorder = Callable[[str, str], None]


def job_key(job_uid: str) -> str:
    """The single-flight key of every write to one job."""
    return f"job:{job_uid}"


@dataclass
class JobWriteOutcome:
    """How a job write ended.

    ``outcome`` is ``ok``, ``failed``, ``unknown`` or ``not_sent``; ``action`` the async
    action Cloud 66 gave (or the one found after a lost answer), ``request_id`` the
    journalled ``Request-Id``; ``refusal`` the 403 when Cloud 66 refused for a scope.
    """

    outcome: str
    message: str
    action: Action | None = None
    entry_id: str | None = None
    request_id: str = ""
    run_id: str = ""
    followed: bool = False
    refusal: MissingScopeError | None = None


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
        on_record: Recorder | None = None,
        on_progress: Callable[[str], None] | None = None,
    ) -> None:
        self.services = services
        self.history = history
        self.poll_interval = poll_interval
        self.poll_max = poll_max
        self.follow_timeout = follow_timeout
        self.on_record = on_record or (lambda _outcome, _message: None)
        self.on_progress = on_progress or (lambda _text: None)

    # -- run now ------------------------------------------------------------------

    async def run(self, job: Job, stack: Stack, args: str = "", *, follow: bool = True):
        """Run ``job`` now (once); follow its action when ``follow``."""
        key = job_key(job.uid)
        if self.services.is_in_flight(key):
            return JobWriteOutcome("not_sent", "a request for this job is already in flight")
        async with self.services.single_flight(key):
            return await self._send_run(job, stack, args, follow)

    async def _send_run(self, job: Job, stack: Stack, args: str, follow: bool):
        services = self.services
        request_id = new_request_id()
        run_id = JobHistory.new_run_id()
        try:
            entry = services.journal.begin(
                "job_run",
                services.profile_name,
                stack.uid,
                stack.name,
                {"job_uid": job.uid, "job_name": job.name, "args": args, "run_id": run_id},
                account=stack.account_name,
                request_id=request_id,
            )
            self.history.start(
                profile=services.profile_name,
                stack_uid=stack.uid,
                stack_name=stack.name,
                job_uid=job.uid,
                job_name=job.name,
                args=args,
                now=clock.now(),
                run_id=run_id,
            )
        except OSError as err:
            message = f"could not record the run locally ({err.strerror or err}); nothing was sent"
            return JobWriteOutcome("not_sent", message)
        done = JobWriteOutcome("unknown", "", entry_id=entry, request_id=request_id, run_id=run_id)

        def record(outcome: str, message: str, action_id: int | None = None) -> None:
            done.outcome, done.message = outcome, message
            try:
                services.journal.complete(entry, outcome, message)
                self.history.finish(job.uid, run_id, outcome, message, action_id=action_id)
            except OSError:
                pass  # the outcome is still reported to the caller
            self.on_record(outcome, message)

        sent_at = clock.now()
        with sending_with(request_id):
            post = asyncio.ensure_future(services.api.run_job(stack.uid, job.uid, args or None))
        try:
            action = await asyncio.shield(post)
        except OutcomeUnknownError as err:
            detail = unknown_detail(err)
            record("unknown", detail)
            found = await self._find(RUN_ACTION, job, stack, sent_at, besides=run_id)
            if found.action is None:
                record("unknown", f"{detail} Check: {found.summary}.")
                return done
            self.history.note_action(job.uid, run_id, found.action.id)
            done.action = found.action
            note = f" (action {found.action.id}, found after the answer was lost; not sent again)"
            if follow:
                await self._follow_run(record, done, stack, found.action, note)
            return done
        except MissingScopeError as err:
            services.note_missing_scope(err)
            done.refusal = err
            record("failed", err.message)
            return done
        except Cloud66Error as err:
            record("failed", err.message)
            return done
        done.action = action
        self.history.note_action(job.uid, run_id, action.id)
        if action.id is None:
            record("unknown", "Cloud 66 accepted the run but gave no action to follow.")
        elif follow:
            await self._follow_run(record, done, stack, action)
        else:
            record("ok", f"Started as action {action.id} (not followed).", action.id)
        return done

    async def _follow_run(
        self, record: Any, done: JobWriteOutcome, stack: Stack, action: Action, note: str = ""
    ) -> None:
        try:
            final = await self._wait(stack, action.id)
        except ActionTimeoutError:
            record("unknown", f"Still running as action {action.id}; no longer followed here.")
            return
        except Cloud66Error as err:
            record("unknown", f"Started as action {action.id}; following it failed: {err}")
            return
        done.action, done.followed = final, True
        ok = bool(final.finished_success)
        message = final.finished_message or ("Finished" if ok else "Failed")
        record("ok" if ok else "failed", message + note, final.id)

    # -- pause / resume -----------------------------------------------------------

    async def set_paused(self, job: Job, stack: Stack, pause: bool):
        """Pause (or resume) ``job`` once and follow the action to its end."""
        key = job_key(job.uid)
        if self.services.is_in_flight(key):
            return JobWriteOutcome("not_sent", "a request for this job is already in flight")
        async with self.services.single_flight(key):
            return await self._send_pause(job, stack, pause)

    async def _send_pause(self, job: Job, stack: Stack, pause: bool):
        services = self.services
        request_id = new_request_id()
        try:
            entry = services.journal.begin(
                "job_pause" if pause else "job_resume",
                services.profile_name,
                stack.uid,
                stack.name,
                {"job_uid": job.uid, "job_name": job.name},
                account=stack.account_name,
                request_id=request_id,
            )
        except OSError as err:
            message = (
                f"could not record the request locally ({err.strerror or err}); nothing was sent"
            )
            return JobWriteOutcome("not_sent", message)
        done = JobWriteOutcome("unknown", "", entry_id=entry, request_id=request_id)

        def record(outcome: str, message: str, _action_id: int | None = None) -> None:
            done.outcome, done.message = outcome, message
            try:
                services.journal.complete(entry, outcome, message)
            except OSError:
                pass
            self.on_record(outcome, message)

        call = services.api.pause_job if pause else services.api.resume_job
        sent_at = clock.now()
        with sending_with(request_id):
            post = asyncio.ensure_future(call(stack.uid, job.uid))
        try:
            action = await asyncio.shield(post)
        except OutcomeUnknownError as err:
            detail = unknown_detail(err)
            record("unknown", detail)
            found = await self._find(PAUSE_ACTION, job, stack, sent_at, paused=pause)
            if found.action is None:
                record("unknown", f"{detail} Check: {found.summary}.")
            else:
                done.action = found.action
                note = f" (action {found.action.id}, found after the answer was lost)"
                await self._follow_pause(record, done, stack, found.action, note)
            return done
        except MissingScopeError as err:
            services.note_missing_scope(err)
            done.refusal = err
            record("failed", f"refused: {err.message}")
            return done
        except Cloud66Error as err:
            record("failed", err.message)
            return done
        done.action = action
        await self._follow_pause(record, done, stack, action)
        return done

    async def _follow_pause(
        self, record: Any, done: JobWriteOutcome, stack: Stack, action: Action, note: str = ""
    ) -> None:
        if action.is_finished:
            final = action
        elif action.id is None:
            record("unknown", "Cloud 66 accepted the request but gave no action to follow.")
            return
        else:
            try:
                final = await self._wait(stack, action.id)
            except Cloud66Error as err:
                record("unknown", f"Sent as action {action.id}; following it failed: {err}")
                return
        done.action, done.followed = final, True
        if final.finished_success is False:
            record("failed", (final.finished_message or "Cloud 66 reported a failure") + note)
        else:
            record("ok", (final.finished_message or "done") + note)

    # -- shared -------------------------------------------------------------------

    async def _find(
        self,
        kind: str,
        job: Job,
        stack: Stack,
        since: datetime,
        *,
        besides: str = "",
        paused: bool | None = None,
    ):
        taken: set[int] = set()
        if kind == RUN_ACTION:
            taken = await asyncio.to_thread(
                recorded_action_ids, self.history, job.uid, besides=besides
            )
        return await find_job_action(
            self.services,
            stack.uid,
            kind=kind,
            job_uid=job.uid,
            job_name=job.name,
            since=since,
            paused=paused,
            taken=taken,
        )

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
