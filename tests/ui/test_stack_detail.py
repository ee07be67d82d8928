"""The stack detail screen against the sandbox."""

from __future__ import annotations

import re

from textual.widgets import DataTable

from c66tui.sandbox.seed import DEPLOYING_STACK, HISTORY_STACK, MARKUP_STACK
from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.dialogs.redeploy import RedeployDialog
from c66tui.ui.screens.stack_detail import StackDetailScreen
from tests.ui.test_stacks_support import (
    Recorder,
    put_cursor,
    redeploy_posts,
    requests,
    settle,
    stacks_ready,
    uid_of,
    wait_until,
)
from tests.waiting import until_idle


async def open_detail(app, pilot, sandbox, name: str) -> StackDetailScreen:
    screen = await stacks_ready(app, pilot)
    await put_cursor(pilot, screen, uid_of(sandbox, name))
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, StackDetailScreen))
    detail = app.screen
    await wait_until(pilot, lambda: detail.loaded, what="detail loaded")
    await settle(pilot, detail)
    return detail


async def test_detail_shows_deployments_servers_actions_and_settings(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_detail(app, pilot, sandbox, HISTORY_STACK)
        header = str(detail.query_one("#detail-header").render())
        assert HISTORY_STACK in header and "PRODUCTION" in header and "✓ deployed" in header
        deployments = detail.query_one("#deployments", DataTable)
        seeded = sandbox.sandbox.details(sandbox.sandbox.find_stack(HISTORY_STACK)).deployments
        assert deployments.row_count == 30  # first page
        first = deployments.get_row_at(0)
        newest = seeded[0]
        assert first[3].plain == newest.git_hash[:7]
        assert first[4].plain == newest.triggered_by
        assert first[0].plain in ("✓ success", "✗ failed", "⊘ cancelled")
        live_rows = [r for r in range(deployments.row_count) if deployments.get_row_at(r)[6].plain]
        assert len(live_rows) == 1
        # The API sends no commit message: the documented deploy type is shown instead.
        kinds = {deployments.get_row_at(r)[8].plain for r in range(deployments.row_count)}
        assert kinds == {"build"}
        assert "typical" in str(detail.query_one("#deployments-title").render())
        # Servers grouped by server group, with health words.
        servers = detail.query_one("#servers", DataTable)
        groups = [servers.get_row_at(r)[0].plain for r in range(servers.row_count)]
        seeded_groups = sandbox.sandbox.details(sandbox.sandbox.find_stack(HISTORY_STACK)).groups
        assert groups[0]
        assert [g for g in groups if g] == [g.name for g in seeded_groups]
        assert servers.row_count > len(seeded_groups)  # production: several web servers
        assert all("healthy" in servers.get_row_at(r)[3].plain for r in range(servers.row_count))
        assert detail.query_one("#actions", DataTable).row_count >= 1
        settings = str(detail.query_one("#settings").render())
        assert "git.branch = main" in settings and "(read-only)" in settings


async def test_markup_stack_name_is_literal_in_the_header(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_detail(app, pilot, sandbox, MARKUP_STACK)
        assert MARKUP_STACK in str(detail.query_one("#detail-header").render())


async def test_redeploy_and_cancel_from_detail(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_detail(app, pilot, sandbox, MARKUP_STACK)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, RedeployDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: len(redeploy_posts(sandbox, MARKUP_STACK)) == 1)
        await wait_until(pilot, lambda: app.screen is detail)
        panel = detail.query_one("#detail-watch")
        await wait_until(pilot, lambda: MARKUP_STACK in str(panel.render()), what="watch shown")
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is detail)
        await until_idle(pilot, app, sandbox)
        assert requests(sandbox, "DELETE", "/deployments") == []  # the cancel was cancelled
        assert len(redeploy_posts(sandbox, MARKUP_STACK)) == 1
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, StackDetailScreen))


