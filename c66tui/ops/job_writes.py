"""Running, pausing and resuming a job, done safely (no widgets here).

:class:`JobWrites` is the only code that sends a job write; the jobs screen and the
``c66tui jobs run|pause|resume`` commands both use it. For each write it:

1. holds the single-flight key ``job:<uid>`` (a second request for the same job from
   this process is refused, never queued);
2. writes the intent, with the stack's newest action id as baseline, to the journal
   (``job_run``, ``job_pause``, ``job_resume``) and, for a run, to the job's local
   history *before* the POST; if that fails nothing is sent;
3. sends exactly once, with the journalled request id, shielded from cancellation: a
   cancelled caller cannot un-send a request, and a late answer is still recorded
   (:func:`settle_unfollowed`);
4. when the answer is lost (:class:`OutcomeUnknownError`) records "unknown" at once, then
   looks for it among the newer actions (:func:`find_job_action`), never resending it;
5. follows the async action to its outcome (a run only when asked) and records it.

The caller hears about it through hooks: ``on_changed()`` when the job's shown state may
have changed (the intent is recorded, or the answer was lost and is being checked),
``on_record(outcome, message, quiet)`` after each record (``quiet`` while being
cancelled, or for the first "unknown" before the check), ``on_progress(text)`` when an
action starts being followed and ``on_store_error(error)`` when the outcome could not be
written locally.
"""

from __future__ import annotations

import asyncio
import functools
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
    newest_action_id,
    recorded_action_ids,
)
from c66tui.ops.redeploy import unknown_detail

Record = Callable[..., None]
"""``record(outcome, message, action_id=None, *, quiet=False, run_outcome=None)``: the
journal gets ``outcome``, the run history ``run_outcome`` (default the same)."""


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


def settle_unfollowed(record: Record, post: asyncio.Future) -> None:
    """The caller was cancelled while the POST was on the wire: record how it ended."""
    if post.cancelled():
        return  # the journal entry stays pending: shown as unknown on the next start
    error = post.exception()
    try:
        if error is None:
            action = post.result()
            message = f"Sent (action {action.id}); the app stopped following it."
            record("unknown", message, quiet=True)
        elif isinstance(error, Cloud66Error) and not isinstance(error, OutcomeUnknownError):
            record("failed", error.message, quiet=True)
        else:
            lost = error if isinstance(error, OutcomeUnknownError) else None
            record("unknown", unknown_detail(lost), quiet=True)
    except Exception:  # noqa: BLE001 - the app may be closing; the journal stays pending
        pass


