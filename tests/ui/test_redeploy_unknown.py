"""Writes whose outcome is unknown, against the sandbox's fault injection: a 5xx answer to
a redeploy or a cancel, and a cancel whose answer never comes, are marked "outcome
unknown", never resent, and checked against the deployments list automatically."""

from __future__ import annotations

from c66tui.sandbox.seed import MARKUP_STACK
from tests.ui.test_redeploy import journal_entries, open_dialog
from tests.ui.test_stacks_support import (
    Recorder,
    redeploy_posts,
    stacks_ready,
    uid_of,
    wait_until,
)


async def test_5xx_after_the_deploy_started_is_unknown_checked_and_watched(
    app_factory, sandbox
):
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
        await pilot.pause(0.5)
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
        await pilot.pause(0.5)
        assert len(redeploy_posts(sandbox, MARKUP_STACK)) == 1
        assert len(sandbox.sandbox.details(sandbox.sandbox.stacks[uid]).deployments) == before
