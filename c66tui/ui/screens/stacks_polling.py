"""Loading and polling for the stacks screen (a mixin of :class:`StacksScreen`).

The list is shown from the last-known-state cache first, then fetched; afterwards two
timers keep it fresh under the :class:`~c66tui.ops.polling.PollScheduler`'s plan: the whole
list at the normal interval, and, often, the stacks that are deploying or watched (one
request per stack: a watch reads the deployments list and the stack only when its deploy
moved on). A poll that changes nothing repaints nothing. At start-up, writes an earlier
run left without an outcome are checked: redeploys and cancels against the deployments list
(a deploy still running is watched), job runs, pauses and resumes against the stack's
actions (the journal and the job's local history get the real outcome, once the entry is
too old to be in flight in another instance).

The mixin expects the screen's ``table``, ``services``, ``book``, ``controller``,
``scheduler`` and its status/banner helpers.
"""

from __future__ import annotations

import asyncio
import gc
import time

from rich.text import Text
from textual import work
from textual.worker import Worker

from c66tui.api.errors import Cloud66Error, NotFoundError, RateLimitedError
from c66tui.api.models import Stack
from c66tui.ops import clock
from c66tui.ops.job_history import JobHistory
from c66tui.ops.job_reconcile import JOURNAL_KINDS as JOB_KINDS
from c66tui.ops.job_reconcile import (
    check_job_entry,
    follow_action,
    outcome_detail,
    settle_job_entry,
)
from c66tui.ops.polling import list_cost
from c66tui.ops.redeploy import settled_outcome, watch_if_running
from c66tui.text import sanitize, short_duration

MAX_FAST_STACKS = 10
"""At most this many deploying (unwatched) stacks are polled one by one."""
FINISHED_WATCH_SECONDS = 120.0
"""A finished watch stays on screen this long."""
STALE_CHECK_AGE = 120.0
"""Journal entries younger than this may still be in flight in another instance."""


def settle_long_lived() -> None:
    """Take what exists once the first list is shown out of the garbage collector's scans.

    With thousands of stacks the process holds about a million objects, and each full
    collection walked them all: 100-230 ms with the event loop held, every few seconds
    while keys were sorting or filtering. Modules, widgets and the first list live for the
    whole run; frozen (``gc.freeze``), they are no longer walked (acyclic objects among
    them are still freed as soon as nothing uses them). :meth:`StacksScreen.on_unmount`
    unfreezes them.
    """
    gc.collect(1)  # young garbage first, so it is not kept for good
    gc.freeze()


