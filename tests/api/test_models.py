"""Model parsing: every timestamp form, code-name fallbacks, tolerant constructors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from c66tui.api.fields import ApiModel, code_name, parse_time
from c66tui.api.models import (
    HEALTH,
    STACK_STATUS,
    Account,
    Action,
    Deployment,
    EnvVar,
    Job,
    RedeployResult,
    Server,
    Setting,
    Stack,
)

EXPECTED = datetime(2014, 8, 29, 17, 21, 47, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        "2014-08-29T17:21:47Z",
        "2014-08-29T17:21:47+00:00",
        "2014-08-29 17:21:47 UTC",
        "2014-08-29T19:21:47+02:00",
        "  2014-08-29T17:21:47z ",
        "2014-08-29T17:21:47",
        EXPECTED.timestamp(),
        int(EXPECTED.timestamp()),
    ],
)
def test_parse_time_forms(value):
    assert parse_time(value) == EXPECTED


def test_parse_time_nanoseconds():
    parsed = parse_time("2015-02-10T17:41:36.988310784Z")
    assert parsed == datetime(2015, 2, 10, 17, 41, 36, 988310, tzinfo=UTC)


@pytest.mark.parametrize("value", [None, "", "yesterday", "2014-13-45T00:00:00Z", [], {}, True])
def test_parse_time_garbage_is_none(value):
    assert parse_time(value) is None


def test_code_name_fallbacks():
    assert code_name(STACK_STATUS, 1) == "deployed"
    assert code_name(STACK_STATUS, "6") == "deploying"
    assert code_name(STACK_STATUS, 99) == "unknown (99)"
    assert code_name(HEALTH, None) == "unknown"
    assert code_name(HEALTH, "abc") == "unknown (abc)"


def test_stack_tolerates_missing_and_extra_fields():
    stack = Stack.from_api({"uid": "a" * 32, "name": "x", "surprise": {"nested": 1}})
    assert stack.status_name == "unknown"
    assert stack.health_name == "unknown"
    assert stack.last_activity is None
    assert not stack.is_deploying
    stack = Stack.from_api(
        {
            "uid": "b",
            "name": "y",
            "status": 99,
            "health": 3,
            "environment": "Production",
            "last_activity": "2014-08-14T01:46:53+00:00",
            "last_activity_iso": "2014-08-29T17:21:47Z",
            "created_at": "2014-08-14 00:38:14 UTC",
            "is_busy": "true",
        }
    )
    # is_busy is not a documented field: busy is derived from the status codes alone.
    assert stack.status_name == "unknown (99)"
    assert stack.health_name == "healthy"
    assert stack.last_activity == EXPECTED  # the _iso twin wins
    assert stack.created_at == datetime(2014, 8, 14, 0, 38, 14, tzinfo=UTC)
    assert stack.is_production and not stack.is_deploying
    assert Stack.from_api({"uid": "c", "status": 5}).is_deploying
    assert Stack.from_api({"uid": "c", "status": "6"}).is_deploying


def test_other_models():
    dep = Deployment.from_api(
        {
            "id": "7",
            "outcome": {"code": 1, "meaning": "success"},
            "triggered_via": "web",
            "started_at": "2024-04-30T15:50:02Z",
            "finished_at": "2024-04-30T16:02:10Z",
            "git_hash": "9b2e4c1d7a0f",
        }
    )
    assert dep.id == 7 and dep.succeeded and dep.triggered_via == "web"
    assert dep.duration_seconds == 728 and dep.short_hash == "9b2e4c1"
    action = Action.from_api({"id": 3, "finished_at": None, "finished_success": None})
    assert not action.is_finished
    assert Action.from_api({"id": 3, "finished_success": False}).is_finished
    result = RedeployResult.from_api({"ok": True, "queued": True, "async_action_id": "12"})
    assert result.queued and result.async_action_id == 12
    assert Setting.from_api({"key": "git.branch", "value": True}).path_id == "git-branch"
    env = EnvVar.from_api({"id": 1, "key": "K", "history": "not-a-list", "is_generated": 1})
    assert env.history == () and env.is_writable and not env.is_deletable
    assert not EnvVar.from_api({"key": "K", "readonly": True}).is_writable
    job = Job.from_api({"uid": "j", "name": "n", "status": 7, "params": ["odd"]})
    assert job.status_name == "unknown (7)" and job.params == {}


def test_a_field_type_without_a_reader_is_refused():
    @dataclass(frozen=True, slots=True)
    class Odd(ApiModel):
        shape: complex
        raw: dict = field(default_factory=dict)

    with pytest.raises(TypeError, match="Odd.shape"):
        Odd.from_api({"shape": 1})


def test_every_model_keeps_its_raw_object_and_reads_renamed_fields():
    data = {"email": "ops@example.com", "id": "7"}
    account = Account.from_api(data)
    assert (account.owner, account.id, account.raw) == ("ops@example.com", 7, data)
    assert Server.from_api({"server_type": " web ", "uid": 1}).server_type == "web"
