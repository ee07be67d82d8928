"""``jobs list|run|pause|resume``: journal and history first, one POST, outcomes."""

from __future__ import annotations

from c66tui.ops.job_history import JobHistory
from c66tui.ops.journal import Journal
from tests.cli.helpers import api_calls, control, stack_uid


def job_posts(world, suffix: str = "") -> list[dict]:
    return [e for e in api_calls(world, "POST", "/jobs/") if e["path"].endswith(suffix)]


def test_list_json(world, run):
    result = run("jobs", "list", "-s", "tps-reports", "--json")
    assert result.code == 0, result.err
    jobs = {job["name"]: job for job in result.json}
    assert {"nightly_cleanup", "warm_caches"} <= set(jobs)
    assert jobs["warm_caches"]["paused"] is True
    assert {"uid", "type", "cron", "status", "params"} <= set(jobs["nightly_cleanup"])


def test_run_without_wait_returns_once_accepted(world, run_installed):
    result = run_installed("jobs", "run", "-s", "tps-reports", "nightly", "-y", "--json")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["operation"] == "job_run" and doc["outcome"] == "ok"
    assert doc["followed"] is False and doc["action"]["id"] is not None
    assert len(job_posts(world, "/run_now")) == 1
    entry = Journal().get(doc["journal_entry"])
    assert entry.kind == "job_run" and entry.request_id == doc["request_id"]
    runs = JobHistory.default().runs(doc["job"]["uid"])
    assert len(runs) == 1 and runs[0].action_id == doc["action"]["id"]
    assert runs[0].outcome == "unknown"  # accepted, but how the run ended is not known


def test_run_wait_follows_to_the_outcome_with_args(world, run):
    result = run(
        "jobs", "run", "-s", "tps-reports", "nightly_cleanup", "--arg", "a", "--arg", "b",
        "-y", "--wait", "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    doc = result.json
    assert doc["followed"] is True and doc["action"]["status"] == "success"
    assert Journal().get(doc["journal_entry"]).params["args"] == "a b"
    assert JobHistory.default().runs(doc["job"]["uid"])[0].outcome == "ok"


def test_a_failing_job_exits_1(world, run):
    control(world, "fail-next", {"kind": "job", "stack_uid": stack_uid(world, "tps-reports")})
    result = run("jobs", "run", "-s", "tps-reports", "nightly", "-y", "--wait", "--json")
    assert result.code == 1, result.err
    assert result.json["outcome"] == "failed"
    assert len(job_posts(world, "/run_now")) == 1


def test_lost_answer_is_checked_not_resent(world, run):
    control(world, "faults", {"path": "/run_now$", "method": "POST", "drop": True})
    result = run("jobs", "run", "-s", "tps-reports", "nightly", "-y", "--wait", "--json")
    # The check finds the run among the stack's actions and follows it to its end.
    assert result.code == 0, result.err
    assert "found after the answer was lost" in result.json["message"]
    assert len(job_posts(world, "/run_now")) == 1


def test_lost_answer_with_nothing_found_exits_4(world, run):
    control(world, "faults", {"path": "/run_now$", "method": "POST", "status": 502})
    result = run("jobs", "run", "-s", "tps-reports", "nightly", "-y", "--json")
    assert result.code == 4, result.err
    assert result.json["outcome"] == "unknown"
    assert Journal().get(result.json["journal_entry"]).outcome == "unknown"
    assert len(job_posts(world, "/run_now")) == 1


def test_pause_then_resume(world, run):
    result = run("jobs", "pause", "-s", "tps-reports", "nightly", "-y", "--json")
    assert result.code == 0, result.err
    assert result.json["operation"] == "job_pause"
    listed = run("jobs", "list", "-s", "tps-reports", "--json").json
    assert next(j for j in listed if j["name"] == "nightly_cleanup")["paused"] is True
    assert run("jobs", "resume", "-s", "tps-reports", "nightly", "-y").code == 0
    assert len(job_posts(world, "/pause")) == 1 and len(job_posts(world, "/unpause")) == 1


def test_no_yes_without_terminal_sends_nothing(world, run_installed):
    for argv in (["run", "nightly"], ["pause", "nightly"], ["resume", "warm"]):
        result = run_installed("jobs", argv[0], "-s", "tps-reports", argv[1])
        assert result.code == 2, argv
    assert api_calls(world, "POST") == []


def test_unknown_job_exits_2(world, run):
    result = run("jobs", "run", "-s", "tps-reports", "nope", "-y", "--json")
    assert result.code == 2 and result.json["error"]["reason"] == "not_found"
    assert api_calls(world, "POST") == []
