"""The journal viewer: entries newest first with outcome words, detail, check on demand."""

from __future__ import annotations

from textual.widgets import DataTable

from c66tui.journal import Journal
from c66tui.sandbox.seed import HISTORY_STACK, MARKUP_STACK
from c66tui.ui.screens.journal import JournalScreen
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
        assert lost not in screen.checks  # recorded as unknown: not a start-up check
        await pilot.press("enter")
        await wait_until(pilot, lambda: lost in screen.checks, what="checked")
        assert screen.checks[lost] == f"deployment #{running} is still deploying" + (
            ": the cancel may not have reached Cloud 66, or it is still stopping; watch it, "
            "and cancel again if you still want it stopped"
        )
