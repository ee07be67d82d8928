"""Loading and polling for the stacks screen (a mixin of :class:`StacksScreen`).

The list is shown from the last-known-state cache first, then fetched; afterwards two
timers keep it fresh under the :class:`~c66tui.ops.polling.PollScheduler`'s plan: the whole
list at the normal interval, and, often, the stacks that are deploying or watched (one
request per stack: a watch reads the deployments list and the stack only when its deploy
moved on). A poll that changes nothing repaints nothing. One refresh of the list runs at
a time: a refresh asked for while one is under way joins it, so each page is requested
once per refresh; the list is applied in slices (:meth:`StackTable.set_stacks_in_slices`)
so keys are answered while thousands of stacks go in.

The mixin expects the screen's ``table``, ``services``, ``book``, ``controller``,
``scheduler`` and its status/banner helpers.
"""

from __future__ import annotations

import asyncio
import gc
import time

from textual import work
from textual.worker import Worker

from c66tui.api.errors import Cloud66Error, NotFoundError, RateLimitedError
from c66tui.api.models import Stack
from c66tui.ops import clock
from c66tui.ops.polling import list_cost
from c66tui.text import sanitize, short_duration

MAX_FAST_STACKS = 10
"""At most this many deploying (unwatched) stacks are polled one by one."""
FINISHED_WATCH_SECONDS = 120.0
"""A finished watch stays on screen this long."""


def settle_long_lived() -> None:
    """Take what exists now out of the garbage collector's scans (after the first frame
    and once the first list is shown).

    With thousands of stacks the process holds about a million objects, and each full
    collection walked them all: 100-230 ms with the event loop held, every few seconds
    while the list loaded or keys sorted it. Modules, widgets and the first list live for
    the whole run; frozen (``gc.freeze``), they are no longer walked (acyclic objects
    among them are still freed as soon as nothing uses them).
    :meth:`StacksScreen.on_unmount` unfreezes them.
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
            self._list_timer = self.set_timer(delay, self.list_poll_due)
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

    def list_poll_due(self) -> None:
        """What the list poll timer runs when it fires (public so a test can fire it)."""
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
