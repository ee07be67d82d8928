"""What the start-up journal check does with writes an earlier run left without an outcome:
a redeploy still running is watched; a job run is looked up among the stack's actions and
the journal and the job's local history get its real outcome (or "unknown", never
"running" forever). The app itself sends nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from c66tui.api import Cloud66Client
from c66tui.ops import job_reconcile
from c66tui.ops.deploy_state import SUCCESS
from c66tui.ops.job_history import JobHistory
from c66tui.ops.journal import Journal
from c66tui.sandbox.seed import MARKUP_STACK
from tests.ui.test_jobs import HISTORY_STACK, job_actions, posts, runnable_job
from tests.ui.test_stacks_support import (
    Recorder,
    redeploy_posts,
    refreshed,
    stacks_ready,
    uid_of,
    wait_until,
)
from tests.waiting import until_idle


@pytest.fixture(autouse=True)
def fast_follow(monkeypatch):
    """Look at a found running action often: the tests move the sandbox clock."""
    monkeypatch.setattr(job_reconcile, "FOLLOW_INTERVAL", 0.05)
    monkeypatch.setattr(job_reconcile, "FOLLOW_MAX_INTERVAL", 0.1)


def interrupted_run(isolated_dirs, sandbox, frozen_clock, *, minutes_ago: float = 0) -> tuple:
    """A run journalled and recorded locally, as the app does right before sending."""
    world = sandbox.sandbox
    stack = world.find_stack(HISTORY_STACK)
    job = runnable_job(sandbox, HISTORY_STACK)
    history = JobHistory(isolated_dirs["state"] / "job-history")
    journal = Journal(isolated_dirs["state"] / "journal.jsonl")
    started = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    run_id = JobHistory.new_run_id()
    frozen_clock(started)  # the journal records the app clock's time
    entry_id = journal.begin(
        "job_run",
        "default",
        stack.uid,
        stack.name,
        {"job_uid": job.uid, "job_name": job.name, "args": "--all", "run_id": run_id},
    )
    frozen_clock(None)
    history.start(
        profile="default",
        stack_uid=stack.uid,
        stack_name=stack.name,
        job_uid=job.uid,
        job_name=job.name,
        args="--all",
        now=started,
        run_id=run_id,
    )
    return journal, history, entry_id, job, run_id


async def send_run_now(sandbox, job) -> None:
    """The earlier run's POST, which reached Cloud 66 before the link dropped."""
    world = sandbox.sandbox
    stack = world.find_stack(HISTORY_STACK)
    token = world.mint_token(["public", "redeploy", "jobs"], email="ops@example.com")
    async with Cloud66Client(sandbox.api_url, token) as api:
        await api.run_job(stack.uid, job.uid, "--all")


async def test_a_redeploy_found_still_running_is_watched(app_factory, sandbox, isolated_dirs):
    uid = uid_of(sandbox, MARKUP_STACK)
    journal = Journal(isolated_dirs["state"] / "journal.jsonl")
    entry_id = journal.begin("redeploy", "default", uid, MARKUP_STACK, {})
    sandbox.sandbox.redeploy(sandbox.sandbox.stacks[uid], user="ops@example.com")
    started = sandbox.sandbox.details(sandbox.sandbox.stacks[uid]).running.id
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        await wait_until(pilot, lambda: entry_id in screen.journal_checks, what="checked")
        assert screen.journal_checks[entry_id].endswith("; watching it")
        watch = screen.book.get(uid)
        assert watch is not None and watch.deployment_id == started
        sandbox.sandbox.finish_all()
        await refreshed(app, pilot, screen)
        await wait_until(pilot, lambda: watch.done, what="watch finished")
        assert watch.phase == SUCCESS and record.saw("deployed successfully")
    assert redeploy_posts(sandbox, MARKUP_STACK) == []


async def test_a_finished_job_run_gets_its_real_outcome(
    app_factory, sandbox, isolated_dirs, frozen_clock
):
    journal, history, entry_id, job, run_id = interrupted_run(
        isolated_dirs, sandbox, frozen_clock, minutes_ago=5
    )
    await send_run_now(sandbox, job)
    sandbox.sandbox.finish_all()
    (action,) = job_actions(sandbox, HISTORY_STACK, job.uid)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await wait_until(pilot, lambda: entry_id in screen.journal_checks, what="checked")
        assert screen.journal_checks[entry_id].endswith("; recorded as ok")
    entry = journal.get(entry_id)
    assert entry.outcome == "ok" and f"action #{action.id}" in entry.detail
    run = history.get(job.uid, run_id)
    assert (run.outcome, run.action_id) == ("ok", action.id)
    assert "--all" in run.message
    assert len(posts(sandbox, "/run_now")) == 1  # only the earlier run's


