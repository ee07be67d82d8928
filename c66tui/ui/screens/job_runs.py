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

Steps 3 to 5 are :class:`~c66tui.ops.job_writes.JobWrites` (the operations layer, shared
with ``c66tui jobs``); this class asks, refuses, and shows what it reports.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from rich.text import Text

from c66tui.api.errors import Cloud66Error, MissingScopeError
from c66tui.api.models import Action, Job, Stack
from c66tui.ops.job_writes import JobWrites, follow_pause, settle_unfollowed
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
        return self.screen.services

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

    def _writes(self, job: Job, stack: Stack, *, pause: bool | None = None) -> JobWrites:
        """The operations layer's job writes, reporting to this screen."""
        if pause is None:
            told = functools.partial(self._told, job, stack)
        else:
            told = functools.partial(self._told_pause, sanitize(job.name), stack, pause)
        return JobWrites(
            self.services,
            self.screen.history,
            poll_interval=self.poll_interval,
            poll_max=self.poll_max,
            follow_timeout=self.follow_timeout,
            on_changed=lambda: self.screen.job_changed(job.uid),
            on_record=told,
            on_store_error=self._store_failed,
        )

    async def _run(self, job: Job, stack: Stack, args: str) -> None:
        try:
            outcome = await self._writes(job, stack).run(job, stack, args)
            if outcome.outcome == "not_sent":
                if outcome.store_error is not None:
                    self.screen.notify(
                        outcome.message, title="Run now", severity="error", markup=False
                    )
                else:
                    self._refuse(self.blocked_reason("run_job", job) or "in progress", "Run now")
                return
            if outcome.refusal is not None:
                self._note_refusal(outcome.refusal, stack)
            await self._reconcile(job, stack)
        finally:
            self._busy.discard(job.uid)
            self.screen.job_changed(job.uid)

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

    def _told(self, job: Job, stack: Stack, outcome: str, message: str, quiet: bool) -> None:
        """An outcome was recorded: show it (unless ``quiet``: the worker is being
        cancelled and the screen may be going away)."""
        if not quiet:
            self.screen.job_changed(job.uid)
            self._toast(job, stack, outcome, message)

    def _store_failed(self, err: OSError) -> None:
        self.screen.notify(
            f"Could not record the outcome locally: {err.strerror or err}",
            severity="error",
            markup=False,
        )

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

    _settle_unfollowed = staticmethod(settle_unfollowed)

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
        try:
            outcome = await self._writes(job, stack, pause=pause).set_paused(job, stack, pause)
            if outcome.outcome == "not_sent":
                if outcome.store_error is not None:
                    self._notify_pause(outcome.message, "error")
                return
            if outcome.refusal is not None:
                self._note_refusal(outcome.refusal, stack)
            await self._reconcile(job, stack)
        finally:
            self._busy.discard(job.uid)
            self.screen.job_changed(job.uid)

    async def _follow_pause(
        self, record: Any, stack: Stack, action: Action, note: str = ""
    ) -> None:
        """Wait for a pause/resume action to finish and record how it ended."""
        await follow_pause(functools.partial(self._wait, stack), record, action, note)

    def _told_pause(
        self, name: str, stack: Stack, pause: bool, outcome: str, message: str, quiet: bool
    ) -> None:
        """A pause/resume outcome was recorded: tell the user (unless ``quiet``)."""
        if quiet:
            return
        verb = "Pause" if pause else "Resume"
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
