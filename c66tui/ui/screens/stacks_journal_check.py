"""The start-up check of writes an earlier run left without an outcome (a mixin of
:class:`StacksScreen`).

Redeploys and cancels are checked against the deployments list (a deploy still running is
watched); job runs, pauses and resumes against the stack's actions. Once an entry is too
old to be in flight in another instance, the journal and the job's local history get the
real outcome (a running action is followed until it ends) or "outcome unknown"; a younger
entry only shows what the check found. The banner says what was found (``J`` opens the
journal). The mixin expects the screen's ``services``, ``table``, ``book``, ``controller``,
``journal_checks`` and ``_set_notice``.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import work

from c66tui.api.errors import Cloud66Error
from c66tui.ops import clock
from c66tui.ops.job_history import JobHistory
from c66tui.ops.job_reconcile import JOURNAL_KINDS as JOB_KINDS
from c66tui.ops.job_reconcile import (
    check_job_entry,
    follow_action,
    outcome_detail,
    settle_job_entry,
)
from c66tui.ops.redeploy import settled_outcome, watch_if_running
from c66tui.text import sanitize

STALE_CHECK_AGE = 120.0
"""Journal entries younger than this may still be in flight in another instance."""


class StacksJournalCheck:
    """Checks the journal's unresolved writes once, at start-up."""

    @work(group="stacks-journal", exclusive=True, exit_on_error=False)
    async def check_journal(self) -> None:
        """Show writes of an earlier run that have no recorded outcome, and check them.

        A redeploy or cancel is checked against the deployments list, and a deploy found
        still running is watched. A job run, pause or resume is looked up among the
        stack's actions. Once an entry is old enough not to be in flight in another
        instance, a finished action gives the journal and the job's local history their
        real outcome, a running one is followed until it ends, and entries nothing settles
        are marked "outcome unknown"; a younger entry only shows what the check found.
        """
        journal = self.services.journal
        try:
            pending = await asyncio.to_thread(journal.unresolved)
        except Exception:  # noqa: BLE001 - an unreadable journal is reported by its screen
            return
        if not pending:
            return
        self._set_notice(
            "journal",
            Text(
                f"▲ {len(pending)} earlier request(s) have no recorded outcome (outcome unknown): "
                "checking… · J journal",
                style="bold",
            ),
        )
        history = JobHistory.default()
        lines = []
        now = clock.now()
        for entry in pending:
            age = (now - entry.started_at).total_seconds() if entry.started_at else 1e9
            stale = age > STALE_CHECK_AGE
            if entry.kind in JOB_KINDS:
                summary = await self._check_job_entry(journal, history, entry, stale)
            else:
                summary = await self._check_deploy_entry(journal, entry, stale)
            self.journal_checks[entry.id] = summary
            when = entry.started_at.strftime("%Y-%m-%d %H:%M UTC") if entry.started_at else "?"
            lines.append(
                f"▲ Outcome unknown: {entry.kind} of {sanitize(entry.stack_name)} at {when}"
                f" — {sanitize(summary)}"
            )
        text = Text(no_wrap=False, end="")
        text.append("\n".join(lines[:3]), style="bold")
        if len(lines) > 3:
            text.append(f"\n… and {len(lines) - 3} more")
        text.append(" · J journal")
        self._set_notice("journal", text)

    async def _check_deploy_entry(self, journal, entry, stale: bool) -> str:
        """Check a pending redeploy/cancel entry; watch a deploy found still running."""
        summary = "check the stack by hand"
        report = await self.controller.check_entry(entry)
        if report is not None:
            summary = report.summary
            if self._watch_found_deploy(entry, report.deployment):
                summary += "; watching it"
        if stale:
            settled = settled_outcome(entry, report)
            detail = f"no outcome recorded (the app stopped while sending); check: {summary}"
            try:
                if settled is not None:
                    await asyncio.to_thread(journal.complete, entry.id, *settled)
                    summary += f"; recorded as {settled[0]}"
                elif entry.pending:
                    await asyncio.to_thread(journal.mark_unknown, entry.id, detail)
            except OSError:
                pass
        return summary

    def _watch_found_deploy(self, entry, deployment) -> bool:
        """Start watching ``deployment`` of the entry's stack if it is still running."""
        uid = entry.stack_uid
        new = uid not in self.book
        stack = self.table.stacks.get(uid)
        running = watch_if_running(
            self.book,
            deployment,
            uid=uid,
            name=stack.name if stack else entry.stack_name,
            environment=stack.environment if stack else str(entry.params.get("environment", "")),
            requested_at=entry.started_at,
        )
        if running and new:
            self.poll_fast()
        return running

    async def _check_job_entry(self, journal, history, entry, stale: bool) -> str:
        """Check a pending job run/pause/resume entry; settle or follow what was found.

        An entry that is not ``stale`` may still be in flight in another running instance
        (which will record its outcome): only what the check found is reported.
        """
        check = await check_job_entry(self.services, history, entry)
        if not stale:
            return check.summary
        action_id = check.action.id if check.action is not None else None
        try:
            if check.outcome in ("ok", "failed"):
                outcome, detail = outcome_detail(check)
                await asyncio.to_thread(
                    settle_job_entry, journal, history, entry, outcome, detail, action_id
                )
                return f"{check.summary}; recorded as {outcome}"
            if check.outcome == "running":
                self.run_worker(
                    self._follow_job_entry(journal, history, entry, check),
                    group="journal-follow",
                    exit_on_error=False,
                )
                return f"{check.summary}; following it"
            detail = f"no outcome recorded (the app stopped while sending); check: {check.summary}"
            if entry.pending:
                await asyncio.to_thread(
                    settle_job_entry, journal, history, entry, "unknown", detail, None
                )
        except OSError:
            pass  # the check is still shown; the entry stays pending until the next start
        return check.summary

    async def _follow_job_entry(self, journal, history, entry, check) -> None:
        """Follow a job action found running at start-up, then record how it ended."""
        try:
            final = await follow_action(self.services, entry.stack_uid, check.action)
        except Cloud66Error as error:
            outcome = "unknown"
            detail = f"{check.summary}; following it failed: {sanitize(str(error))}"
        else:
            outcome, detail = outcome_detail(check, final)
        try:
            await asyncio.to_thread(
                settle_job_entry, journal, history, entry, outcome, detail, check.action.id
            )
        except OSError:
            return
        self.journal_checks[entry.id] = detail
        word = {"ok": "succeeded", "failed": "failed"}.get(outcome, "outcome unknown")
        job = sanitize(entry.params.get("job_name") or entry.params.get("job_uid") or "job")
        what = entry.kind.removeprefix("job_")
        self.app.notify(
            f"Earlier {what} of {job} on {sanitize(entry.stack_name)} {word}: {sanitize(detail)}",
            title="Journal check",
            severity={"ok": "information", "failed": "error"}.get(outcome, "warning"),
            markup=False,
            timeout=15,
        )