async def test_a_job_run_still_running_is_followed_to_its_end(
    app_factory, sandbox, isolated_dirs, frozen_clock
):
    journal, history, entry_id, job, run_id = interrupted_run(
        isolated_dirs, sandbox, frozen_clock, minutes_ago=5
    )
    await send_run_now(sandbox, job)
    (action,) = job_actions(sandbox, HISTORY_STACK, job.uid)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        await wait_until(pilot, lambda: entry_id in screen.journal_checks, what="checked")
        assert screen.journal_checks[entry_id].endswith("; following it")
        assert history.get(job.uid, run_id).outcome == "running"
        sandbox.sandbox.finish_all()
        await wait_until(pilot, lambda: history.get(job.uid, run_id).outcome == "ok")
        await wait_until(pilot, lambda: record.saw("Earlier run of"), what="toast")
        assert record.saw("succeeded")
    assert journal.get(entry_id).outcome == "ok"
    assert history.get(job.uid, run_id).action_id == action.id
    assert len(posts(sandbox, "/run_now")) == 1


async def test_the_check_skips_the_action_of_another_run_from_here(
    app_factory, sandbox, isolated_dirs, frozen_clock
):
    journal, history, entry_id, job, run_id = interrupted_run(
        isolated_dirs, sandbox, frozen_clock, minutes_ago=5
    )
    stack = sandbox.sandbox.find_stack(HISTORY_STACK)
    await send_run_now(sandbox, job)  # another run from here, whose answer came back
    (other,) = job_actions(sandbox, HISTORY_STACK, job.uid)
    done = history.start(
        profile="default",
        stack_uid=stack.uid,
        stack_name=stack.name,
        job_uid=job.uid,
        job_name=job.name,
        args="--all",
    )
    history.finish(job.uid, done, "ok", "Job ran", action_id=other.id)
    await send_run_now(sandbox, job)  # the interrupted run's POST
    sandbox.sandbox.finish_all()
    (lost,) = [a for a in job_actions(sandbox, HISTORY_STACK, job.uid) if a.id != other.id]
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await wait_until(pilot, lambda: entry_id in screen.journal_checks, what="checked")
    assert f"action #{lost.id}" in journal.get(entry_id).detail
    assert history.get(job.uid, run_id).action_id == lost.id
    assert history.get(job.uid, done).action_id == other.id


async def test_a_young_job_entry_is_only_reported(
    app_factory, sandbox, isolated_dirs, frozen_clock
):
    # Just started: another running instance may be about to record its outcome, so the
    # check says what it found and writes nothing, follows nothing.
    journal, history, entry_id, job, run_id = interrupted_run(isolated_dirs, sandbox, frozen_clock)
    await send_run_now(sandbox, job)
    sandbox.sandbox.finish_all()
    (action,) = job_actions(sandbox, HISTORY_STACK, job.uid)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        await wait_until(pilot, lambda: entry_id in screen.journal_checks, what="checked")
        summary = screen.journal_checks[entry_id]
        assert f"action #{action.id}" in summary
        assert "recorded as" not in summary and "following it" not in summary
        await until_idle(pilot, app, sandbox)
        assert not record.saw("Earlier run of")
    assert journal.get(entry_id).pending
    run = history.get(job.uid, run_id)
    assert (run.outcome, run.action_id) == ("running", None)
    assert len(posts(sandbox, "/run_now")) == 1


async def test_a_job_run_that_never_arrived_is_unknown_not_running(
    app_factory, sandbox, isolated_dirs, frozen_clock
):
    journal, history, entry_id, job, run_id = interrupted_run(
        isolated_dirs, sandbox, frozen_clock, minutes_ago=10
    )
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await wait_until(pilot, lambda: entry_id in screen.journal_checks, what="checked")
        assert "no run of this job since" in screen.journal_checks[entry_id]
        banner = str(screen.query_one("#stacks-banner").render())
        assert "Outcome unknown: job_run" in banner
    entry = journal.get(entry_id)
    assert entry.outcome == "unknown" and "no run of this job since" in entry.detail
    run = history.get(job.uid, run_id)
    assert run.outcome == "unknown" and "no run of this job since" in run.message
    assert posts(sandbox, "/run_now") == []
