"""The redeploy controller and queue runner without a UI: journal order, single flight,
cancellation shielding, outcome-unknown reconciling and stopping on failure."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest

from c66tui.api.errormap import error_from_response
from c66tui.api.errors import ConflictError, MissingScopeError, OutcomeUnknownError
from c66tui.api.models import Deployment, RedeployResult, Stack
from c66tui.ops.deploy_state import (
    DEPLOYING,
    FAILED,
    QUEUED,
    SUCCESS,
    WAITING,
    DeployWatch,
    WatchBook,
    typical_seconds,
)
from c66tui.ops.journal import Journal
from c66tui.ops.redeploy import (
    Preflight,
    QueueRunner,
    RedeployController,
    RedeployRequest,
    unknown_detail,
)
from tests.waiting import until

T0 = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)


def stack(uid="s1", name="shop", env="production", status=1, busy=False) -> Stack:
    """A stack; ``busy`` is said by the status code alone (5 or 6), as the API does."""
    assert not busy or status in (5, 6)
    return Stack(uid=uid, name=name, environment=env, status=status)


def deployment(id, *, minutes_ago=60, took=300, outcome="success", deploying=False):
    started = T0 - timedelta(minutes=minutes_ago)
    raw = {
        "id": id,
        "triggered_by": "dev@example.com",
        "triggered_via": {"code": 1, "meaning": "api"},
        "started_at": started.isoformat(),
        "finished_at": None if deploying else (started + timedelta(seconds=took)).isoformat(),
        "outcome": None if deploying else {"code": 1, "meaning": outcome},
        "is_deploying": deploying,
        "git_hash": "abcdef1234567",
    }
    return Deployment.from_api(raw)


class FakeApi:
    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.posts: list[tuple] = []
        self.deletes: list[tuple] = []
        self.deployments: dict[str, list[Deployment]] = {}
        self.stacks: dict[str, Stack] = {}
        self.gate: asyncio.Event | None = None
        self.fail: Exception | None = None
        self.pending_at_post: list[int] = []

    async def get_stack(self, uid):
        return self.stacks.get(uid, stack(uid=uid))

    async def list_deployments(self, uid):
        return list(self.deployments.get(uid, []))

    async def redeploy(self, uid, git_ref=None, services=None):
        # The intent must already be in the journal, fsynced, when the request goes out.
        self.pending_at_post.append(len(self.journal.pending()))
        self.posts.append((uid, git_ref, services))
        if self.gate is not None:
            await self.gate.wait()
        if self.fail is not None:
            raise self.fail
        return RedeployResult(ok=True, message="Stack queued for redeployment", async_action_id=7)

    async def cancel_deployment(self, uid, deployment_id):
        self.deletes.append((uid, deployment_id))
        return {"ok": True, "message": "Cancelling deployment"}


class FakeServices:
    def __init__(self, tmp_path) -> None:
        self.journal = Journal(tmp_path / "journal.jsonl")
        self.api = FakeApi(self.journal)
        self.profile_name = "default"
        self.account_email = "ops@example.com"
        self.in_flight: set[str] = set()
        self.missing: list[MissingScopeError] = []

    async def read(self, call):
        return await call(self.api)

    def is_in_flight(self, key):
        return key in self.in_flight

    @asynccontextmanager
    async def single_flight(self, key):
        if key in self.in_flight:
            raise RuntimeError(key)
        self.in_flight.add(key)
        try:
            yield
        finally:
            self.in_flight.discard(key)

    def note_missing_scope(self, error):
        self.missing.append(error)


@pytest.fixture
def services(tmp_path):
    return FakeServices(tmp_path)


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


async def test_journal_is_written_before_the_post_and_completed_after(services):
    controller = RedeployController(services)
    assert controller.claim("s1")
    outcome = await controller.redeploy(stack(), RedeployRequest.parse("v1", "web, worker"))
    assert outcome.ok and outcome.result.async_action_id == 7
    assert services.api.pending_at_post == [1]
    assert services.api.posts == [("s1", "v1", ["web", "worker"])]
    [entry] = services.journal.entries()
    assert entry.outcome == "ok" and "action #7" in entry.detail
    assert entry.params == {
        "environment": "production",
        "git_ref": "v1",
        "services": ["web", "worker"],
    }
    assert entry.account == "ops@example.com"
    assert not controller.is_claimed("s1")


async def test_claim_is_single_flight_with_a_cool_down(services):
    clock = Clock()
    controller = RedeployController(services, monotonic=clock, cooldown=3.0)
    assert controller.claim("s1")
    assert not controller.claim("s1")
    assert "already waiting for confirmation" in controller.busy_reason("s1")
    controller.release("s1")
    assert controller.claim("s1")
    await controller.redeploy(stack(), RedeployRequest())
    assert not controller.claim("s1")
    assert "just sent" in controller.busy_reason("s1")
    clock.now += 3.5
    assert controller.claim("s1")
    # Cancel has its own claim.
    assert controller.claim("s1", "cancel")
    assert not controller.claim("s1", "cancel")


async def test_post_is_shielded_from_cancellation(services):
    controller = RedeployController(services)
    services.api.gate = asyncio.Event()
    controller.claim("s1")
    task = asyncio.ensure_future(controller.redeploy(stack(), RedeployRequest()))
    await until(None, lambda: services.api.posts, what="the POST sent")
    assert services.api.posts and controller.in_flight
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The request carries on and its outcome is still recorded.
    services.api.gate.set()
    await until(None, lambda: not controller.in_flight, what="the shielded POST finished")
    [entry] = services.journal.entries()
    assert entry.outcome == "ok"
    assert len(services.api.posts) == 1


async def test_lost_answer_is_unknown_reconciled_and_never_resent(services):
    controller = RedeployController(services)
    services.api.deployments["s1"] = [deployment(50, minutes_ago=600)]
    pre = await controller.preflight("s1")
    assert pre.baseline_id == 50
    services.api.fail = OutcomeUnknownError("read timeout after sending")
    # The server did start a deploy before the answer was lost.
    new = deployment(51, minutes_ago=0, deploying=True)
    original = services.api.redeploy

    async def redeploy_and_start(*args, **kwargs):
        services.api.deployments["s1"].insert(0, new)
        return await original(*args, **kwargs)

    services.api.redeploy = redeploy_and_start
    controller.claim("s1")
    outcome = await controller.redeploy(pre.stack, RedeployRequest(), preflight=pre)
    assert outcome.status == "unknown"
    assert outcome.reconcile.found and outcome.reconcile.deployment.id == 51
    assert len(services.api.posts) == 1
    [entry] = services.journal.entries()
    assert entry.outcome == "unknown"
    assert "found deployment #51" in entry.detail


async def test_reconcile_without_a_new_deployment_says_so(services):
    controller = RedeployController(services)
    services.api.deployments["s1"] = [deployment(50, minutes_ago=600)]
    report = await controller.reconcile("s1", since=T0, baseline_id=50)
    assert not report.found
    assert "probably did not reach" in report.summary
    services.api.stacks["s1"] = stack(status=5, busy=True)
    report = await controller.reconcile("s1", since=T0, baseline_id=50)
    assert "check again" in report.summary


async def test_refusals_are_failed_and_missing_scope_is_remembered(services):
    controller = RedeployController(services)
    services.api.fail = MissingScopeError("forbidden", scope="redeploy", status=403)
    outcome = await controller.redeploy(stack(), RedeployRequest())
    assert outcome.status == "failed" and "redeploy' scope" in outcome.message
    assert services.missing
    services.api.fail = ConflictError("Stack is deploying", status=409)
    outcome = await controller.redeploy(stack(uid="s2"), RedeployRequest())
    assert outcome.status == "failed" and "409" in outcome.message
    assert [e.outcome for e in services.journal.entries()] == ["failed", "failed"]


async def test_cancel_is_journalled(services):
    controller = RedeployController(services)
    controller.claim("s1", "cancel")
    outcome = await controller.cancel(stack(), deployment(51, deploying=True))
    assert outcome.ok
    assert services.api.deletes == [("s1", 51)]
    [entry] = services.journal.entries()
    assert entry.kind == "cancel" and entry.outcome == "ok"
    assert entry.params["deployment_id"] == 51
    assert not controller.is_claimed("s1", "cancel")


def test_watch_follows_the_new_deployment_through_its_phases():
    watch = DeployWatch("s1", "shop", baseline_id=50, requested_at=T0)
    old = deployment(50, minutes_ago=600)
    watch.update(stack(status=5, busy=True), [old])
    assert watch.phase == QUEUED
    queued = Deployment.from_api({"id": 51, "is_deploying": False, "started_at": None})
    watch.update(None, [queued, old])
    assert watch.phase == QUEUED and watch.deployment_id == 51
    watch.update(None, [deployment(51, minutes_ago=1, deploying=True), old])
    assert watch.phase == DEPLOYING and watch.elapsed(T0) == pytest.approx(60)
    watch.update(None, [deployment(51, minutes_ago=1, took=50, outcome="failed"), old])
    assert watch.phase == FAILED and watch.done
    assert watch.typical == pytest.approx(300)


def test_watch_of_an_idle_stack_waits():
    watch = DeployWatch("s1", "shop")
    watch.update(stack(), [deployment(50)])
    assert watch.phase == WAITING


def test_typical_is_the_median_of_finished_deployments():
    deployments = [
        deployment(1, took=100),
        deployment(2, took=200),
        deployment(3, took=900),
        deployment(4, deploying=True),
    ]
    assert typical_seconds(deployments) == 200
    assert typical_seconds([]) is None


async def test_queue_runs_serially_and_stops_at_the_first_failure(services):
    controller = RedeployController(services)
    stacks = [stack(uid=f"s{i}", name=f"app-{i}", env="staging") for i in range(3)]
    book = WatchBook()
    progress: list[tuple[str, str]] = []

    def watch(pre: Preflight, outcome) -> DeployWatch:
        found = book.add(DeployWatch(pre.stack.uid, pre.stack.name, baseline_id=0))
        return found

    runner = QueueRunner(
        controller,
        stacks,
        RedeployRequest(),
        confirm_busy=lambda s: asyncio.sleep(0, result=True),
        watch=watch,
        on_progress=lambda item: progress.append((item.stack.uid, item.state)),
    )
    task = asyncio.ensure_future(runner.run())
    await until(None, lambda: "s0" in book, what="s0 sent and watched")
    assert [p[0] for p in services.api.posts] == ["s0"]
    book.get("s0").update(None, [deployment(9, outcome="success")])
    await until(None, lambda: "s1" in book, what="s1 sent and watched")
    assert [p[0] for p in services.api.posts] == ["s0", "s1"]
    book.get("s1").update(None, [deployment(10, outcome="failed")])
    items = await asyncio.wait_for(task, 2)
    assert [i.state for i in items] == [SUCCESS, FAILED, "skipped"]
    assert [p[0] for p in services.api.posts] == ["s0", "s1"]
    assert "did not deploy successfully" in runner.stopped_reason
    assert ("s2", "skipped") in progress


async def test_queue_stops_when_a_busy_stack_is_not_confirmed(services):
    controller = RedeployController(services)
    services.api.stacks["s0"] = stack(uid="s0", status=6, busy=True)
    runner = QueueRunner(
        controller,
        [stack(uid="s0"), stack(uid="s1")],
        RedeployRequest(),
        confirm_busy=lambda s: asyncio.sleep(0, result=False),
        watch=lambda pre, outcome: DeployWatch(pre.stack.uid, pre.stack.name),
    )
    items = await runner.run()
    assert [i.state for i in items] == ["not confirmed", "skipped"]
    assert services.api.posts == []
    assert not controller.is_claimed("s0")


async def test_cancel_without_an_answer_is_checked_against_its_deployment(services):
    controller = RedeployController(services)
    running = deployment(51, minutes_ago=2, deploying=True)
    services.api.deployments["s1"] = [running]
    original = services.api.cancel_deployment

    async def cancel_then_lose_the_answer(uid, deployment_id):
        await original(uid, deployment_id)
        services.api.deployments["s1"] = [deployment(51, minutes_ago=2, outcome="cancelled")]
        raise OutcomeUnknownError("read timeout after sending")

    services.api.cancel_deployment = cancel_then_lose_the_answer
    controller.claim("s1", "cancel")
    outcome = await controller.cancel(stack(), running)
    assert outcome.status == "unknown"
    assert outcome.reconcile.summary == "deployment #51 was cancelled"
    assert services.api.deletes == [("s1", 51)]  # never resent
    [entry] = services.journal.entries()
    assert entry.outcome == "unknown" and "check: deployment #51 was cancelled" in entry.detail


async def test_reconcile_cancel_tells_running_finished_and_missing_deployments(services):
    controller = RedeployController(services)
    services.api.deployments["s1"] = [deployment(51, minutes_ago=2, deploying=True)]
    report = await controller.reconcile_cancel("s1", 51)
    assert "still deploying" in report.summary and report.deployment.id == 51
    services.api.deployments["s1"] = [deployment(51, minutes_ago=9, outcome="success")]
    report = await controller.reconcile_cancel("s1", 51)
    assert report.summary == "deployment #51 ended success, not cancelled"
    report = await controller.reconcile_cancel("s1", 99)
    assert "not among the recent deployments" in report.summary and not report.found


async def test_check_entry_picks_the_check_for_the_kind_of_entry(services):
    controller = RedeployController(services)
    services.api.deployments["s1"] = [deployment(51, minutes_ago=2, outcome="cancelled")]
    journal = services.journal
    cancel_id = journal.begin("cancel", "default", "s1", "shop", {"deployment_id": 51})
    job_id = journal.begin("job_run", "default", "s1", "shop", {"job_uid": "j1"})
    entries = {e.id: e for e in journal.entries()}
    report = await controller.check_entry(entries[cancel_id])
    assert report.summary == "deployment #51 was cancelled"
    assert await controller.check_entry(entries[job_id]) is None


def test_unknown_detail_says_each_thing_once():
    gateway = error_from_response(
        status=502, content=b"", headers={}, method="POST", path="/stacks/s1/jobs/j1/run_now"
    )
    lost = OutcomeUnknownError(
        "The POST request was sent but no answer came back, so it is not known whether "
        "Cloud 66 carried it out. Check the stack before trying again."
    )
    for error in (gateway, lost, OutcomeUnknownError(""), None):
        detail = unknown_detail(error)
        assert detail.count("not known whether") == 1, detail
        assert detail.lower().count("not sent again") == 1, detail
    assert unknown_detail(gateway).startswith(gateway.message)
    assert "HTTP 502" in unknown_detail(gateway)
    assert unknown_detail(lost) == f"{lost.message} It was not sent again."
    assert "no answer arrived" in unknown_detail(None)