class StacksPolling:
    """Cache, list refresh, fast polls of deploying/watched stacks, start-up journal check."""

    def _load_cache(self) -> None:
        try:
            services = self.services
            raw, saved_at = services.cache.load(services.profile_name, services.api_url)
        except Exception:  # noqa: BLE001 - a cache is disposable
            raw, saved_at = [], None
        stacks = [Stack.from_api(item) for item in raw]
        if stacks:
            self.table.set_stacks(stacks)
            self.cache_saved_at = saved_at
            self._update_running_notice()
        self._render_status()

    def _note_rate(self) -> None:
        api = self.services.api
        if api is not None:
            self.app.note_rate_limit(api.rate_limit)

    def refresh_stacks(self, user: bool = False) -> Worker:
        """Fetch the whole list and update the rows in place; returns the worker.

        A refresh asked for while one is under way (the poll timer, ``ctrl+r``, the
        cache refresh after the first start) joins it instead of starting again: each
        page of the list is requested once per refresh, never twice.
        """
        running = self._list_worker
        if self._list_running:
            if user and not self._user_refresh:
                self._user_refresh = True
                self._render_status()
            return running
        if self._list_timer is not None:  # due now: the refresh re-arms it when it ends
            self._list_timer.stop()
            self._list_timer = None
        self._list_worker = self._refresh_list(user)
        return self._list_worker

    @work(group="stacks-list", exit_on_error=False)
    async def _refresh_list(self, user: bool = False) -> None:
        """The one running refresh of the whole list (see :meth:`refresh_stacks`)."""
        if self.services.api is None:
            self.error = "not logged in"
            self._render_status()
            return
        self.refreshing = True
        self._user_refresh = user
        self._render_status()
        try:
            stacks = await self.services.read(lambda api: api.list_stacks())
        except RateLimitedError as error:
            pause = error.retry_after or 300.0
            self._throttled_until = time.monotonic() + pause
            self.error = f"rate-limited: polling paused for {short_duration(pause)}"
            if self._user_refresh:
                self.notify(self.error, severity="warning", markup=False)
        except Cloud66Error as error:
            self.error = f"refresh failed: {sanitize(str(error))}"
            if self._user_refresh:
                self.notify(self.error, severity="error", markup=False)
        else:
            self.error = ""
            await self.apply_stacks_in_slices(stacks)
        finally:
            self.refreshing = False
            self._list_worker = None  # done: a refresh asked for from now on fetches again
            self._last_list = time.monotonic()
            self._note_rate()
            self.schedule_polls()
            self._render_status()

    def apply_stacks(self, stacks: list[Stack]) -> int:
        """Show a freshly fetched list; returns how many cells changed."""
        first = not self.loaded
        return self._applied(stacks, self.table.set_stacks(stacks), first)

    async def apply_stacks_in_slices(self, stacks: list[Stack]) -> int:
        """:meth:`apply_stacks` without holding the event loop for more than a slice."""
        first = not self.loaded
        changed = await self.table.set_stacks_in_slices(stacks)
        return self._applied(stacks, changed, first)

    def _applied(self, stacks: list[Stack], changed: int, first: bool) -> int:
        self.services.known_stacks = stacks
        self.loaded = True
        self.cache_saved_at = None
        if first:
            self._follow_shared_focus()
            settle_long_lived()
        if changed or first:
            self._save_cache(stacks)
            self._update_running_notice()
            self._post_focus()
        return changed

    def _save_cache(self, stacks: list[Stack]) -> None:
        raw = [s.raw for s in stacks]
        profile = self.services.profile_name
        cache = self.services.cache
        self.run_worker(
            asyncio.to_thread(cache.save, profile, raw, self.services.api_url),
            group="stacks-cache",
            exclusive=True,
            exit_on_error=False,
        )

    @work(exclusive=True, group="stacks-fast", exit_on_error=False)
    async def poll_fast(self) -> None:
        """Poll watched and deploying stacks one by one (and the watches' deployments)."""
        try:
            await self._poll_watched_and_running()
        finally:
            self._last_fast = time.monotonic()
            self._note_rate()
            self.schedule_polls()
            self._render_status()

    async def _poll_watched_and_running(self) -> None:
        if self.services.api is None:
            return
        read = self.services.read
        fresh: dict[str, Stack] = {}
        for watch in self.book.active:
            uid = watch.uid
            try:
                deployments = await read(lambda api, uid=uid: api.list_deployments(uid))
                changed = watch.update(None, deployments)
                if changed or watch.deployment_id is None:
                    # The stack row only needs a fresh copy when the deploy moved on.
                    fresh[uid] = await read(lambda api, uid=uid: api.get_stack(uid))
                    changed = watch.update(fresh[uid], deployments) or changed
            except NotFoundError:
                self.book.remove(uid)
                continue
            except Cloud66Error:
                continue
            if changed:
                self.book.changed(watch)
        running = [
            uid
            for uid, stack in self.table.stacks.items()
            if stack.is_deploying and uid not in fresh and uid not in self.book
        ]
        for uid in running[:MAX_FAST_STACKS]:
            try:
                fresh[uid] = await read(lambda api, uid=uid: api.get_stack(uid))
            except Cloud66Error:
                continue
        if fresh:
            merged = dict(self.table.stacks)
            merged.update({uid: s for uid, s in fresh.items() if uid in merged})
            if self.table.set_stacks(list(merged.values())):
                self._update_running_notice()
                self._post_focus()

    def _fast_costs(self) -> tuple[int, int]:
        watch_cost = len(self.book.active)
        running = [
            uid for uid, s in self.table.stacks.items() if s.is_deploying and uid not in self.book
        ]
        return min(len(running), MAX_FAST_STACKS), watch_cost

    def schedule_polls(self) -> None:
        """(Re)arm the list and fast poll timers from the current plan."""
        api = self.services.api
        fast_cost, watch_cost = self._fast_costs()
        in_view = self.app.screen is self
        self.plan = self.scheduler.plan(
            list_cost=list_cost(len(self.table.stacks)),
            fast_cost=fast_cost,
            watch_cost=watch_cost,
            rate=api.rate_limit if api is not None else None,
            in_view=in_view,
        )
        for timer in (self._list_timer, self._fast_timer):
            if timer is not None:
                timer.stop()
        self._list_timer = self._fast_timer = None
        if api is None:
            return
        now = time.monotonic()
        hold = max(0.0, self._throttled_until - now)
        if self.plan.list_interval is not None and not self._list_running:
            delay = max(hold, self._last_list + self.plan.list_interval - now, 0.5)
            self._list_timer = self.set_timer(delay, self._list_due)
        if self.plan.fast_interval is not None:
            delay = max(hold, self._last_fast + self.plan.fast_interval - now, 0.5)
            self._fast_timer = self.set_timer(delay, self._fast_due)
        self._render_status()

    @property
    def _list_running(self) -> bool:
        """Whether a refresh of the whole list is under way (it re-plans when it ends)."""
        worker = self._list_worker
        return worker is not None and not worker.is_finished and not worker.is_cancelled

    @property
    def list_poll_scheduled(self) -> bool:
        """Whether a refresh of the whole list is waiting for its time (none while paused)."""
        return self._list_timer is not None

    def stop_polls(self) -> None:
        """Stop both poll timers until :meth:`schedule_polls` arms them again."""
        for timer in (self._list_timer, self._fast_timer):
            if timer is not None:
                timer.stop()
        self._list_timer = self._fast_timer = None

    def _list_due(self) -> None:
        self.refresh_stacks()

    def _fast_due(self) -> None:
        self.poll_fast()

    def _tick(self) -> None:
        """Every 30 s: age relative times, drop old finished watches, re-plan."""
        self.table.refresh_times()
        now = clock.now()
        for watch in list(self.book):
            if watch.done and watch.finished_at is not None:
                if (now - watch.finished_at).total_seconds() > FINISHED_WATCH_SECONDS:
                    self.book.remove(watch.uid)
        if not self.refreshing:
            self.schedule_polls()
        self._render_status()

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
        self._note_rate()
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
