"""The local per-job run history."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime

import pytest

from c66tui.ops import job_history
from c66tui.ops.job_history import JobHistory, local_identity

JOB = "98ee5a9b93919d9b63bd5377636675bd"
T0 = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)


def start(history: JobHistory, args: str = "", job: str = JOB) -> str:
    return history.start(
        profile="default",
        stack_uid="stk1",
        stack_name="shop [bold]prod",
        job_uid=job,
        job_name="nightly_cleanup",
        args=args,
        now=T0,
    )


def test_start_then_finish_reads_back_merged(tmp_path) -> None:
    history = JobHistory(tmp_path / "jh")
    run_id = start(history, "--dry-run")
    history.note_action(JOB, run_id, 4711)
    history.finish(JOB, run_id, "failed", "rake aborted!", now=T0.replace(minute=2))
    (run,) = history.runs(JOB)
    assert run.id == run_id
    assert run.args == "--dry-run"
    assert run.outcome == "failed"
    assert run.message == "rake aborted!"
    assert run.action_id == 4711
    assert run.started_at == T0
    assert run.finished_at == T0.replace(minute=2)
    assert run.who == local_identity()
    assert "@" in run.who
    assert run.stack_name == "shop [bold]prod"


def test_run_without_outcome_reads_as_running(tmp_path) -> None:
    history = JobHistory(tmp_path)
    start(history)
    assert history.last_run(JOB).outcome == "running"


def test_newest_first_and_limit(tmp_path) -> None:
    history = JobHistory(tmp_path)
    ids = [start(history, args=str(n)) for n in range(5)]
    runs = history.runs(JOB, limit=3)
    assert [run.id for run in runs] == ids[::-1][:3]
    assert history.last_run(JOB).args == "4"


def test_jobs_are_kept_apart(tmp_path) -> None:
    history = JobHistory(tmp_path)
    start(history, job="a" * 32)
    start(history, job="b" * 32)
    assert len(history.runs("a" * 32)) == 1
    assert history.runs("c" * 32) == []
    assert history.last_run("c" * 32) is None


def test_file_is_private_and_json_lines(tmp_path) -> None:
    history = JobHistory(tmp_path / "jh")
    run_id = start(history)
    history.finish(JOB, run_id, "ok", "done")
    path = history.path_for(JOB)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["event"] for r in records] == ["started", "finished"]


def test_torn_and_garbage_lines_are_skipped(tmp_path) -> None:
    history = JobHistory(tmp_path)
    run_id = start(history)
    with history.path_for(JOB).open("a") as handle:
        handle.write('not json\n[1, 2]\n{"id": 5}\n{"id": "' + run_id + '", "event": "fin')
    (run,) = history.runs(JOB)
    assert run.outcome == "running"


def test_finish_for_unknown_run_is_ignored(tmp_path) -> None:
    history = JobHistory(tmp_path)
    history.finish(JOB, "nope", "ok")
    assert history.runs(JOB) == []


def test_bad_outcome_is_refused(tmp_path) -> None:
    history = JobHistory(tmp_path)
    with pytest.raises(ValueError):
        history.finish(JOB, "x", "running")


def test_odd_job_uid_never_becomes_a_path(tmp_path) -> None:
    history = JobHistory(tmp_path / "jh")
    odd = "../../etc/passwd"
    path = history.path_for(odd)
    assert path.parent == tmp_path / "jh"
    assert ".." not in path.name
    start(history, job=odd)
    assert len(history.runs(odd)) == 1


def test_compaction_keeps_newest_runs(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(job_history, "MAX_RUNS", 3)
    history = JobHistory(tmp_path)
    ids = []
    for n in range(12):
        run_id = start(history, args="x" * 400 + str(n))
        history.finish(JOB, run_id, "ok")
        ids.append(run_id)
    runs = history.runs(JOB, limit=100)
    assert [run.id for run in runs][:3] == ids[::-1][:3]
    assert all(run.outcome == "ok" for run in runs)
    assert len(runs) < 12


def test_jobs_with_history_lists_files_only(tmp_path) -> None:
    history = JobHistory(tmp_path / "jh")
    assert history.jobs_with_history() == set()
    start(history, job="a" * 32)
    start(history, job="b" * 32)
    assert history.jobs_with_history() == {"a" * 32, "b" * 32}


def test_default_uses_state_dir(isolated_dirs) -> None:
    history = JobHistory.default()
    assert history.directory == isolated_dirs["state"] / "job-history"


def test_a_run_id_chosen_first_names_the_run(tmp_path) -> None:
    history = JobHistory(tmp_path)
    run_id = JobHistory.new_run_id()
    assert run_id != JobHistory.new_run_id()
    assert (
        history.start(
            profile="default",
            stack_uid="stk1",
            stack_name="shop",
            job_uid=JOB,
            job_name="nightly_cleanup",
            now=T0,
            run_id=run_id,
        )
        == run_id
    )
    other = start(history)
    assert history.get(JOB, run_id).outcome == "running"
    history.finish(JOB, run_id, "unknown", "no answer")
    history.finish(JOB, run_id, "ok", "found later", action_id=12)
    run = history.get(JOB, run_id)
    assert (run.outcome, run.message, run.action_id) == ("ok", "found later", 12)
    assert history.get(JOB, other).outcome == "running"
    assert history.get(JOB, "missing") is None
