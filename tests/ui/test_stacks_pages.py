"""Each page of the stack list is requested once per refresh, over a real socket.

The sandbox serves enough stacks for many pages, with latency, so a refresh is still in
flight when the poll timer, ``ctrl+r`` or the cache refresh after the first start ask for
another: those join the running refresh instead of starting a second walk of the pages.
Counted in the sandbox's own request log.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from urllib.parse import parse_qs

import pytest

from c66tui.sandbox import SandboxConfig
from c66tui.sandbox.server import SandboxServer
from tests.ui.test_stacks_support import stacks_ready, wait_until
from tests.waiting import requests_in_flight, until_idle

STACKS = 1_500
"""50 pages of 30: at 100 ms a request, six at a time, a walk takes about a second."""


@pytest.fixture
def sandbox():
    """A sandbox with many stacks and a laggy link (replaces the shared one here)."""
    config = SandboxConfig(seed=66, stacks=STACKS, latency_ms=100)
    with SandboxServer(config=config) as server:
        yield server


def pages_of(server) -> int:
    return -(-len(server.sandbox.stacks) // 30)


def list_requests(server) -> Counter:
    """How often each page of the stack list was requested (page -> count)."""
    pages: Counter = Counter()
    for entry in server.sandbox.request_log:
        if entry["method"] == "GET" and entry["path"].rstrip("/").endswith("/stacks"):
            query = parse_qs(str(entry.get("query") or ""))
            pages[int((query.get("page") or ["1"])[0])] += 1
    return pages


def list_in_flight(server) -> bool:
    return any(e["path"].endswith("/stacks") for e in requests_in_flight(server))


def assert_each_page_once(server) -> None:
    pages = list_requests(server)
    expected = pages_of(server)
    assert sorted(pages) == list(range(1, expected + 1)), "every page, no other"
    assert set(pages.values()) == {1}, f"pages asked for more than once: {pages}"
    assert sum(pages.values()) == expected


async def test_first_start_requests_each_page_once(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await until_idle(pilot, app, sandbox, timeout=60)
        assert screen.table.row_count == STACKS
    assert_each_page_once(sandbox)


async def test_refreshes_asked_for_during_a_refresh_join_it(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await until_idle(pilot, app, sandbox, timeout=60)
        sandbox.sandbox.clear_log()
        world = sandbox.sandbox
        world.config = replace(world.config, latency_ms=400)  # a 4 s walk: room to overlap
        running = screen.refresh_stacks()
        await wait_until(pilot, lambda: list_in_flight(sandbox), what="list requests sent")
        # The poll timer comes due and the user presses ctrl+r while pages are arriving.
        screen.list_poll_due()
        await pilot.press("ctrl+r")
        assert screen.refresh_stacks() is running
        assert not screen.list_poll_scheduled  # no timer while the list is being read
        await until_idle(pilot, app, sandbox, timeout=60)
        assert running.is_finished
        assert screen.list_poll_scheduled  # re-armed once the refresh ended
    assert_each_page_once(sandbox)


async def test_cache_refresh_after_a_warm_start_requests_each_page_once(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await stacks_ready(app, pilot)
        await until_idle(pilot, app, sandbox, timeout=60)
    sandbox.sandbox.clear_log()
    app = app_factory()  # started again: the list comes from the cache, then the API
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: getattr(app.screen, "cache_saved_at", None) is not None,
            what="cached list shown",
        )
        screen = await stacks_ready(app, pilot)
        await until_idle(pilot, app, sandbox, timeout=60)
        assert screen.table.row_count == STACKS
    assert_each_page_once(sandbox)
