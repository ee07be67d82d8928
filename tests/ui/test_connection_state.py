"""Connection state and read-only mode are said in words: the identity bar shows since
when and why the API cannot be reached, a deploy watch stops counting and says when it
last heard, both come back by themselves; read-only is a word, and every refused key
says why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from c66tui.api.errors import NetworkError, NotFoundError
from c66tui.ops.connection import Connection
from c66tui.ops.deploy_state import DEPLOYING, DeployWatch
from c66tui.ui.widgets.deploy_watch import watch_line
from c66tui.ui.widgets.identity_bar import IdentityBar, IdentityShown, identity_line
from tests.ui.rendering import screen_lines
from tests.ui.test_jobs import notices, open_jobs
from tests.ui.test_stacks_support import stacks_ready, wait_until

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_connection_goes_offline_on_link_failures_only():
    seen = []
    connection = Connection()
    connection.subscribe(lambda c: seen.append(c.offline))
    connection.failed(NotFoundError("no such stack"))
    assert not connection.offline and seen == []
    connection.failed(NetworkError("Connection refused"))
    since = connection.offline_since
    assert connection.offline and connection.reason == "Connection refused"
    connection.failed(NetworkError("Connection refused"))
    assert connection.offline_since == since and seen == [True]
    connection.answered()
    assert not connection.offline and seen == [True, False]


def test_identity_bar_keeps_offline_reason_read_only_and_a_whole_budget_at_80():
    identity = IdentityShown(
        "ops",
        "me@example.com",
        "app.cloud66.com",
        "production",
        "API 3597/3600",
        read_only=True,
        offline="offline since 14:02: ReadTimeout while reading the answer of the API",
    )
    line = identity_line(identity, 78).plain
    assert len(line) <= 78
    assert "read-only" in line and "offline since 14:02" in line and "…" in line
    assert "[PRODUCTION]" in line
    wider = identity_line(identity, 100).plain
    assert "offline since 14:02: ReadTimeout" in wider and "…" in wider
    assert "API 3597" not in line or "API 3597/3600" in line
    roomy = identity_line(IdentityShown("ops", "a@b.c", "h", rate="API 3597/3600"), 78).plain
    assert roomy.endswith("API 3597/3600")
    for width in range(40, 78):
        plain = identity_line(identity, width).plain
        assert "API 3597" not in plain or "API 3597/3600" in plain, plain


def test_a_stale_watch_stops_counting_and_says_when_it_last_heard():
    watch = DeployWatch("u1", "shop-frontend", "production", phase=DEPLOYING, started_at=T0)
    live = watch_line(watch, T0 + timedelta(minutes=3)).plain
    assert "3m" in live and "last seen" not in live
    seen = T0 + timedelta(minutes=1)
    two = watch_line(watch, T0 + timedelta(minutes=3), last_seen=seen).plain
    four = watch_line(watch, T0 + timedelta(minutes=5), last_seen=seen).plain
    assert "last seen 2m ago" in two and "last seen 4m ago" in four
    assert two.replace("2m ago", "") == four.replace("4m ago", ""), "the clock stopped"
    assert " 1m" in two


async def test_identity_bar_says_offline_with_reason_and_recovers(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await stacks_ready(app, pilot)
        sandbox.sandbox.inject_fault(".*", drop=True, times=None)
        screen.refresh_stacks(user=True)
        await wait_until(pilot, lambda: app.connection_text.startswith("offline since"))
        await pilot.pause()
        top = screen_lines(app)[0]
        assert "offline since" in top, top
        bar = app.screen.query_one(IdentityBar)
        assert "offline since" in str(bar.render())
        sandbox.sandbox.clear_faults()
        screen.refresh_stacks(user=True)
        await wait_until(pilot, lambda: app.connection_text == "")
        await pilot.pause()
        assert "offline" not in screen_lines(app)[0]


async def test_read_only_is_in_words_and_every_refused_key_says_why(app_factory, sandbox):
    app = app_factory(read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await stacks_ready(app, pilot)
        assert "read-only" in screen_lines(app)[0]
        await pilot.press("r")
        await pilot.pause()
        assert any("read-only" in n for n in notices(app)), notices(app)
        seen = len(notices(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "StackDetailScreen")
        await pilot.pause()
        assert "read-only" in screen_lines(app)[0]
        await pilot.press("r")
        await pilot.pause()
        assert any("read-only" in n for n in notices(app)[seen:]), notices(app)
        await pilot.press("escape")
        await pilot.pause()
        seen = len(notices(app))
        jobs = await open_jobs(app, pilot, screen.table.cursor_stack.name)
        await pilot.press("x")
        await pilot.pause()
        assert "read-only" in screen_lines(app)[0]
        assert any("read-only" in n for n in notices(app)[seen:]), (notices(app), jobs)