async def test_copy_git_hash_or_uid(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        Recorder(app)
        detail = await open_detail(app, pilot, sandbox, DEPLOYING_STACK)
        deployments = detail.query_one("#deployments", DataTable)
        deployments.focus()
        await pilot.press("y")
        newest = sandbox.sandbox.details(sandbox.sandbox.find_stack(DEPLOYING_STACK)).deployments[0]
        assert app.clipboard == newest.git_hash
        detail.query_one("#settings").focus()
        app.set_focus(None)
        await pilot.press("y")
        assert app.clipboard == uid_of(sandbox, DEPLOYING_STACK)


async def test_read_only_detail_disables_redeploy(app_factory, sandbox):
    app = app_factory(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        detail = await open_detail(app, pilot, sandbox, MARKUP_STACK)
        assert detail.check_action("redeploy", ()) is None
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is detail
        assert record.saw("read-only")
        assert redeploy_posts(sandbox, MARKUP_STACK) == []


async def test_background_reload_repaints_only_what_changed_and_pauses_when_idle(
    app_factory, sandbox
):
    from c66tui.sandbox.seed import QUIET_STACK
    from c66tui.sandbox.tokens import RateWindow

    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_detail(app, pilot, sandbox, QUIET_STACK)
        # The default pace (30 s) never fires during the test: each reload below is the
        # one the timer would start, run by the test (no real one-second timer).
        assert detail.reload_scheduled
        table = detail.query_one("#deployments", DataTable)
        log = sandbox.sandbox.request_log
        uid = uid_of(sandbox, QUIET_STACK)

        def reloads() -> int:
            return sum(1 for e in log if e["path"].endswith(f"/stacks/{uid}/deployments"))

        async def timer_fires() -> None:
            detail.timed_reload()
            await settle(pilot, detail)

        # A reload that finds nothing new leaves the table alone (no clear and re-add).
        before, cleared = reloads(), []
        real_clear = table.clear
        table.clear = lambda *a, **k: cleared.append(1) or real_clear(*a, **k)
        await timer_fires()
        await timer_fires()
        assert reloads() == before + 2 and cleared == []
        assert detail.reload_scheduled, "each reload schedules the next"

        # A new deployment is shown by the next reload.
        count = table.row_count
        world = sandbox.sandbox
        with world.lock:
            world.redeploy(world.find_stack(QUIET_STACK), user="ops@example.com")
        newest = sandbox.sandbox.details(sandbox.sandbox.find_stack(QUIET_STACK)).deployments[0]
        await timer_fires()
        assert table.get_row_at(0)[3].plain == newest.git_hash[:7], "the new deployment on top"
        assert cleared and table.row_count >= min(count, 30)

        # Idle terminal: the reload stops; a key press starts it again.
        real_clock, skipped = detail.poller.clock, detail.poller.idle_after + 1
        detail.poller.clock = lambda: real_clock() + skipped  # no key for the idle time
        await timer_fires()
        assert not detail.reload_scheduled, "paused while the terminal is idle"
        paused_at = reloads()
        await until_idle(pilot, app, sandbox)
        assert reloads() == paused_at
        await pilot.press("down")
        await wait_until(pilot, lambda: detail.reload_scheduled, what="reload resumed")

        # The API budget nearly used (as Cloud 66's answers report it): once a reload has
        # seen it, no background reload is planned at all.
        with world.lock:
            hour, limit = int(world.clock.now() // 3600), world.config.rate_limit
            for token in list(world.tokens):
                world.rate[token] = RateWindow(hour, used=limit - 12)
        await timer_fires()
        assert app.services.rate_limit.remaining <= 10
        detail.schedule_reload()
        assert not detail.reload_scheduled


async def test_background_reloads_refresh_the_keys_only_when_the_stack_changed(
    app_factory, sandbox
):
    from c66tui.sandbox.seed import QUIET_STACK

    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_detail(app, pilot, sandbox, QUIET_STACK)
        log = sandbox.sandbox.request_log
        uid = uid_of(sandbox, QUIET_STACK)

        def reloads() -> int:
            return sum(1 for e in log if e["path"].endswith(f"/stacks/{uid}/deployments"))

        refreshed = []
        real_refresh = detail.refresh_bindings
        detail.refresh_bindings = lambda: refreshed.append(1) or real_refresh()
        before = reloads()
        for _ in range(2):  # what the reload timer starts (run here: no real timer)
            detail.timed_reload()
            await settle(pilot, detail)
        assert reloads() == before + 2 and refreshed == []
        # A redeploy changes the stack's status in the header: the keys are looked at again.
        world = sandbox.sandbox
        with world.lock:
            world.redeploy(world.find_stack(QUIET_STACK), user="ops@example.com")
        detail.timed_reload()
        await settle(pilot, detail)
        assert refreshed, "keys refreshed"


async def test_at_80_columns_addresses_hashes_and_ids_are_whole_and_text_is_cut_with_an_ellipsis(
    app_factory, sandbox
):
    from tests.ui.rendering import screen_lines

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await open_detail(app, pilot, sandbox, HISTORY_STACK)
        for table_id in ("deployments", "servers", "actions"):
            table = detail.query_one(f"#{table_id}", DataTable)
            assert table.max_scroll_x == 0, f"{table_id} is wider than the screen"
        servers = detail.query_one("#servers", DataTable)
        labels = [c.label.plain for c in servers.ordered_columns]
        assert "Address" in labels
        column = labels.index("Address")
        seeded = sandbox.sandbox.details(sandbox.sandbox.find_stack(HISTORY_STACK)).servers
        addresses = {s.address for s in seeded}
        shown = {servers.get_row_at(r)[column].plain for r in range(servers.row_count)}
        assert shown <= addresses
        width = servers.ordered_columns[column].width
        assert all(len(a) <= width for a in shown), (shown, width)
        deployments = detail.query_one("#deployments", DataTable)
        labels = [c.label.plain for c in deployments.ordered_columns]
        assert {"Hash", "Id"} <= set(labels)
        lines = screen_lines(app)
        text = "\n".join(lines)
        assert any(address in text for address in shown)
        # Every address-looking text on screen is a whole address, never a cut one.
        drawn = set(re.findall(r"\b\d+\.\d+\.\d+(?:\.\d+)?\b", text)) - {"127.0.0.1"}
        assert drawn and drawn <= addresses, drawn - addresses
        assert "…" in text  # long users and channels are cut visibly
