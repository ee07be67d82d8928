"""Writes whose outcome is unknown, against the sandbox's fault injection: a 5xx answer to
a redeploy or a cancel, and a cancel whose answer never comes, are marked "outcome
unknown", never resent, and checked against the deployments list automatically."""

from __future__ import annotations

from c66tui.sandbox.seed import DEPLOYING_STACK, MARKUP_STACK
from c66tui.ui.dialogs.confirm import ConfirmDialog
from tests.ui.test_redeploy import journal_entries, open_dialog
from tests.ui.test_stacks_support import (
    Recorder,
    put_cursor,
    redeploy_posts,
    requests,
    stacks_ready,
    uid_of,
    wait_until,
)
from tests.ui.timing import SLOW_ANSWER_CLIENT, SLOW_ANSWER_DELAY
from tests.waiting import until_idle


async def test_5xx_after_the_deploy_started_is_unknown_checked_and_watched(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, MARKUP_STACK)
        # The server starts the deploy, then a gateway answers 502.
        sandbox.sandbox.inject_fault(
            f"/stacks/{uid}/deployments$", method="POST", status=502, when="after"
        )
        await open_dialog(app, pilot, screen, uid)
        await pilot.press("y")
        await wait_until(pilot, lambda: record.saw("outcome is unknown"), what="unknown toast")
        assert record.saw("server error (HTTP 502)") and record.saw("NOT sent again")
        assert not record.saw("Try again") and not record.saw("try again in a moment")
        [entry] = journal_entries(app)
        assert entry.outcome == "unknown"
        assert "HTTP 502" in entry.detail and "check: found deployment" in entry.detail
        # What the check found is followed like a deploy the app started.
        watch = screen.book.get(uid)
        assert watch is not None and watch.deployment_id is not None
        await until_idle(pilot, app, sandbox)
        assert len(redeploy_posts(sandbox, MARKUP_STACK)) == 1


async def test_5xx_before_anything_ran_is_unknown_and_says_so(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, MARKUP_STACK)
        before = len(sandbox.sandbox.details(sandbox.sandbox.stacks[uid]).deployments)
        sandbox.sandbox.inject_fault(
            f"/stacks/{uid}/deployments$", method="POST", status=503, when="before"
        )
        await open_dialog(app, pilot, screen, uid)
        await pilot.press("y")
        await wait_until(pilot, lambda: record.saw("outcome is unknown"), what="unknown toast")
        [entry] = journal_entries(app)
        assert entry.outcome == "unknown"
        assert "probably did not reach Cloud 66" in entry.detail
        assert record.saw("probably did not reach Cloud 66")
        assert uid not in screen.book
        await until_idle(pilot, app, sandbox)
        assert len(redeploy_posts(sandbox, MARKUP_STACK)) == 1
        assert len(sandbox.sandbox.details(sandbox.sandbox.stacks[uid]).deployments) == before


async def _cancel_running_deploy(app, pilot, screen, uid):
    await put_cursor(pilot, screen, uid)
    await pilot.press("c")
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="confirm")
    await pilot.press("y")


async def test_cancel_without_an_answer_is_checked_against_the_deployments(app_factory, sandbox):
    app = app_factory(client_kwargs=SLOW_ANSWER_CLIENT)
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, DEPLOYING_STACK)
        running = sandbox.sandbox.details(sandbox.sandbox.stacks[uid]).running.id
        # Cloud 66 cancels the deploy, but the answer takes longer than the deadline.
        sandbox.sandbox.inject_fault(r"/deployments/\d+$", method="DELETE", delay=SLOW_ANSWER_DELAY)
        await _cancel_running_deploy(app, pilot, screen, uid)
        await wait_until(pilot, lambda: record.saw("outcome is unknown"), timeout=10)
        assert record.saw("no answer arrived") and record.saw("NOT sent again")
        assert record.saw(f"deployment #{running} was cancelled")
        [entry] = journal_entries(app, "cancel")
        assert entry.outcome == "unknown"
        assert f"check: deployment #{running} was cancelled" in entry.detail
        assert uid not in screen.book  # a deploy that was cancelled is not watched
        await until_idle(pilot, app, sandbox)  # the late answer included
        assert len(requests(sandbox, "DELETE", "/deployments/")) == 1


async def test_cancel_refused_by_a_gateway_reports_the_deploy_still_running(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, DEPLOYING_STACK)
        running = sandbox.sandbox.details(sandbox.sandbox.stacks[uid]).running.id
        sandbox.sandbox.inject_fault(
            r"/deployments/\d+$", method="DELETE", status=504, when="before"
        )
        await _cancel_running_deploy(app, pilot, screen, uid)
        await wait_until(pilot, lambda: record.saw("outcome is unknown"))
        assert record.saw("server error (HTTP 504)")
        assert record.saw(f"deployment #{running} is still deploying")
        [entry] = journal_entries(app, "cancel")
        assert entry.outcome == "unknown" and "still deploying" in entry.detail
        # The deploy is watched so its real end shows up.
        watch = screen.book.get(uid)
        assert watch is not None and watch.deployment_id == running
        assert len(requests(sandbox, "DELETE", "/deployments/")) == 1


async def test_pending_cancel_is_checked_against_its_deployment_after_restart(
    app_factory, sandbox, isolated_dirs
):
    from c66tui.ops.journal import Journal

    world = sandbox.sandbox
    uid = uid_of(sandbox, DEPLOYING_STACK)
    running = world.details(world.stacks[uid]).running.id
    journal = Journal(isolated_dirs["state"] / "journal.jsonl")
    entry_id = journal.begin("cancel", "default", uid, DEPLOYING_STACK, {"deployment_id": running})
    # The cancel reached Cloud 66 before the link dropped.
    world.cancel_deploy(world.stacks[uid], str(running))
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await wait_until(pilot, lambda: entry_id in screen.journal_checks, what="checked")
        assert screen.journal_checks[entry_id] == f"deployment #{running} was cancelled"
        banner = str(screen.query_one("#stacks-banner").render())
        assert "Outcome unknown: cancel" in banner and "was cancelled" in banner
    assert requests(sandbox, "DELETE", "/deployments/") == []
