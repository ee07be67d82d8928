"""Finding a job write's action after its answer was lost (no UI, a scripted API)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from c66tui.api.errors import NetworkError
from c66tui.api.models import Action
from c66tui.ops.job_history import JobHistory
from c66tui.ops.job_reconcile import (
    PAUSE_ACTION,
    RUN_ACTION,
    JobCheck,
    find_job_action,
    outcome_detail,
    recorded_action_ids,
)

SENT = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def action(id, name=RUN_ACTION, *, minutes=1, done=None, meta=None, message=""):
    started = SENT + timedelta(minutes=minutes)
    raw = {
        "id": id,
        "action": name,
        "started_at": started.isoformat(),
        "finished_at": None if done is None else (started + timedelta(seconds=5)).isoformat(),
        "finished_success": done,
        "finished_message": message,
        "metadata": meta if meta is not None else {},
    }
    return Action.from_api(raw)


class Services:
    def __init__(self, actions, fail=None):
        self.api = self
        self.actions = actions
        self.fail = fail

    async def read(self, call):
        if self.fail is not None:
            raise self.fail
        return await call(self)

    async def list_actions(self, uid):
        return list(self.actions)

    async def get_action(self, uid, action_id):
        return next(a for a in self.actions if a.id == action_id)


async def find(actions, **kwargs):
    kwargs.setdefault("kind", RUN_ACTION)
    return await find_job_action(
        Services(actions), "s1", job_uid="j1", job_name="nightly", since=SENT, **kwargs
    )


async def test_the_action_naming_the_job_is_found_and_others_are_not():
    check = await find(
        [
            action(9, meta={"job_uid": "j2"}, done=True),  # another job
            action(8, minutes=-30, meta={"job_uid": "j1"}, done=True),  # before the request
            action(7, meta={"job_uid": "j1"}, done=True, message="ran"),
        ]
    )
    assert check.action.id == 7 and check.outcome == "ok"
    assert outcome_detail(check) == ("ok", "ran (action #7, found after the answer was lost)")


async def test_a_single_action_without_job_details_is_taken_several_are_not():
    check = await find([action(5, meta={})])  # still running
    assert check.action.id == 5 and check.outcome == "running"
    check = await find([action(5, meta={}), action(6, meta={})])
    assert check.action is None and check.outcome == "unknown"
    assert "do not say which job" in check.summary


async def test_nothing_found_says_the_request_probably_did_not_arrive():
    check = await find([action(3, name="restart")])
    assert check.outcome == "unknown" and "probably did not reach Cloud 66" in check.summary


async def test_pause_and_resume_are_told_apart():
    actions = [action(4, PAUSE_ACTION, meta={"job_uid": "j1", "paused": False}, done=True)]
    check = await find(actions, kind=PAUSE_ACTION, paused=True)
    assert check.action is None and "no pause of this job" in check.summary
    check = await find(actions, kind=PAUSE_ACTION, paused=False)
    assert check.action.id == 4


async def test_a_known_action_id_is_read_directly_and_a_failed_check_is_unknown():
    check = await find([action(11, meta={"job_uid": "j2"})], action_id=11)
    assert check.action.id == 11 and check.outcome == "running"
    check = await find_job_action(
        Services([], fail=NetworkError("offline")),
        "s1",
        kind=RUN_ACTION,
        job_uid="j1",
        since=SENT,
    )
    assert isinstance(check, JobCheck) and check.outcome == "unknown" and check.error
    assert "could not check" in check.summary


async def test_an_action_another_run_from_here_already_has_is_not_taken():
    # Both runs of the job start within the clock skew of the lost one's request: the
    # older belongs to an earlier run whose action id the local history recorded.
    earlier = action(20, minutes=-1, meta={"job_uid": "j1"}, done=True, message="earlier")
    lost = action(21, minutes=0, meta={"job_uid": "j1"})
    check = await find([earlier, lost])
    assert check.action.id == 20  # without the history, the oldest is taken
    check = await find([earlier, lost], taken={20})
    assert check.action.id == 21 and check.outcome == "running"
    check = await find([earlier], taken={20})
    assert check.action is None and "no run of this job since" in check.summary


async def test_a_pause_whose_metadata_says_paused_beats_one_that_does_not_say():
    actions = [
        action(30, PAUSE_ACTION, meta={"job_uid": "j1"}, done=True),
        action(31, PAUSE_ACTION, meta={"job_uid": "j1", "paused": True}, done=True),
    ]
    check = await find(actions, kind=PAUSE_ACTION, paused=True)
    assert check.action.id == 31
    check = await find(actions[:1], kind=PAUSE_ACTION, paused=True)
    assert check.action.id == 30  # one that does not say is still taken when alone


def test_recorded_action_ids_skip_the_run_being_checked(tmp_path):
    history = JobHistory(tmp_path)
    first = history.start(profile="p", stack_uid="s1", stack_name="s", job_uid="j1", job_name="n")
    history.finish("j1", first, "ok", "done", action_id=20)
    second = history.start(profile="p", stack_uid="s1", stack_name="s", job_uid="j1", job_name="n")
    history.note_action("j1", second, 21)
    history.start(profile="p", stack_uid="s1", stack_name="s", job_uid="j1", job_name="n")
    assert recorded_action_ids(history, "j1") == {20, 21}
    assert recorded_action_ids(history, "j1", besides=second) == {20}
    assert recorded_action_ids(history, "other") == set()
