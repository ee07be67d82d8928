"""The stacks list against the sandbox: content, filter, sort, favourites, in-place refresh,
cache, permissions."""

from __future__ import annotations

from c66tui.config import ConfigStore
from c66tui.sandbox.seed import (
    DEPLOYING_STACK,
    FAILED_STACK,
    HISTORY_STACK,
    MAINTENANCE_STACK,
    MARKUP_STACK,
)
from c66tui.ui.dialogs.redeploy import RedeployDialog
from c66tui.ui.screens.journal import JournalScreen
from c66tui.ui.screens.stack_detail import StackDetailScreen
from tests.ui.test_stacks_support import (
    Recorder,
    put_cursor,
    redeploy_posts,
    refreshed,
    settle,
    stacks_ready,
    uid_of,
    wait_until,
)
from tests.waiting import until_idle


def cell(screen, uid: str, column: str) -> str:
    return screen.table.get_cell(uid, column).plain


async def test_list_shows_every_stack_keyed_by_uid_with_words_and_symbols(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        table = screen.table
        world = sandbox.sandbox
        assert table.row_count == len(world.stacks) == 40
        assert set(table.visible_uids) == set(world.stacks)
        # States are words with symbols, never colour alone.
        assert cell(screen, uid_of(sandbox, FAILED_STACK), "status") == "✗ deploy failed"
        assert cell(screen, uid_of(sandbox, FAILED_STACK), "health") == "✗ failed"
        assert cell(screen, uid_of(sandbox, DEPLOYING_STACK), "status").endswith("deploying")
        assert cell(screen, uid_of(sandbox, MAINTENANCE_STACK), "status").endswith("▲ maint")
        assert cell(screen, uid_of(sandbox, HISTORY_STACK), "status") == "✓ deployed"
        assert cell(screen, uid_of(sandbox, HISTORY_STACK), "activity").endswith("ago")
        # Markup in a stack name is shown literally.
        assert cell(screen, uid_of(sandbox, MARKUP_STACK), "name") == MARKUP_STACK
        # Three accounts: the account column is shown.
        assert table.show_account
        assert cell(screen, uid_of(sandbox, HISTORY_STACK), "account") == "Acme Corp"
        # The remaining API budget is visible.
        assert app.rate_text.startswith("API ")
        # Running deploys are listed at start-up.
        banner = str(screen.query_one("#stacks-banner").render())
        assert DEPLOYING_STACK in banner and "Deploying now" in banner


async def test_filter_as_you_type_and_escape_clears(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await pilot.press("slash", "s", "h", "o", "p")
        await pilot.pause()
        shown = [screen.table.stacks[u].name for u in screen.table.visible_uids]
        assert shown and all("shop" in name for name in shown)
        assert DEPLOYING_STACK in shown and HISTORY_STACK in shown
        # Every word must match one of name / environment / status.
        await pilot.press("space", "d", "e", "p", "l", "o", "y", "i", "n", "g")
        await pilot.pause()
        assert [screen.table.stacks[u].name for u in screen.table.visible_uids] == [DEPLOYING_STACK]
        assert "1 match" in str(screen.query_one("#stacks-status").render())
        await pilot.press("escape")
        await pilot.pause()
        assert screen.table.row_count == 40
        assert app.focused is screen.table


async def test_filter_by_environment_keeps_filter_after_enter(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await pilot.press("slash", *"staging", "enter")
        await pilot.pause()
        envs = {screen.table.stacks[u].environment for u in screen.table.visible_uids}
        assert envs == {"staging"}
        assert app.focused is screen.table
        # esc on the list clears the filter too.
        await pilot.press("escape")
        await pilot.pause()
        assert screen.table.row_count == 40


async def test_sort_cycles_columns_and_reverses(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        names = [screen.table.stacks[u].name for u in screen.table.visible_uids]
        assert names == sorted(names, key=str.casefold)
        await pilot.press("s")  # environment
        await pilot.pause()
        envs = [screen.table.stacks[u].environment for u in screen.table.visible_uids]
        assert envs == sorted(envs)
        assert "sort env" in str(screen.query_one("#stacks-status").render())
        await pilot.press("s")  # status: worst first
        await pilot.pause()
        first = screen.table.stacks[screen.table.visible_uids[0]]
        assert first.status_name == "deploy failed"
        await pilot.press("S")  # reversed
        await pilot.pause()
        last = screen.table.stacks[screen.table.visible_uids[-1]]
        assert last.status_name == "deploy failed"
        assert "▼" in str(screen.query_one("#stacks-status").render())


async def test_favourites_pinned_on_top_and_persisted(app_factory, sandbox, isolated_dirs):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, HISTORY_STACK)
        await put_cursor(pilot, screen, uid)
        await pilot.press("f")
        await pilot.pause()
        assert screen.table.visible_uids[0] == uid
        assert screen.table.cursor_uid == uid
        assert cell(screen, uid, "mark") == "★"
        # Still on top when sorted the other way round.
        await pilot.press("S")
        await pilot.pause()
        assert screen.table.visible_uids[0] == uid
        await settle(pilot, screen)
        await wait_until(
            pilot,
            lambda: ConfigStore(isolated_dirs["config"]).load().preferences.favourites == [uid],
            what="favourite saved",
        )
    # A new app with the same configuration shows it pinned.
    again = app_factory()
    async with again.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(again, pilot)
        assert screen.table.visible_uids[0] == uid
        await put_cursor(pilot, screen, uid)
        await pilot.press("f")
        await pilot.pause()
        assert screen.table.visible_uids[0] != uid
        await wait_until(
            pilot,
            lambda: ConfigStore(isolated_dirs["config"]).load().preferences.favourites == [],
            what="favourite removed",
        )


async def test_refresh_updates_changed_cells_in_place_keeping_cursor_and_scroll(
    app_factory, sandbox
):
    app = app_factory()
    async with app.run_test(size=(100, 24)) as pilot:
        screen = await stacks_ready(app, pilot)
        table = screen.table
        await pilot.press(*["down"] * 25)
        await pilot.pause()
        uid_before, row_before, scroll_before = table.cursor_uid, table.cursor_row, table.scroll_y
        assert scroll_before > 0
        # Change one stack that is not under the cursor.
        target = next(u for u in table.visible_uids if u != uid_before)
        record = sandbox.sandbox.stacks[target]
        record.maintenance = True
        updated_before = table.cells_updated
        await refreshed(app, pilot, screen)
        assert cell(screen, target, "status").endswith("▲ maint")
        assert table.cells_updated - updated_before >= 1
        assert (table.cursor_uid, table.cursor_row, table.scroll_y) == (
            uid_before,
            row_before,
            scroll_before,
        )


async def test_poll_that_finds_nothing_new_updates_no_cells(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        before = screen.table.cells_updated
        screen.refresh_stacks()
        await settle(pilot, screen)
        assert screen.table.cells_updated == before
        # The same list applied again changes nothing either.
        assert screen.apply_stacks(list(screen.table.stacks.values())) == 0


async def test_cached_list_shows_at_once_with_age_then_refreshes(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await settle(pilot, screen)
        await wait_until(
            pilot,
            lambda: app.services.cache.load(app.services.profile_name, app.services.api_url)[1]
            is not None,
            what="cache written",
        )
    sandbox.sandbox.inject_fault(r"^/api/\d/stacks(\.json)?$", method="GET", delay=1.5)
    again = app_factory()
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: hasattr(again.screen, "table"), what="screen")
        screen = again.screen
        await wait_until(pilot, lambda: screen.table.row_count == 40, what="cached rows")
        assert not screen.loaded
        status = str(screen.query_one("#stacks-status").render())
        assert "cached" in status
        await wait_until(pilot, lambda: screen.loaded, timeout=10, what="live list")
        await pilot.pause()
        assert "cached" not in str(screen.query_one("#stacks-status").render())


async def test_read_only_profile_disables_redeploy_with_reason(app_factory, sandbox):
    app = app_factory(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        assert screen.check_action("redeploy", ()) is None
        assert screen.check_action("cancel_deploy", ()) is None
        await put_cursor(pilot, screen, uid_of(sandbox, HISTORY_STACK))
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, RedeployDialog)
        assert record.saw("read-only")
        assert redeploy_posts(sandbox, HISTORY_STACK) == []


async def test_missing_redeploy_scope_disables_redeploy_with_reason(app_factory, sandbox):
    app = app_factory(scopes=("public", "jobs"))
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        assert screen.check_action("redeploy", ()) is None
        await put_cursor(pilot, screen, uid_of(sandbox, HISTORY_STACK))
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, RedeployDialog)
        assert record.saw("'redeploy' scope")
        assert redeploy_posts(sandbox, HISTORY_STACK) == []


async def test_enter_opens_detail_and_journal_key_opens_journal(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await put_cursor(pilot, screen, uid_of(sandbox, HISTORY_STACK))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StackDetailScreen))
        assert app.screen.stack.name == HISTORY_STACK
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.press("J")
        await wait_until(pilot, lambda: isinstance(app.screen, JournalScreen))


async def test_marks_toggle_and_escape_clears_them(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        first = screen.table.cursor_uid
        await pilot.press("space", "space")
        await pilot.pause()
        assert len(screen.table.marks) == 2 and first in screen.table.marks
        assert cell(screen, first, "mark") == "●"
        assert "2 marked" in str(screen.query_one("#stacks-status").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.table.marks
        assert cell(screen, first, "mark") == ""


async def test_keys_arriving_in_one_burst_after_slash_go_to_the_filter(app_factory, sandbox):
    from textual import events

    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        # A laggy SSH link delivers "/auth⏎⏎" at once: none of it may act on the list.
        burst = [("slash", "/"), *[(c, c) for c in "auth"], ("enter", "\r"), ("enter", "\r")]
        for key, char in burst:
            app.post_message(events.Key(key, char))
        await wait_until(pilot, lambda: screen.table.filter_text == "auth", what="filtered")
        await until_idle(pilot, app, sandbox)
        assert screen.table.cursor_stack.name == "auth-sync-staging"
        # The second enter either opened the filtered stack or was taken by the filter; it
        # never opened whatever row was highlighted before the filter applied.
        if isinstance(app.screen, StackDetailScreen):
            assert app.screen.stack.name == "auth-sync-staging"
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is screen)
        assert app.focused is screen.table
        # A "/" typed in the filter is a character, not a new filter.
        await pilot.press("escape")
        await pilot.press("slash", "a", "slash", "b")
        await pilot.pause()
        assert screen.query_one("#stacks-filter").value == "a/b"


async def test_idle_terminal_pauses_list_polling_and_a_key_resumes_it(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await settle(pilot, screen)
        assert screen.list_poll_scheduled
        real_clock = screen.scheduler.clock
        screen.scheduler.clock = lambda: real_clock() + 11 * 60  # no key for 11 minutes
        screen.schedule_polls()
        await pilot.pause()
        assert not screen.list_poll_scheduled
        assert "refresh paused (idle)" in str(screen.query_one("#stacks-status").render())
        await pilot.press("down")
        await pilot.pause()
        assert screen.list_poll_scheduled
        assert "refresh 30s" in str(screen.query_one("#stacks-status").render())
