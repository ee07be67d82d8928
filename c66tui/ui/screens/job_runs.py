"""Running, pausing and resuming jobs from the jobs screen: refuse, confirm, show.

:class:`JobRuns` belongs to the jobs screen (its workers run on that screen). It only
asks and shows; the write itself is :class:`~c66tui.ops.job_writes.JobWrites` (shared with
``c66tui jobs``, over the write engine: journal and local run history first, one request,
shielded from cancellation, a lost answer checked and never resent). A write:

1. is refused with a reason when the profile is read-only, the token lacks a scope Cloud 66
   asked for, or the same job already has a request in flight from here;
2. is confirmed in :class:`~c66tui.ui.dialogs.run_job.RunJobDialog` (run) or a
   :class:`~c66tui.ui.dialogs.confirm.ConfirmDialog` (pause, resume), Cancel focused;
3. is sent in a plain worker (never an exclusive one) by :meth:`JobRuns._start`, which
   then reads the job back so its row shows what Cloud 66 reports;
4. is shown as it is recorded: the outcome (the server's message, sanitised) goes to a
   toast and the row; "outcome unknown" says it was not sent again.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text

from c66tui.api.errors import Cloud66Error, MissingScopeError
from c66tui.api.models import Job, Stack
from c66tui.ops.job_writes import JobWriteOutcome, JobWrites, job_key
from c66tui.text import sanitize
from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.dialogs.run_job import RunJobDialog, RunRequest
from c66tui.ui.key_reasons import greyed

if TYPE_CHECKING:
    from c66tui.ui.screens.jobs import JobsScreen

JOB_ACTIONS = frozenset({"run_job", "pause_job", "resume_job"})
"""The jobs actions whose keys are greyed out with a reason when refused
(:meth:`JobRuns.action_state`; the jobs list and a job's detail)."""


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
        return uid in self._busy or self.services.is_in_flight(job_key(uid))

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

    def action_state(self, node: Any, action: str, job: Job | None) -> bool | None:
        """``check_action``'s answer on ``node`` for a jobs action: ``True`` enabled,
        ``False`` hidden (the other of pause/resume), else greyed out with the reason of
        :meth:`blocked_reason` (:mod:`c66tui.ui.key_reasons`: pressing it says why)."""
        if action == "pause_job" and job is not None and job.paused:
            return False
        if action == "resume_job" and (job is None or not job.paused):
            return False
        return greyed(node, action, self.blocked_reason(action, job))

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

    def _start(
        self,
        action: str,
        job: Job,
        stack: Stack,
        title: str,
        write: Callable[[], Awaitable[JobWriteOutcome]],
    ) -> None:
        """The user confirmed ``action`` on ``job``: check again, then send it in a plain
        worker and read the job back, so its row shows what Cloud 66 now reports."""
        again = self.blocked_reason(action, job)
        if again:
            self._refuse(again, title)
            return

        async def send() -> None:
            try:
                outcome = await write()
                if outcome.outcome == "not_sent":
                    if outcome.store_error is not None:
                        self.screen.notify(
                            outcome.message, title=title, severity="error", markup=False
                        )
                    elif action == "run_job":
                        self._refuse(self.blocked_reason(action, job) or "in progress", title)
                    return
                if outcome.refusal is not None:
                    self._note_refusal(outcome.refusal, stack)
                await self._reconcile(job, stack)
            finally:
                self._busy.discard(job.uid)
                self.screen.job_changed(job.uid)

        self._busy.add(job.uid)
        self.screen.job_changed(job.uid)
        self.screen.run_worker(
            send(),
            name=f"{action.removesuffix('_job')} job {job.uid}",
            group="job-run" if action == "run_job" else "job-pause",
            exit_on_error=False,
        )

    # -- run now ------------------------------------------------------------------

    def ask_run(self, uid: str) -> None:
        """Confirm, then run job ``uid`` of the screen's stack."""
        job, stack = self.screen.jobs.get(uid), self.screen.stack
        reason = self.blocked_reason("run_job", job)
        if reason or job is None or stack is None:
            self._refuse(reason or "no stack chosen", "Run now")
            return
        if self._asking:
            return

        def answered(request: RunRequest | None) -> None:
            self._asking = False
            if request is not None:
                run = functools.partial(self._writes(job, stack).run, job, stack, request.args)
                self._start("run_job", job, stack, "Run now", run)

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
            if confirmed:
                writes = self._writes(job, stack, pause=pause)
                send = functools.partial(writes.set_paused, job, stack, pause)
                self._start(action, job, stack, verb, send)

        self._asking = True
        dialog = ConfirmDialog(f"{verb} job?", lines, confirm_label=verb)
        self.screen.app.push_screen(dialog, answered)

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
