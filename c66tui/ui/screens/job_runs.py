"""Running, pausing and resuming jobs: confirm, journal, send once, follow, report.

:class:`JobRuns` belongs to the jobs screen (its workers run on that screen). A run:

1. is refused with a reason when the profile is read-only, the token lacks a scope Cloud 66
   asked for, or the same job already has a request in flight from here;
2. is confirmed in :class:`~c66tui.ui.dialogs.run_job.RunJobDialog` (Cancel focused);
3. is written to the journal (``kind="job_run"``) and to the job's local history *before*
   the POST; if that write fails, nothing is sent;
4. is sent exactly once, holding ``services.single_flight("job:<uid>")``, in a plain worker
   (never an exclusive one) and shielded from cancellation: a cancelled worker cannot
   un-send a request, so a late answer is still recorded;
5. is followed: the async action is polled until it finishes; the outcome (the server's
   message, sanitised) goes to a toast, the row, the journal and the local history.

A request that got no answer, or a 5xx (:class:`OutcomeUnknownError`), is recorded as
"outcome unknown" and never resent; the job is read back so the user sees what Cloud 66 reports.
"""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING, Any

from rich.text import Text

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
from c66tui.text import sanitize

if TYPE_CHECKING:
    from c66tui.ui.screens.jobs import JobsScreen