async def follow_pause(
    wait: Callable[[int], Any], record: Record, action: Action, note: str = ""
) -> Action | None:
    """Wait (``await wait(action_id)``) for a pause/resume action to finish and record how
    it ended; returns the finished action (``None`` when it could not be followed)."""
    if action.is_finished:
        final = action
    elif action.id is None:
        record("unknown", "Cloud 66 accepted the request but gave no action to follow.")
        return None
    else:
        try:
            final = await wait(action.id)
        except asyncio.CancelledError:
            record("unknown", f"Sent as action {action.id}; no longer followed.", quiet=True)
            raise
        except Cloud66Error as err:
            record("unknown", f"Sent as action {action.id}; following it failed: {err}")
            return None
    if final.finished_success is False:
        record("failed", (final.finished_message or "Cloud 66 reported a failure") + note)
    else:
        record("ok", (final.finished_message or "done") + note)
    return final


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
        self.on_store_error = on_store_error or (lambda _error: None)

    def _recorder(self, done: JobWriteOutcome, job: Job, *, history: bool) -> Record:
        """The ``record`` of one write: journal (and history), then the hook."""

        def record(
            outcome: str,
            message: str,
            action_id: int | None = None,
            *,
            quiet: bool = False,
            run_outcome: str | None = None,
        ) -> None:
            done.outcome, done.message = outcome, message
            try:
                self.services.journal.complete(done.entry_id, outcome, message)
                if history:
                    self.history.finish(
                        job.uid, done.run_id, run_outcome or outcome, message, action_id=action_id
                    )
            except OSError as err:
                done.store_error = err
                if not quiet:
                    self.on_store_error(err)
            self.on_record(outcome, message, quiet)

        return record

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
        done = JobWriteOutcome(
            "unknown", "", request_id=new_request_id(), run_id=JobHistory.new_run_id()
        )
        done.baseline = await newest_action_id(services, stack.uid)
        try:
            done.entry_id = services.journal.begin(
                "job_run",
                services.profile_name,
                stack.uid,
                stack.name,
                {"job_uid": job.uid, "job_name": job.name, "args": args}
                | {"run_id": done.run_id, **done.baseline},
                account=stack.account_name,
                request_id=done.request_id,
            )
            self.history.start(
                profile=services.profile_name,
                stack_uid=stack.uid,
                stack_name=stack.name,
                job_uid=job.uid,
                job_name=job.name,
                args=args,
                now=clock.now(),
                run_id=done.run_id,
            )
        except OSError as err:
            done.outcome, done.store_error = "not_sent", err
            done.message = (
                f"Could not record the run locally ({err.strerror or err}); nothing was sent."
            )
            return done
        self.on_changed()
        record = self._recorder(done, job, history=True)
        sent_at = clock.now()
        with sending_with(done.request_id):  # the task made here sends with the journalled id
            post = asyncio.ensure_future(services.api.run_job(stack.uid, job.uid, args or None))
        try:
            action = await asyncio.shield(post)
        except asyncio.CancelledError:
            post.add_done_callback(functools.partial(settle_unfollowed, record))
            raise
        except OutcomeUnknownError as err:
            await self._check_lost_run(record, done, job, stack, sent_at, unknown_detail(err))
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
        self.history.note_action(job.uid, done.run_id, action.id)
        if action.id is None:
            record("unknown", "Cloud 66 accepted the run but gave no action to follow.")
        elif follow:
            await self._follow_run(record, done, stack, action)
        else:
            # The request was accepted (journal: ok); how the run ends is not known here.
            message = f"Started as action {action.id} (not followed)."
            record("ok", message, action.id, run_outcome="unknown")
        return done

    async def _check_lost_run(
        self, record: Record, done: JobWriteOutcome, job: Job, stack: Stack, sent_at, detail
    ) -> None:
        """The run was sent but its answer lost: record "unknown" at once, then look for
        the run among the stack's actions and follow it, or say nothing was found."""
        record("unknown", detail, quiet=True)  # kept even if the app stops during the check
        self.on_changed()
        found = await self._find(RUN_ACTION, job, stack, sent_at, done)
        if found.action is None:
            record("unknown", f"{detail} Check: {found.summary}.")
            return
        self.history.note_action(job.uid, done.run_id, found.action.id)
        done.action = found.action
        note = f" (action {found.action.id}, found after the answer was lost; not sent again)"
        await self._follow_run(record, done, stack, found.action, note)

    async def _follow_run(
        self, record: Record, done: JobWriteOutcome, stack: Stack, action: Action, note=""
    ) -> None:
        try:
            final = await self._wait(stack, action.id)
        except asyncio.CancelledError:
            message = f"Started as action {action.id}; the app stopped following it."
            record("unknown", message, quiet=True)
            raise
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
        done = JobWriteOutcome("unknown", "", request_id=new_request_id())
        done.baseline = await newest_action_id(services, stack.uid)
        try:
            done.entry_id = services.journal.begin(
                "job_pause" if pause else "job_resume",
                services.profile_name,
                stack.uid,
                stack.name,
                {"job_uid": job.uid, "job_name": job.name, **done.baseline},
                account=stack.account_name,
                request_id=done.request_id,
            )
        except OSError as err:
            done.outcome, done.store_error = "not_sent", err
            done.message = (
                f"Could not record the request locally ({err.strerror or err}); nothing was sent."
            )
            return done
        self.on_changed()
        record = self._recorder(done, job, history=False)
        wait = functools.partial(self._wait, stack)
        call = services.api.pause_job if pause else services.api.resume_job
        sent_at = clock.now()
        with sending_with(done.request_id):
            post = asyncio.ensure_future(call(stack.uid, job.uid))
        try:
            action = await asyncio.shield(post)
        except asyncio.CancelledError:
            post.add_done_callback(functools.partial(settle_unfollowed, record))
            raise
        except OutcomeUnknownError as err:
            detail = unknown_detail(err)
            record("unknown", detail, quiet=True)  # kept even if the app stops now
            found = await self._find(PAUSE_ACTION, job, stack, sent_at, done, paused=pause)
            if found.action is None:
                record("unknown", f"{detail} Check: {found.summary}.")
            else:
                done.action = found.action
                note = f" (action {found.action.id}, found after the answer was lost)"
                done.action = await follow_pause(wait, record, found.action, note) or done.action
                done.followed = done.outcome != "unknown"
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
        done.action = await follow_pause(wait, record, action) or action
        done.followed = done.outcome != "unknown"
        return done

    # -- shared -------------------------------------------------------------------

    async def _find(
        self,
        kind: str,
        job: Job,
        stack: Stack,
        since: datetime,
        done: JobWriteOutcome,
        *,
        paused: bool | None = None,
    ):
        taken: set[int] = set()
        if kind == RUN_ACTION:  # actions the history gives to other runs of this job
            taken = await asyncio.to_thread(
                recorded_action_ids, self.history, job.uid, besides=done.run_id
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
            baseline=done.baseline,
        )
