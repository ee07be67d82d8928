"""Job writes over the write engine, against the sandbox on a loopback socket: a run is in
the journal and the local history before it is sent, a run whose follower is cancelled is
recorded as no longer followed (never as done), and a refused pause says so."""

from __future__ import annotations

import asyncio

import pytest

from c66tui.api import Cloud66Client
from c66tui.api.models import Stack
from c66tui.ops.job_history import JobHistory
from c66tui.ops.job_writes import JobWrites
from c66tui.sandbox import Sandbox, seed
from tests.ops.test_redeploy import FakeServices
from tests.waiting import until


@pytest.fixture
async def services(sandbox, tmp_path):
    found = FakeServices(tmp_path)
    async with Cloud66Client(sandbox.api_url, Sandbox.DEMO_TOKEN, backoff_base=0.01) as api:
        found.api = api
        yield found


async def _stack_and_job(services, sandbox):
    uid = sandbox.sandbox.find_stack(seed.QUIET_STACK).uid
    stack = Stack.from_api({"uid": uid, "name": seed.QUIET_STACK})
    return stack, (await services.api.list_jobs(uid))[0]


async def test_a_followed_run_ends_in_the_journal_and_the_history(services, sandbox, tmp_path):
    stack, job = await _stack_and_job(services, sandbox)
    history = JobHistory(tmp_path / "jobs")
    told: list[tuple[str, bool]] = []
    writes = JobWrites(
        services,
        history,
        poll_interval=0.01,
        poll_max=0.02,
        on_record=lambda outcome, _message, quiet: told.append((outcome, quiet)),
        on_progress=lambda _text: sandbox.sandbox.finish_all(),
    )
    done = await writes.run(job, stack, "--now")
    assert (done.outcome, done.followed) == ("ok", True), done.message
    [entry] = services.journal.entries()
    assert (entry.kind, entry.outcome, entry.params["args"]) == ("job_run", "ok", "--now")
    assert entry.request_id == done.request_id
    run = history.last_run(job.uid)
    assert run.outcome == "ok" and run.action_id == done.action.id
    assert told == [("ok", False)]


async def test_a_run_whose_follower_is_cancelled_is_not_recorded_as_done(
    services, sandbox, tmp_path
):
    stack, job = await _stack_and_job(services, sandbox)
    history = JobHistory(tmp_path / "jobs")
    writes = JobWrites(services, history, poll_interval=0.05, poll_max=0.05)
    task = asyncio.ensure_future(writes.run(job, stack))
    await until(None, lambda: history.last_run(job.uid) is not None, what="the run recorded")
    await until(
        None,
        lambda: history.last_run(job.uid).action_id is not None,
        what="the run accepted and followed",
    )
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    [entry] = services.journal.entries()
    assert entry.outcome == "unknown" and "stopped following" in entry.detail
    assert history.last_run(job.uid).outcome == "unknown"
    assert not services.is_in_flight(f"job:{job.uid}")


async def test_a_refused_pause_is_failed_and_says_why(services, sandbox, tmp_path):
    stack, job = await _stack_and_job(services, sandbox)
    sandbox.sandbox.inject_fault(f"/jobs/{job.uid}/pause", method="POST", status=403)
    done = await JobWrites(services, JobHistory(tmp_path / "jobs")).set_paused(job, stack, True)
    assert done.outcome == "failed" and done.refusal is not None
    assert done.message.startswith("refused: ")
    [entry] = services.journal.entries()
    assert (entry.kind, entry.outcome) == ("job_pause", "failed")
    assert services.missing == [done.refusal]