class JobRuns:
    """Run-now and pause/resume for the jobs of one screen."""

    poll_interval = 2.0
    """First wait between two looks at a running action (grows by half up to
    :attr:`poll_max`)."""
    poll_max = 10.0
    follow_timeout = 1800.0
    """Stop following a run after this many seconds (it carries on at Cloud 66)."""

    def __init__(self, screen: JobsScreen) -> None:
        self.screen = screen
        self.write_scope: str | None = None
        """The scope job writes need. ``None`` (public, as documented) until Cloud 66
        refuses one for a missing scope; from then on the keys are disabled with the reason."""
        self.refusals: dict[str, str] = {}
        """Stack uid -> why Cloud 66 refused a job write there with a 403 that named no
        scope (a role on that stack may not permit it); from then on that stack's job
        keys are disabled with the reason (other stacks keep theirs)."""
        self._busy: set[str] = set()
        self._asking = False

    @property
    def services(self) -> Any:
        return self.screen.app.services

    # -- state --------------------------------------------------------------------

    def is_busy(self, uid: str) -> bool:
        """Whether a run or pause/resume of job ``uid`` is being sent or followed."""
        return uid in self._busy or self.services.is_in_flight(f"job:{uid}")

    def busy_count(self) -> int:
        return len(self._busy)

    def blocked_reason(self, action: str, job: Job | None) -> str | None:
        """Why ``action`` cannot be done on ``job`` now, or ``None`` when it can."""
        if job is None:
            return "no job selected"
        stack = self.screen.stack
        refusal = self.refusals.get(stack.uid) if stack is not None else None
        reason = self.services.permission(self.write_scope) or refusal
        if reason:
            return f"Not allowed: {reason}"
        if action in {"pause_job", "resume_job"} and "paused" not in job.raw:
            return "Cloud 66 does not offer pausing for this job"
        if self.is_busy(job.uid):
            name = sanitize(job.name)
            if action == "run_job":
                return f"A run of {name} is already in progress from here; wait for its outcome"
            return f"A request for {name} is in progress; wait for its outcome"
        return None

    def action_state(self, action: str, job: Job | None) -> bool | None:
        """``True`` enabled, ``None`` shown greyed out, ``False`` hidden (the other of
        pause/resume)."""
        if action == "pause_job" and job is not None and job.paused:
            return False
        if action == "resume_job" and (job is None or not job.paused):
            return False
        return None if self.blocked_reason(action, job) else True

    def _note_refusal(self, error: MissingScopeError, stack: Stack) -> None:
        """After a 403 to a job write on ``stack``, keep the job keys off with the reason:
        the scope Cloud 66 named (on every stack), else that it refused this token there
        (its role on that stack may not permit it)."""
        if error.scope:
            self.write_scope = error.scope
        else:
            self.refusals[stack.uid] = (
                "Cloud 66 refused a job change for this login (HTTP 403); your role on this "
                "account or stack may not permit it"
            )

    def _refuse(self, reason: str, title: str) -> None:
        self.screen.notify(reason, title=title, severity="warning", markup=False)

    # -- run now ------------------------------------------------------------------

    def ask_run(self, uid: str) -> None:
        """Confirm, then run job ``uid`` of the screen's stack."""
        from c66tui.ui.dialogs.run_job import RunJobDialog, RunRequest

        job, stack = self.screen.jobs.get(uid), self.screen.stack
        reason = self.blocked_reason("run_job", job)
        if reason or job is None or stack is None:
            self._refuse(reason or "no stack chosen", "Run now")
            return
        if self._asking:
            return

        def answered(request: RunRequest | None) -> None:
            self._asking = False
            if request is None:
                return
            again = self.blocked_reason("run_job", job)
            if again:
                self._refuse(again, "Run now")
                return
            self._busy.add(uid)
            self.screen.job_changed(uid)
            self.screen.run_worker(
                self._run(job, stack, request.args),
                name=f"run job {uid}",
                group="job-run",
                exit_on_error=False,
            )

        self._asking = True
        dialog = RunJobDialog(
            job, stack, profile=self.services.profile_name, account=stack.account_name
        )
        self.screen.app.push_screen(dialog, answered)

    async def _run(self, job: Job, stack: Stack, args: str) -> None:
        key = f"job:{job.uid}"
        try:
            if self.services.is_in_flight(key):
                self._refuse(self.blocked_reason("run_job", job) or "in progress", "Run now")
                return
            async with self.services.single_flight(key):
                await self._send_run(job, stack, args)
        finally:
            self._busy.discard(job.uid)
            self.screen.job_changed(job.uid)

    async def _send_run(self, job: Job, stack: Stack, args: str) -> None:
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
            self.screen.history.start(
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
            self.screen.notify(
                f"Could not record the run locally ({err.strerror or err}); nothing was sent.",
                title="Run now",
                severity="error",
                markup=False,
            )
            return
        self.screen.job_changed(job.uid)
        record = functools.partial(self._record, entry, run_id, job, stack)
        sent_at = clock.now()
        with sending_with(request_id):  # the task made here sends with the journalled id
            post = asyncio.ensure_future(services.api.run_job(stack.uid, job.uid, args or None))
        try:
            action = await asyncio.shield(post)
        except asyncio.CancelledError:
            post.add_done_callback(functools.partial(self._settle_unfollowed, record))
            raise
        except OutcomeUnknownError as err:
            await self._check_lost_run(record, job, stack, run_id, sent_at, unknown_detail(err))
            return
        except MissingScopeError as err:
            services.note_missing_scope(err)
            self._note_refusal(err, stack)
            record("failed", err.message)
            return
        except Cloud66Error as err:
            record("failed", err.message)
            return
        self.screen.history.note_action(job.uid, run_id, action.id)
        await self._follow(record, job, stack, action)

    async def _check_lost_run(
        self, record: Any, job: Job, stack: Stack, run_id: str, sent_at: Any, detail: str
    ) -> None:
        """The run was sent but its answer lost: record "unknown" at once, then look for
        the run among the stack's actions and follow it, or say nothing was found."""
        record("unknown", detail, quiet=True)  # kept even if the app stops during the check
        self.screen.job_changed(job.uid)
        taken = await asyncio.to_thread(
            recorded_action_ids, self.screen.history, job.uid, besides=run_id
        )
        check = await find_job_action(
            self.services,
            stack.uid,
            kind=RUN_ACTION,
            job_uid=job.uid,
            job_name=job.name,
            since=sent_at,
            taken=taken,
        )
        if check.action is None:
            record("unknown", f"{detail} Check: {check.summary}.")
            await self._reconcile(job, stack)
            return
        self.screen.history.note_action(job.uid, run_id, check.action.id)
        found = f" (action {check.action.id}, found after the answer was lost; not sent again)"
        await self._follow(record, job, stack, check.action, note=found)

    async def _follow(
        self, record: Any, job: Job, stack: Stack, action: Action, *, note: str = ""
    ) -> None:
        if action.id is None:
            record("unknown", "Cloud 66 accepted the run but gave no action to follow.")
            await self._reconcile(job, stack)
            return
        try:
            final = await self._wait(stack, action.id)
        except asyncio.CancelledError:
            message = f"Started as action {action.id}; the app stopped following it."
            record("unknown", message, quiet=True)
            raise
        except ActionTimeoutError:
            record("unknown", f"Still running as action {action.id}; no longer followed here.")
        except Cloud66Error as err:
            record("unknown", f"Started as action {action.id}; following it failed: {err}")
        else:
            ok = bool(final.finished_success)
            message = final.finished_message or ("Finished" if ok else "Failed")
            record("ok" if ok else "failed", message + note, final.id)
        await self._reconcile(job, stack)

    async def _wait(self, stack: Stack, action_id: int) -> Action:
        return await self.services.read(
            lambda api: api.wait_for_action(
                stack.uid,
                action_id,
                interval=self.poll_interval,
                max_interval=self.poll_max,
                timeout=self.follow_timeout,
            )
        )

    def _record(
        self,
        entry: str,
        run_id: str,
        job: Job,
        stack: Stack,
        outcome: str,
        message: str,
        action_id: int | None = None,
        *,
        quiet: bool = False,
    ) -> None:
        """Write the outcome to the journal and the history, then tell the user (unless
        ``quiet``: the worker is being cancelled and the screen may be going away)."""
        try:
            self.services.journal.complete(entry, outcome, message)
            self.screen.history.finish(job.uid, run_id, outcome, message, action_id=action_id)
        except OSError as err:
            if quiet:
                return
            self.screen.notify(
                f"Could not record the outcome locally: {err.strerror or err}",
                severity="error",
                markup=False,
            )
        if not quiet:
            self.screen.job_changed(job.uid)
            self._toast(job, stack, outcome, message)

    def _toast(self, job: Job, stack: Stack, outcome: str, message: str) -> None:
        ctx = self.screen.row_context()
        word = {"ok": "succeeded", "failed": "failed", "unknown": "outcome unknown"}[outcome]
        text = f"{ctx.symbol(outcome)} {sanitize(job.name)} on {sanitize(stack.name)} {word}"
        detail = sanitize(message, single_line=False)
        severity = {"ok": "information", "failed": "error", "unknown": "warning"}[outcome]
        self.screen.notify(
            f"{text}\n{detail}" if detail else text,
            title="Job run",
            severity=severity,
            markup=False,
            timeout=8 if outcome == "ok" else 20,
        )

    @staticmethod
    def _settle_unfollowed(record: Any, post: asyncio.Future) -> None:
        """The worker was cancelled while the POST was on the wire: record how it ended."""
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

    async def _reconcile(self, job: Job, stack: Stack) -> None:
        """Read the job back so its row shows what Cloud 66 now reports."""
        try:
            fresh = await self.services.read(lambda api: api.get_job(stack.uid, job.uid))
        except Cloud66Error:
            return
        if self.screen.stack is not None and self.screen.stack.uid == stack.uid:
            self.screen.job_changed(job.uid, fresh)

    # -- pause / resume -----------------------------------------------------------

    def ask_pause(self, uid: str, *, pause: bool) -> None:
        """Confirm, then pause (or resume) job ``uid``."""
        from c66tui.ui.dialogs.confirm import ConfirmDialog

        action = "pause_job" if pause else "resume_job"
        verb = "Pause" if pause else "Resume"
        job, stack = self.screen.jobs.get(uid), self.screen.stack
        reason = self.blocked_reason(action, job)
        if reason or job is None or stack is None:
            self._refuse(reason or "no stack chosen", verb)
            return
        if self._asking:
            return
        env = stack.environment.upper() if stack.is_production else stack.environment
        effect = (
            "It will not run on its schedule until it is resumed."
            if pause
            else "It will run on its schedule again."
        )
        lines: list[Text | str] = [
            Text.assemble(("Job          ", "dim"), (sanitize(job.name), "bold")),
            Text.assemble(("Stack        ", "dim"), (sanitize(stack.name), "bold")),
            Text.assemble(("Environment  ", "dim"), (sanitize(env) or "—", "bold")),
            effect,
        ]

        def answered(confirmed: bool | None) -> None:
            self._asking = False
            if not confirmed:
                return
            again = self.blocked_reason(action, job)
            if again:
                self._refuse(again, verb)
                return
            self._busy.add(uid)
            self.screen.job_changed(uid)
            self.screen.run_worker(
                self._set_paused(job, stack, pause),
                name=f"{verb.lower()} job {uid}",
                group="job-pause",
                exit_on_error=False,
            )

        self._asking = True
        dialog = ConfirmDialog(f"{verb} job?", lines, confirm_label=verb)
        self.screen.app.push_screen(dialog, answered)

    async def _set_paused(self, job: Job, stack: Stack, pause: bool) -> None:
        key = f"job:{job.uid}"
        verb = "Pause" if pause else "Resume"
        try:
            if self.services.is_in_flight(key):
                return
            async with self.services.single_flight(key):
                await self._send_pause(job, stack, pause, verb)
        finally:
            self._busy.discard(job.uid)
            self.screen.job_changed(job.uid)

    async def _send_pause(self, job: Job, stack: Stack, pause: bool, verb: str) -> None:
        services = self.services
        name = sanitize(job.name)
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
            self._notify_pause(
                f"Could not record the request locally ({err.strerror or err}); nothing was sent.",
                "error",
            )
            return
        record = functools.partial(self._record_pause, entry, name, stack, pause, verb)
        call = services.api.pause_job if pause else services.api.resume_job
        sent_at = clock.now()
        with sending_with(request_id):
            post = asyncio.ensure_future(call(stack.uid, job.uid))
        try:
            action = await asyncio.shield(post)
        except asyncio.CancelledError:
            post.add_done_callback(functools.partial(self._settle_unfollowed, record))
            raise
        except OutcomeUnknownError as err:
            detail = unknown_detail(err)
            record("unknown", detail, quiet=True)  # kept even if the app stops now
            check = await find_job_action(
                services,
                stack.uid,
                kind=PAUSE_ACTION,
                job_uid=job.uid,
                job_name=job.name,
                since=sent_at,
                paused=pause,
            )
            if check.action is None:
                record("unknown", f"{detail} Check: {check.summary}.")
            else:
                found = f" (action {check.action.id}, found after the answer was lost)"
                await self._follow_pause(record, stack, check.action, note=found)
        except MissingScopeError as err:
            services.note_missing_scope(err)
            self._note_refusal(err, stack)
            record("failed", f"refused: {err.message}")
        except Cloud66Error as err:
            record("failed", err.message)
        else:
            await self._follow_pause(record, stack, action)
        await self._reconcile(job, stack)

    async def _follow_pause(
        self, record: Any, stack: Stack, action: Action, note: str = ""
    ) -> None:
        """Wait for a pause/resume action to finish and record how it ended."""
        if action.is_finished:
            final = action
        elif action.id is None:
            record("unknown", "Cloud 66 accepted the request but gave no action to follow.")
            return
        else:
            try:
                final = await self._wait(stack, action.id)
            except asyncio.CancelledError:
                record("unknown", f"Sent as action {action.id}; no longer followed.", quiet=True)
                raise
            except Cloud66Error as err:
                record("unknown", f"Sent as action {action.id}; following it failed: {err}")
                return
        if final.finished_success is False:
            record("failed", (final.finished_message or "Cloud 66 reported a failure") + note)
        else:
            record("ok", (final.finished_message or "done") + note)

    def _record_pause(
        self,
        entry: str,
        name: str,
        stack: Stack,
        pause: bool,
        verb: str,
        outcome: str,
        message: str,
        action_id: int | None = None,
        *,
        quiet: bool = False,
    ) -> None:
        """Write a pause/resume outcome to the journal, then tell the user (unless
        ``quiet``)."""
        try:
            self.services.journal.complete(entry, outcome, message)
        except OSError as err:
            if not quiet:
                self._notify_pause(
                    f"Could not record the outcome locally: {err.strerror or err}", "error"
                )
        if quiet:
            return
        detail = sanitize(message)
        if outcome == "ok":
            done = "paused" if pause else "resumed"
            self._notify_pause(f"{name} on {sanitize(stack.name)} {done}. {detail}", "information")
        elif outcome == "failed":
            self._notify_pause(f"{verb} {name} failed: {detail}", "error")
        else:
            self._notify_pause(f"{verb} {name}: outcome unknown. {detail}", "warning")

    def _notify_pause(self, message: str, severity: str) -> None:
        self.screen.notify(message, title="Pause / resume", severity=severity, markup=False)
