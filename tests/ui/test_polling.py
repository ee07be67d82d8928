"""The adaptive poll scheduler: modes, idle pause and the API budget."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from c66tui.api.models import RateLimit
from c66tui.ops.polling import PollScheduler, list_cost


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def scheduler(**kwargs) -> tuple[PollScheduler, FakeClock]:
    clock = FakeClock()
    return PollScheduler(clock=clock, **kwargs), clock


FULL = RateLimit(limit=3600, remaining=3500)


def test_list_cost_counts_pages():
    assert list_cost(0) == 1
    assert list_cost(30) == 1
    assert list_cost(31) == 2
    assert list_cost(50) == 2
    assert list_cost(5000) == 167


def test_normal_mode_uses_the_configured_interval():
    sched, _ = scheduler(normal_seconds=30)
    plan = sched.plan(list_cost=2, rate=FULL)
    assert plan.mode == "normal"
    assert plan.list_interval == 30
    assert plan.fast_interval is None
    assert plan.label == "refresh 30s"


def test_fast_mode_when_something_deploys_or_is_watched():
    sched, _ = scheduler(normal_seconds=30)
    plan = sched.plan(list_cost=2, fast_cost=1, rate=FULL)
    assert plan.mode == "fast"
    assert plan.fast_interval == 5
    assert plan.list_interval == 30
    plan = sched.plan(list_cost=2, watch_cost=3, rate=FULL)
    assert plan.fast_interval == pytest.approx(3600 * 3 / (0.7 * 1080))
    assert "deploys" in plan.label


def test_background_mode_refreshes_less_often():
    sched, _ = scheduler(normal_seconds=30)
    plan = sched.plan(list_cost=2, rate=FULL, in_view=False)
    assert plan.mode == "background"
    assert plan.list_interval == 120


def test_idle_pauses_the_list_but_not_watches():
    sched, clock = scheduler(normal_seconds=30)
    clock.now += 601
    assert sched.idle
    plan = sched.plan(list_cost=2, fast_cost=3, watch_cost=2, rate=FULL)
    assert plan.mode == "idle"
    assert plan.list_interval is None
    # Unwatched deploying stacks are not polled while idle; watches are.
    assert plan.requests_per_hour(2, 2) == pytest.approx(3600 * 2 / plan.fast_interval)
    assert "paused" in plan.label
    sched.note_activity()
    assert not sched.idle
    assert sched.plan(list_cost=2, rate=FULL).list_interval == 30


def test_nothing_at_all_while_idle_without_watches():
    sched, clock = scheduler()
    clock.now += 3600
    plan = sched.plan(list_cost=2, fast_cost=1, rate=FULL)
    assert plan.list_interval is None and plan.fast_interval is None
    assert plan.requests_per_hour(2, 1) == 0


def test_big_lists_are_polled_less_often_to_stay_in_budget():
    sched, _ = scheduler(normal_seconds=30)
    cost = list_cost(5000)
    plan = sched.plan(list_cost=cost, rate=FULL)
    assert plan.requests_per_hour(cost, 0) <= 0.30 * 3600 + 1e-6
    assert plan.list_interval > 30


def test_low_budget_slows_down_and_nearly_empty_budget_stops():
    sched, _ = scheduler(normal_seconds=30)
    low = RateLimit(limit=3600, remaining=300)  # 8 % left
    plan = sched.plan(list_cost=2, fast_cost=1, rate=low)
    assert plan.mode == "low-budget"
    assert plan.list_interval == 120
    assert plan.requests_per_hour(2, 1) <= 0.30 * 3600 / 4 + 1e-6
    assert "budget low" in plan.label
    empty = RateLimit(limit=3600, remaining=40)  # ~1 % left
    plan = sched.plan(list_cost=2, fast_cost=1, rate=empty)
    assert plan.mode == "stopped"
    assert plan.list_interval is None and plan.fast_interval is None


def test_unknown_rate_limit_assumes_the_documented_one():
    sched, _ = scheduler()
    assert sched.allowed_per_hour(None) == (0.30 * 3600, "")
    assert sched.allowed_per_hour(RateLimit(limit=1000, remaining=900))[0] == 300


def test_idle_50_stacks_stay_well_under_30_percent():
    sched, _ = scheduler(normal_seconds=30)
    cost = list_cost(50)
    plan = sched.plan(list_cost=cost, rate=FULL)
    assert plan.requests_per_hour(cost, 0) / 3600 < 0.30


@given(
    stacks=st.integers(min_value=0, max_value=20000),
    fast=st.integers(min_value=0, max_value=10),
    watches=st.integers(min_value=0, max_value=20),
    remaining=st.integers(min_value=0, max_value=3600),
    normal=st.integers(min_value=1, max_value=600),
    in_view=st.booleans(),
)
def test_background_requests_never_exceed_the_budget(
    stacks, fast, watches, remaining, normal, in_view
):
    sched, _ = scheduler(normal_seconds=normal)
    rate = RateLimit(limit=3600, remaining=remaining)
    cost = list_cost(stacks)
    plan = sched.plan(
        list_cost=cost, fast_cost=fast, watch_cost=2 * watches, rate=rate, in_view=in_view
    )
    used = plan.requests_per_hour(cost, fast + 2 * watches)
    assert used <= plan.allowed_per_hour + 1e-6
    assert plan.allowed_per_hour <= 0.30 * 3600
    if plan.fast_interval is not None:
        assert plan.fast_interval >= 5
    if plan.list_interval is not None:
        assert plan.list_interval >= normal
