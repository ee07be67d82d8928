"""Adaptive poll scheduling for the stacks list and deploy watches (no Textual here).

The scheduler answers one question: *how long until the next background request?* It
keeps every kind of background polling inside a budget of the hourly API rate limit:

* **fast** (``fast_seconds``, 5 s): stacks that are deploying or being watched are polled
  one by one (``GET /stacks/{uid}``, plus the deployments list for a watch);
* **normal** (``preferences.refresh_seconds``): the whole stack list;
* **background**: the list screen is not in view, so the list is refreshed 4x less often;
* **idle**: no key press for ``idle_after`` seconds (10 min) pauses the list; watches of
  running deploys continue (they end by themselves);
* **budget**: background requests never exceed ``budget_fraction`` (30 %) of the hourly
  limit; below ``low_fraction`` (10 %) of the limit remaining everything slows down 4x,
  and below ``stop_fraction`` (2 %) background polling stops (user actions still work).

Intervals are computed from request *costs* (how many requests one tick makes), so a list
of 5,000 stacks (167 pages) is simply polled less often than a list of 40.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from c66tui.api.models import RateLimit

DEFAULT_LIMIT = 3600
"""Requests per hour assumed until the API has told us its limit (its documented header)."""

FAST_SECONDS = 5.0
IDLE_AFTER = 600.0
BUDGET_FRACTION = 0.30
LOW_FRACTION = 0.10
STOP_FRACTION = 0.02
FAST_SHARE = 0.7
"""Share of the budget the fast polls may use when they are wanted; the rest is the list's."""
BACKGROUND_FACTOR = 4.0
LOW_BUDGET_FACTOR = 4.0


@dataclass(frozen=True)
class PollPlan:
    """When to poll next.

    Attributes:
        list_interval: seconds between full list refreshes, ``None`` when paused.
        fast_interval: seconds between fast polls, ``None`` when there is nothing to poll.
        mode: one word for the status line: ``fast``, ``normal``, ``background``,
            ``idle``, ``low-budget`` or ``stopped``.
        reason: a short human sentence explaining the plan.
        allowed_per_hour: the background request budget in force.
    """

    list_interval: float | None
    fast_interval: float | None
    mode: str
    reason: str
    allowed_per_hour: float

    def requests_per_hour(self, list_cost: int, fast_cost: int) -> float:
        """Background requests per hour this plan makes for the given tick costs."""
        total = 0.0
        if self.list_interval:
            total += 3600.0 * list_cost / self.list_interval
        if self.fast_interval:
            total += 3600.0 * fast_cost / self.fast_interval
        return total

    @property
    def label(self) -> str:
        """Compact status text: ``"refresh 30s"``, ``"refresh 30s · deploys checked every 5s"``,
        ``"refresh paused (idle)"``."""
        if self.mode == "stopped":
            return "refresh paused (API budget low)"
        parts = []
        if self.list_interval is not None:
            parts.append(f"refresh {_secs(self.list_interval)}")
        else:
            parts.append("refresh paused (idle)")
        if self.fast_interval is not None:
            parts.append(f"deploys checked every {_secs(self.fast_interval)}")
        text = " · ".join(parts)
        if self.mode == "low-budget":
            text += " (API budget low)"
        return text


def _secs(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f}s"
    return f"{seconds / 60:.0f}m"


def list_cost(stack_count: int, page_size: int = 30) -> int:
    """Requests one full list refresh makes (one per page, at least one)."""
    return max(1, -(-stack_count // page_size))


class PollScheduler:
    """Decides poll intervals from activity, what is deploying and the API budget."""

    def __init__(
        self,
        *,
        normal_seconds: float = 30.0,
        fast_seconds: float = FAST_SECONDS,
        idle_after: float = IDLE_AFTER,
        budget_fraction: float = BUDGET_FRACTION,
        low_fraction: float = LOW_FRACTION,
        stop_fraction: float = STOP_FRACTION,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.normal_seconds = max(1.0, float(normal_seconds))
        self.fast_seconds = max(1.0, float(fast_seconds))
        self.idle_after = idle_after
        self.budget_fraction = budget_fraction
        self.low_fraction = low_fraction
        self.stop_fraction = stop_fraction
        self.clock = clock
        """The monotonic time source idleness is measured with (a virtual clock can be
        swapped in, e.g. to let a test skip ten idle minutes)."""
        self._last_activity = clock()

    # -- activity -------------------------------------------------------------------

    def note_activity(self) -> None:
        """A key was pressed (or the screen came back into view)."""
        self._last_activity = self.clock()

    def idle_seconds(self) -> float:
        """Seconds since the last key press."""
        return max(0.0, self.clock() - self._last_activity)

    @property
    def idle(self) -> bool:
        """Whether the terminal has been idle long enough to pause the list."""
        return self.idle_seconds() >= self.idle_after

    # -- budget ---------------------------------------------------------------------

    def allowed_per_hour(self, rate: RateLimit | None) -> tuple[float, str]:
        """The background request budget per hour, and the mode it implies."""
        limit = (rate.limit if rate and rate.limit else None) or DEFAULT_LIMIT
        allowed = self.budget_fraction * limit
        left = rate.fraction_left if rate else None
        if left is not None and left < self.stop_fraction:
            return 0.0, "stopped"
        if left is not None and left < self.low_fraction:
            return allowed / LOW_BUDGET_FACTOR, "low-budget"
        return allowed, ""

    def plan(
        self,
        *,
        list_cost: int,
        fast_cost: int = 0,
        watch_cost: int = 0,
        rate: RateLimit | None = None,
        in_view: bool = True,
    ) -> PollPlan:
        """The poll plan for the current state.

        Args:
            list_cost: requests one full list refresh makes (see :func:`list_cost`).
            fast_cost: requests one fast poll of the deploying (unwatched) stacks makes.
            watch_cost: requests one poll of the open deploy watches makes.
            rate: the latest rate-limit headers (``None`` before the first answer).
            in_view: whether the list is on screen.
        """
        allowed, budget_mode = self.allowed_per_hour(rate)
        if budget_mode == "stopped":
            return PollPlan(None, None, "stopped", "API budget nearly used: polling stopped", 0)
        idle = self.idle
        fast_total = watch_cost + (0 if idle else fast_cost)
        fast_interval: float | None = None
        fast_rate = 0.0
        if fast_total > 0:
            fast_interval = max(self.fast_seconds, 3600.0 * fast_total / (FAST_SHARE * allowed))
            fast_rate = 3600.0 * fast_total / fast_interval
        list_interval: float | None = None
        if not idle:
            base = self.normal_seconds * (1.0 if in_view else BACKGROUND_FACTOR)
            if budget_mode:
                base *= LOW_BUDGET_FACTOR
            room = max(allowed - fast_rate, allowed * (1 - FAST_SHARE))
            list_interval = max(base, 3600.0 * max(1, list_cost) / room)
        if budget_mode:
            mode, reason = "low-budget", "under 10% of the API budget left: polling slowed"
        elif idle:
            mode, reason = "idle", "no key pressed for a while: list refresh paused"
        elif fast_interval is not None:
            mode, reason = "fast", "deploys running: polling them often"
        elif not in_view:
            mode, reason = "background", "list not in view: refreshing less often"
        else:
            mode, reason = "normal", "refreshing at the configured interval"
        return PollPlan(list_interval, fast_interval, mode, reason, allowed)
