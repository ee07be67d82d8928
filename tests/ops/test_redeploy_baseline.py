"""The journal keeps the newest deployment seen before a redeploy is sent, and the check
after an unknown outcome takes only deployments newer than it (over a real socket to the
sandbox): a process killed right after confirming the third redeploy in two minutes is
not reported as the earlier, finished one."""

from __future__ import annotations

import pytest

from c66tui.api import Cloud66Client
from c66tui.ops.redeploy import BASELINE_ID, RedeployController, RedeployRequest
from c66tui.sandbox import Sandbox, seed
from tests.ops.test_redeploy import FakeServices


@pytest.fixture
async def services(sandbox, tmp_path):
    found = FakeServices(tmp_path)
    async with Cloud66Client(sandbox.api_url, Sandbox.DEMO_TOKEN, backoff_base=0.01) as api:
        found.api = api
        yield found


async def _deploy_and_finish(api, sandbox, uid: str) -> None:
    await api.redeploy(uid)
    sandbox.sandbox.finish_all()


async def test_the_redeploy_journals_its_baseline_before_sending(services, sandbox):
    uid = sandbox.sandbox.find_stack(seed.QUIET_STACK).uid
    await _deploy_and_finish(services.api, sandbox, uid)
    controller = RedeployController(services)
    pre = await controller.preflight(uid)
    assert controller.claim(uid)
    outcome = await controller.redeploy(pre.stack, RedeployRequest(), preflight=pre)
    assert outcome.ok
    [entry] = services.journal.entries()
    assert entry.params[BASELINE_ID] == pre.baseline_id is not None
    assert entry.params["baseline_deployment_at"]


async def test_after_a_kill_only_a_newer_deployment_is_taken(services, sandbox):
    uid = sandbox.sandbox.find_stack(seed.QUIET_STACK).uid
    for _ in range(2):  # two redeploys in the last two minutes, both finished
        await _deploy_and_finish(services.api, sandbox, uid)
    controller = RedeployController(services)
    pre = await controller.preflight(uid)
    # The third: journalled with its baseline, then the process is killed before the
    # request leaves (what the journal holds after a kill -9 at that moment).
    params = {"environment": pre.stack.environment, **pre.baseline_params()}
    services.journal.begin("redeploy", "default", uid, pre.stack.name, params)
    [entry] = services.journal.pending()
    report = await controller.check_entry(entry)
    assert report.deployment is None, report.summary
    assert "no new deployment" in report.summary
    # Had it reached Cloud 66, the new deployment (and only it) is found.
    await services.api.redeploy(uid)
    report = await controller.check_entry(entry)
    newest = (await services.api.list_deployments(uid))[0]
    assert report.deployment is not None and report.deployment.id == newest.id
    assert newest.id > pre.baseline_id
