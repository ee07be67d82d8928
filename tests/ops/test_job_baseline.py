"""A job write journals the newest action of the stack before it is sent, and the check
after a lost answer takes only newer actions (over a real socket to the sandbox): a run
started elsewhere a minute earlier is never reported as this one's result."""

from __future__ import annotations

import pytest

from c66tui.api import Cloud66Client
from c66tui.api.models import Stack
from c66tui.ops.job_history import JobHistory
from c66tui.ops.job_reconcile import BASELINE_ACTION_ID, check_job_entry
from c66tui.ops.job_writes import JobWrites
from c66tui.sandbox import Sandbox, seed
from tests.ops.test_redeploy import FakeServices


@pytest.fixture
async def services(sandbox, tmp_path):
    found = FakeServices(tmp_path)
    async with Cloud66Client(sandbox.api_url, Sandbox.DEMO_TOKEN, backoff_base=0.01) as api:
        found.api = api
        yield found


async def _stack_and_job(services, sandbox):
    uid = sandbox.sandbox.find_stack(seed.QUIET_STACK).uid
    stack = Stack.from_api({"uid": uid, "name": seed.QUIET_STACK})
    job = (await services.api.list_jobs(uid))[0]
    return stack, job


def _writes(services, tmp_path) -> JobWrites:
    return JobWrites(services, JobHistory(tmp_path / "jobs"), poll_interval=0.01, poll_max=0.05)


async def test_a_run_journals_the_newest_action_before_sending(services, sandbox, tmp_path):
    stack, job = await _stack_and_job(services, sandbox)
    newest = (await services.api.list_actions(stack.uid))[0].id
    done = await _writes(services, tmp_path).run(job, stack, follow=False)
    assert done.outcome == "ok", done.message
    [entry] = services.journal.entries()
    assert entry.params[BASELINE_ACTION_ID] == newest
    assert done.action.id > newest


async def test_a_lost_run_is_not_matched_to_an_earlier_run_from_elsewhere(
    services, sandbox, tmp_path
):
    stack, job = await _stack_and_job(services, sandbox)
    await services.api.run_job(stack.uid, job.uid)  # e.g. from the web UI, a minute ago
    sandbox.sandbox.finish_all()
    # This run's request is cut off before Cloud 66 carries it out.
    sandbox.sandbox.inject_fault(
        f"/jobs/{job.uid}/run_now", method="POST", drop=True, when="before"
    )
    done = await _writes(services, tmp_path).run(job, stack)
    assert done.outcome == "unknown", done.message
    assert done.action is None, done.message
    assert "probably did not reach" in done.message
    [entry] = services.journal.entries()
    # Checked again later (a new start): still not the earlier run.
    check = await check_job_entry(services, JobHistory(tmp_path / "jobs"), entry)
    assert check.action is None, check.summary


async def test_a_lost_answer_finds_only_the_newer_run(services, sandbox, tmp_path):
    stack, job = await _stack_and_job(services, sandbox)
    await services.api.run_job(stack.uid, job.uid)
    sandbox.sandbox.finish_all()
    earlier = (await services.api.list_actions(stack.uid))[0].id
    sandbox.sandbox.inject_fault(f"/jobs/{job.uid}/run_now", method="POST", drop=True)
    done = await _writes(services, tmp_path).run(job, stack, follow=False)
    assert done.action is not None and done.action.id > earlier, done.message


async def test_a_lost_pause_is_not_matched_to_an_earlier_pause(services, sandbox, tmp_path):
    stack, job = await _stack_and_job(services, sandbox)
    await services.api.pause_job(stack.uid, job.uid)  # paused elsewhere, then resumed
    sandbox.sandbox.finish_all()
    await services.api.resume_job(stack.uid, job.uid)
    sandbox.sandbox.finish_all()
    sandbox.sandbox.inject_fault(f"/jobs/{job.uid}/pause", method="POST", drop=True, when="before")
    done = await _writes(services, tmp_path).set_paused(job, stack, True)
    assert done.outcome == "unknown" and done.action is None, done.message
    [entry] = services.journal.entries()
    assert isinstance(entry.params[BASELINE_ACTION_ID], int)
