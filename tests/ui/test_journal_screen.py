"""The journal viewer: entries newest first with outcome words, detail, check on demand."""

from __future__ import annotations

from textual.widgets import DataTable

from c66tui.ops.journal import Journal
from c66tui.sandbox.seed import HISTORY_STACK, MARKUP_STACK
from c66tui.ui.screens.journal import JournalScreen
from c66tui.ui.widgets.filter_bar import FilterBar
from tests.ui.test_stacks_support import settle, stacks_ready, uid_of, wait_until


async def open_journal(app, pilot) -> JournalScreen:
    screen = await stacks_ready(app, pilot)
    await pilot.press("J")
    await wait_until(pilot, lambda: isinstance(app.screen, JournalScreen))
    journal = app.screen
    await settle(pilot, journal)
    assert screen is not journal
    return journal


async def test_entries_newest_first_with_outcomes(app_factory, sandbox, isolated_dirs):
    journal = Journal(isolated_dirs["state"] / "journal.jsonl")
    ok = journal.begin(
        "redeploy", "default", uid_of(sandbox, HISTORY_STACK), HISTORY_STACK, {"git_ref": "v2"}
    )
    journal.complete(ok, "ok", "Stack queued for redeployment")
    failed = journal.begin(
        "cancel", "default", uid_of(sandbox, HISTORY_STACK), HISTORY_STACK, {"deployment_id": 5}
    )
    journal.complete(failed, "failed", "refused by Cloud 66 (409)")
    lost = journal.begin("redeploy", "default", uid_of(sandbox, MARKUP_STACK), MARKUP_STACK)
    journal.complete(lost, "unknown", "sent, but no answer arrived")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_journal(app, pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        rows = [table.get_row_at(r) for r in range(3)]
        assert [r[2].plain for r in rows] == [MARKUP_STACK, HISTORY_STACK, HISTORY_STACK]
        assert [r[3].plain for r in rows] == ["? unknown", "✗ failed", "✓ ok"]
        assert rows[2][6].plain == "git_ref=v2"
        assert "@" in rows[0][4].plain  # user@host
        title = str(screen.query_one("#journal-title").render())
        assert "3 entries" in title and "1 with outcome unknown" in title
        detail = str(screen.query_one("#journal-detail").render())
        assert MARKUP_STACK in detail and "no answer arrived" in detail
        # enter checks the highlighted entry against the deployments list.
        await pilot.press("enter")
        await wait_until(pilot, lambda: lost in screen.checks, what="checked")
        assert "no new deployment" in screen.checks[lost]
        assert "Check against deployments" in str(screen.query_one("#journal-detail").render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, JournalScreen))


async def test_empty_journal_says_so(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_journal(app, pilot)
        assert screen.query_one(DataTable).row_count == 0
        assert "No writes" in str(screen.query_one("#journal-detail").render())


async def test_enter_checks_a_cancel_against_the_deployment_it_meant_to_stop(
    app_factory, sandbox, isolated_dirs
):
    from c66tui.sandbox.seed import DEPLOYING_STACK

    world = sandbox.sandbox
    uid = uid_of(sandbox, DEPLOYING_STACK)
    running = world.details(world.stacks[uid]).running.id
    journal = Journal(isolated_dirs["state"] / "journal.jsonl")
    lost = journal.begin("cancel", "default", uid, DEPLOYING_STACK, {"deployment_id": running})
    journal.complete(lost, "unknown", "sent, but no answer arrived")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_journal(app, pilot)
        # An unknown outcome is checked at start-up too; enter checks it again now.
        await wait_until(pilot, lambda: lost in screen.checks, what="start-up check")
        screen.checks.pop(lost)
        await pilot.press("enter")
        await wait_until(pilot, lambda: lost in screen.checks, what="checked")
        assert screen.checks[lost] == f"deployment #{running} is still deploying" + (
            ": the cancel may not have reached Cloud 66, or it is still stopping; watch it, "
            "and cancel again if you still want it stopped"
        )


def three_entries(sandbox, isolated_dirs) -> Journal:
    """A redeploy (ok) and a cancel (failed) of one stack, a redeploy (unknown) of another."""
    journal = Journal(isolated_dirs["state"] / "journal.jsonl")
    history = uid_of(sandbox, HISTORY_STACK)
    ok = journal.begin("redeploy", "default", history, HISTORY_STACK, {"git_ref": "v2"})
    journal.complete(ok, "ok", "Stack queued for redeployment")
    failed = journal.begin("cancel", "default", history, HISTORY_STACK, {"deployment_id": 5})
    journal.complete(failed, "failed", "refused by Cloud 66 (409)")
    lost = journal.begin("redeploy", "default", uid_of(sandbox, MARKUP_STACK), MARKUP_STACK)
    journal.complete(lost, "unknown", "sent, but no answer arrived")
    return journal


def shown(screen) -> list[tuple[str, str, str]]:
    """(action, stack, outcome) of each row the table shows."""
    table = screen.query_one(DataTable)
    rows = [table.get_row_at(r) for r in range(table.row_count)]
    return [(r[1].plain, r[2].plain, r[3].plain) for r in rows]


async def test_filter_by_columns_enter_keeps_esc_clears_then_goes_back(
    app_factory, sandbox, isolated_dirs
):
    three_entries(sandbox, isolated_dirs)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_journal(app, pilot)
        table = screen.query_one(DataTable)
        bar = screen.query_one(FilterBar)
        assert len(shown(screen)) == 3
        await pilot.press("slash")
        assert app.focused is bar
        # Stack name and action: every word must match some column.
        await pilot.press(*HISTORY_STACK, "space", *"cancel")
        assert shown(screen) == [("cancel", HISTORY_STACK, "✗ failed")]
        assert "1 of 3 match" in str(screen.query_one("#journal-title").render())
        # enter keeps the filter and returns to the list.
        await pilot.press("enter")
        assert app.focused is table and bar.display
        assert shown(screen) == [("cancel", HISTORY_STACK, "✗ failed")]
        # The outcome word and the parameters are columns too.
        await pilot.press("slash", "ctrl+u", *"unknown")
        assert shown(screen) == [("redeploy", MARKUP_STACK, "? unknown")]
        await pilot.press("ctrl+u", *"git_ref=v2")
        assert shown(screen) == [("redeploy", HISTORY_STACK, "✓ ok")]
        await pilot.press("ctrl+u", *"nothing-like-this")
        assert shown(screen) == []
        assert "Nothing matches" in str(screen.query_one("#journal-detail").render())
        # esc in the field clears the filter and gives the focus back.
        await pilot.press("escape")
        await pilot.pause()
        assert len(shown(screen)) == 3 and app.focused is table and not bar.display
        # esc on the list clears a kept filter first, and only then goes back.
        await pilot.press("slash", *"cancel", "enter", "escape")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen) and len(shown(screen)) == 3
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, JournalScreen))


async def test_keys_typed_in_one_burst_after_slash_go_to_the_filter(
    app_factory, sandbox, isolated_dirs
):
    from tests.ui.burst import type_fast

    three_entries(sandbox, isolated_dirs)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_journal(app, pilot)
        # q quits and 1 switches to the stacks screen: typed right behind "/" they filter.
        await type_fast(app, pilot, "/q1")
        assert app.screen is screen and app.is_running
        assert screen.query_one(FilterBar).value == "q1"
        await pilot.press("ctrl+u")
        await type_fast(app, pilot, "a/b")
        assert screen.query_one(FilterBar).value == "a/b"
