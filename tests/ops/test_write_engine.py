"""The write engine on its own (no Textual), over a real loopback socket to the sandbox:
journal first, the journalled request id on the wire, single flight, one request only,
refusals, lost answers recorded and checked, a caller that goes away, actions followed."""

from __future__ import annotations

import asyncio
import functools
from contextlib import asynccontextmanager

import httpx
import pytest

from c66tui.api import Cloud66Client
from c66tui.api.errormap import error_from_response
from c66tui.api.errors import OutcomeUnknownError
from c66tui.api.models import Action, Stack
from c66tui.ops.journal import Journal
from c66tui.ops.write_engine import WriteEngine
from c66tui.ops.write_plan import NOT_SENT, Check, Verdict, WritePlan, unknown_detail
from c66tui.sandbox import Sandbox, seed
from tests.waiting import until

ELSEWHERE = Stack(uid="s", name="s")
"""A stack the sandbox does not have (for plans that never reach it)."""


class RecordingTransport(httpx.AsyncHTTPTransport):
    """A real HTTP transport that notes each request's method, path and ``Request-Id``."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path, request.headers.get("request-id")))
        return await super().handle_async_request(request)


class Session:
    """What the engine needs of a session: journal, client, single flight, reads."""

    def __init__(self, api: Cloud66Client, journal: Journal) -> None:
        self.api = api
        self.journal = journal
        self.profile_name = "default"
        self.in_flight: set[str] = set()
        self.missing: list = []

    async def read(self, call):
        return await call(self.api)

    def is_in_flight(self, key: str) -> bool:
        return key in self.in_flight

    @asynccontextmanager
    async def single_flight(self, key: str):
        if key in self.in_flight:
            raise RuntimeError(key)
        self.in_flight.add(key)
        try:
            yield
        finally:
            self.in_flight.discard(key)

    def note_missing_scope(self, error) -> None:
        self.missing.append(error)


@pytest.fixture
async def session(sandbox, tmp_path):
    transport = RecordingTransport()
    async with Cloud66Client(
        sandbox.api_url, Sandbox.DEMO_TOKEN, transport=transport, backoff_base=0.01
    ) as api:
        found = Session(api, Journal(tmp_path / "journal.jsonl"))
        found.transport = transport
        yield found


@pytest.fixture
def uid(sandbox) -> str:
    return sandbox.sandbox.find_stack(seed.QUIET_STACK).uid


def posts(session, fragment: str) -> list[tuple[str, str, str]]:
    return [s for s in session.transport.sent if s[0] == "POST" and fragment in s[1]]


def redeploy_plan(session, uid: str, **parts) -> WritePlan:
    """A redeploy described to the engine; ``send`` notes what the journal held then."""
    pending_at_send: list[int] = []

    async def send(api):
        pending_at_send.append(len(session.journal.pending()))
        return await api.redeploy(uid)

    plan = WritePlan(
        kind="redeploy",
        flight_key=f"redeploy:{uid}",
        stack=Stack(uid=uid, name=seed.QUIET_STACK),
        send=send,
        params={"baseline_deployment_id": 7},
        **parts,
    )
    plan.pending_at_send = pending_at_send
    return plan


async def test_the_journal_entry_comes_first_and_the_request_carries_its_id(session, uid):
    plan = redeploy_plan(session, uid, judge=lambda result: Verdict("ok", result.message))
    done = await WriteEngine(session).write(plan)
    assert done.outcome == "ok", done.message
    assert plan.pending_at_send == [1]  # written (and fsynced) before the request left
    [entry] = session.journal.entries()
    assert entry.outcome == "ok" and entry.params == {"baseline_deployment_id": 7}
    [(_method, _path, sent_id)] = posts(session, "/deployments")
    assert sent_id == entry.request_id == done.request_id
    assert not session.is_in_flight(plan.flight_key)


async def test_a_second_write_of_the_same_key_is_refused_not_queued(session, uid, sandbox):
    sandbox.sandbox.inject_fault(r"/deployments$", method="POST", delay=0.3)
    engine = WriteEngine(session)
    first = asyncio.ensure_future(engine.write(redeploy_plan(session, uid)))
    await until(None, lambda: posts(session, "/deployments"), what="the first POST sent")
    second = await engine.write(redeploy_plan(session, uid, busy="already being sent"))
    assert (second.outcome, second.message) == (NOT_SENT, "already being sent")
    assert (await first).outcome == "ok"
    assert len(posts(session, "/deployments")) == 1
    assert len(session.journal.entries()) == 1


async def test_a_refusal_is_failed_and_never_resent(session, uid, sandbox):
    sandbox.sandbox.inject_fault(r"/deployments$", method="POST", status=409, when="before")
    done = await WriteEngine(session).write(
        redeploy_plan(session, uid, refusal=lambda error: f"refused ({error.status})")
    )
    assert (done.outcome, done.message) == ("failed", "refused (409)")
    [entry] = session.journal.entries()
    assert (entry.outcome, entry.detail) == ("failed", "refused (409)")
    assert len(posts(session, "/deployments")) == 1


async def test_a_lost_answer_is_recorded_checked_and_not_resent(session, uid, sandbox):
    sandbox.sandbox.inject_fault(r"/deployments$", method="POST", drop=True)
    checked: list = []

    async def check(sent_at) -> Check:
        checked.append(sent_at)
        deployments = await session.api.list_deployments(uid)
        return Check(f"found deployment #{deployments[0].id}", deployments[0])

    done = await WriteEngine(session).write(redeploy_plan(session, uid, check=check))
    assert done.outcome == "unknown" and isinstance(done.error, OutcomeUnknownError)
    assert checked == [done.sent_at]
    assert done.check.report is not None
    [entry] = session.journal.entries()
    assert entry.outcome == "unknown"
    assert "not sent again" in entry.detail.lower()
    assert "; check: found deployment #" in entry.detail
    assert len(posts(session, "/deployments")) == 1


async def test_a_server_error_after_sending_is_unknown_and_says_which(session, uid, sandbox):
    sandbox.sandbox.inject_fault(r"/deployments$", method="POST", status=502, when="before")
    done = await WriteEngine(session).write(redeploy_plan(session, uid))
    assert done.outcome == "unknown"
    [entry] = session.journal.entries()
    assert "HTTP 502" in entry.detail and entry.detail.lower().count("not sent again") == 1
    assert len(posts(session, "/deployments")) == 1


async def test_a_caller_cancelled_on_the_wire_still_gets_its_outcome_recorded(
    session, uid, sandbox
):
    sandbox.sandbox.inject_fault(r"/deployments$", method="POST", delay=0.3)
    engine = WriteEngine(session)
    plan = redeploy_plan(session, uid)
    caller = asyncio.ensure_future(engine.write(plan))
    await until(None, lambda: posts(session, "/deployments"), what="the POST sent")
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    # The key stays held until the answer is in: a second press now is refused.
    assert session.is_in_flight(plan.flight_key) and engine.in_flight
    assert (await engine.write(redeploy_plan(session, uid))).outcome == NOT_SENT
    await until(None, lambda: not engine.in_flight, what="the shielded request finished")
    [entry] = session.journal.entries()
    assert entry.outcome == "ok"
    assert len(posts(session, "/deployments")) == 1 and not session.is_in_flight(plan.flight_key)


async def test_nothing_is_sent_when_the_journal_cannot_be_written(session, uid, tmp_path):
    (tmp_path / "blocked").write_text("a file where the journal's folder should be")
    session.journal = Journal(tmp_path / "blocked" / "journal.jsonl")
    done = await WriteEngine(session).write(redeploy_plan(session, uid))
    assert done.outcome == NOT_SENT and "journal could not be written" in done.message
    assert isinstance(done.store_error, OSError)
    assert posts(session, "/deployments") == []


async def test_a_failing_local_record_before_sending_sends_nothing(session, uid):
    def prepare() -> None:
        raise OSError(28, "No space left on device")

    done = await WriteEngine(session).write(redeploy_plan(session, uid, prepare=prepare))
    assert done.outcome == NOT_SENT and "nothing was sent" in done.message
    [entry] = session.journal.entries()
    assert entry.outcome == "failed"  # closed, not left pending as if it might have gone
    assert posts(session, "/deployments") == []


async def _pause_plan(session, uid, told: list) -> tuple[WritePlan, object]:
    job = (await session.api.list_jobs(uid))[0]
    plan = WritePlan(
        kind="job_pause",
        flight_key=f"job:{job.uid}",
        stack=Stack(uid=uid, name=seed.QUIET_STACK),
        send=lambda api: api.pause_job(uid, job.uid),
        judge=lambda action: Verdict("ok", follow=action),
        told=told.append,
    )
    return plan, job


async def test_an_accepted_action_is_followed_to_its_end_and_recorded(session, uid, sandbox):
    told: list[Verdict] = []
    plan, _job = await _pause_plan(session, uid, told)
    engine = WriteEngine(session)
    done = await engine.write(plan)
    assert done.follow is not None and told == []  # nothing recorded before it ends
    assert session.journal.entries()[0].pending

    async def wait(action_id: int) -> Action:
        sandbox.sandbox.finish_all()
        return await session.api.wait_for_action(uid, action_id, interval=0.01, timeout=5)

    final = await engine.follow(plan, done, wait, done.follow)
    assert final is not None and final.is_finished
    [entry] = session.journal.entries()
    assert entry.outcome == done.outcome == "ok"
    assert [v.outcome for v in told] == ["ok"]


async def test_a_caller_gone_before_following_leaves_the_outcome_unknown(session, uid, sandbox):
    sandbox.sandbox.inject_fault(r"/pause", method="POST", delay=0.3)
    told: list[Verdict] = []
    plan, _job = await _pause_plan(session, uid, told)
    engine = WriteEngine(session)
    caller = asyncio.ensure_future(engine.write(plan))
    await until(None, lambda: posts(session, "/pause"), what="the pause sent")
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    await until(None, lambda: not session.journal.entries()[0].pending, what="recorded")
    [entry] = session.journal.entries()
    assert entry.outcome == "unknown" and "stopped following" in entry.detail
    assert [v.quiet for v in told] == [True]


async def test_an_action_with_nothing_to_follow_is_unknown_not_ok(session):
    plan = WritePlan("job_pause", "job:j", ELSEWHERE, send=lambda api: asyncio.sleep(0))
    engine = WriteEngine(session)
    done = await engine.write(plan)  # the answer is None: accepted
    assert done.outcome == "ok"
    await engine.follow(plan, done, lambda _id: None, Action.from_api({}))
    assert done.outcome == "unknown" and "no action to follow" in done.message


@pytest.mark.parametrize(
    ("success", "outcome", "words"),
    [(True, "ok", "all good"), (False, "failed", "all good"), (None, "unknown", "without saying")],
)
async def test_a_finished_action_is_recorded_as_it_ended(session, success, outcome, words):
    plan = WritePlan("job_pause", "job:j", ELSEWHERE, send=lambda api: asyncio.sleep(0))
    engine = WriteEngine(session)
    done = await engine.write(plan)
    finished = {"id": 5, "finished_at": "2025-01-01T00:00:00Z", "finished_message": "all good"}
    if success is not None:
        finished["finished_success"] = success
    await engine.follow(plan, done, lambda _id: None, Action.from_api(finished))
    assert done.outcome == outcome and words in done.message
    assert session.journal.entries()[0].outcome == outcome


async def test_a_late_server_error_of_a_followed_write_is_recorded_as_unknown(session):
    # The caller went away while the request was out; a 502 arrives afterwards.
    gate, sending = asyncio.Event(), asyncio.Event()

    async def send(_api):
        sending.set()
        await gate.wait()
        raise error_from_response(
            status=502, content=b"", headers={}, method="POST", path="/stacks/s/jobs/j/pause"
        )

    plan = WritePlan("job_pause", "job:j", ELSEWHERE, send=send)
    engine = WriteEngine(session)
    caller = asyncio.ensure_future(engine.write(plan))
    await asyncio.wait_for(sending.wait(), 5)
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    gate.set()
    await until(None, lambda: not engine.in_flight, what="the late answer handled")
    [entry] = session.journal.entries()
    assert entry.outcome == "unknown"
    assert "HTTP 502" in entry.detail and "not sent again" in entry.detail


async def test_a_caller_gone_before_sending_closes_its_entry_as_not_sent(session, uid):
    engine = WriteEngine(session)
    caller = asyncio.ensure_future(engine.write(redeploy_plan(session, uid)))
    await asyncio.sleep(0)  # the journal entry is being written in its thread
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    await until(None, lambda: session.journal.entries(), what="the entry written")
    await until(None, lambda: not session.journal.pending(), what="the entry closed")
    [entry] = session.journal.entries()
    assert entry.outcome == "failed" and "not sent" in entry.detail
    assert posts(session, "/deployments") == []


async def test_an_answer_the_plan_cannot_read_is_unknown_and_recorded(session, uid):
    def judge(_result):
        raise KeyError("status")

    done = await WriteEngine(session).write(redeploy_plan(session, uid, judge=judge))
    assert done.outcome == "unknown" and "could not be read" in done.message
    [entry] = session.journal.entries()
    assert entry.outcome == "unknown" and "not sent again" in entry.detail
    assert len(posts(session, "/deployments")) == 1


def test_unknown_detail_says_each_thing_once():
    lost = OutcomeUnknownError("The POST request was sent but no answer came back.")
    assert unknown_detail(lost) == f"{lost.message} It was not sent again."
    assert "no answer arrived" in unknown_detail(None)
    once = functools.reduce(lambda text, _: unknown_detail(OutcomeUnknownError(text)), range(3), "")
    assert once.lower().count("not sent again") == 1
