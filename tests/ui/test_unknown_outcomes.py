"""Writes whose outcome nobody knows (none recorded, or recorded as unknown after a
timeout, a dropped link or SIGHUP) are counted by ``c66tui status`` and listed by
``c66tui journal --pending`` until a later check settles them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from c66tui.ops.journal import UNRESOLVED_DAYS, Journal
from tests.test_cli import run


def test_unknown_and_unrecorded_outcomes_are_counted_and_listed(isolated_dirs, capsys):
    journal = Journal()
    done = journal.begin("redeploy", "default", "u1", "shop-web")
    journal.complete(done, "ok", "queued")
    cut = journal.begin("redeploy", "default", "u2", "billing-api")
    journal.mark_unknown(cut, "the link dropped (SIGHUP) while sending")
    journal.begin("job_run", "default", "u3", "worker")  # the process died: no outcome
    code, out, _ = run(["status"], capsys)
    assert code == 0 and re.search(r"Pending actions:\s+2\n", out)
    code, out, _ = run(["journal", "--pending"], capsys)
    assert code == 0
    assert "billing-api" in out and "unknown" in out and "worker" in out
    assert "shop-web" not in out
    # A later check that finds the deployment settles it.
    journal.complete(cut, "ok", "the request reached Cloud 66 (checked later)")
    assert [e.stack_name for e in journal.unresolved()] == ["worker"]


def test_old_unknown_outcomes_stop_being_shown(isolated_dirs):
    journal = Journal()
    entry = journal.begin("redeploy", "default", "u1", "shop-web")
    journal.mark_unknown(entry)
    later = datetime.now(UTC) + timedelta(days=UNRESOLVED_DAYS + 1)
    assert journal.unresolved() and not journal.unresolved(now=later)


def test_nothing_unknown_says_so(isolated_dirs, capsys):
    assert "No action with an unknown outcome" in run(["journal", "--pending"], capsys)[1]


async def test_an_unknown_outcome_from_an_earlier_run_is_shown_checked_and_settled(
    app_factory, sandbox, isolated_dirs, frozen_clock
):
    from c66tui.ops.redeploy import BASELINE_ID
    from c66tui.sandbox.seed import MARKUP_STACK
    from tests.ui.test_stacks_support import redeploy_posts, stacks_ready, uid_of, wait_until

    world = sandbox.sandbox
    uid = uid_of(sandbox, MARKUP_STACK)
    before = world.details(world.stacks[uid]).deployments
    baseline = max(d.id for d in before) if before else None
    journal = Journal(isolated_dirs["state"] / "journal.jsonl")
    started = datetime.now(UTC) - timedelta(minutes=10)
    frozen_clock(started)  # the journal records the app clock's time
    entry_id = journal.begin("redeploy", "default", uid, MARKUP_STACK, {BASELINE_ID: baseline})
    # The earlier run got SIGHUP while the answer was on its way.
    journal.mark_unknown(entry_id, "interrupted while sending")
    frozen_clock(None)
    world.redeploy(world.stacks[uid], user="ops@example.com")  # it did reach Cloud 66
    world.finish_all()
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await wait_until(pilot, lambda: entry_id in screen.journal_checks, what="checked")
        banner = str(screen.query_one("#stacks-banner").render())
        assert "Outcome unknown: redeploy of" in banner and "found deployment" in banner
        assert screen.journal_checks[entry_id].endswith("recorded as ok")
    assert journal.get(entry_id).outcome == "ok"
    assert journal.unresolved() == []
    assert redeploy_posts(sandbox, MARKUP_STACK) == []  # checked, never sent again
