"""The action journal: intent before sending, outcome after, tolerant reading."""

from __future__ import annotations

import json
import os
import stat

import pytest

from c66tui.api.secret import Secret
from c66tui.ops.journal import Journal, local_identity


@pytest.fixture
def journal(isolated_dirs):
    return Journal(isolated_dirs["state"] / "journal.jsonl")


def test_begin_complete_pending(journal):
    first = journal.begin("redeploy", "prod", "uid-1", "web", {"git_ref": "main"})
    second = journal.begin("job_run", "prod", "uid-2", "worker", {"job": "j1"}, account="acme")
    assert [e.id for e in journal.pending()] == [first, second]
    journal.complete(first, "ok", "queued=false")
    entries = journal.entries()
    assert [e.id for e in entries] == [first, second]
    done = entries[0]
    assert done.outcome == "ok" and done.detail == "queued=false" and not done.pending
    assert done.kind == "redeploy" and done.stack_name == "web" and done.profile == "prod"
    assert done.params == {"git_ref": "main"}
    assert done.started_at is not None and done.started_at.tzinfo is not None
    assert done.finished_at >= done.started_at
    assert done.user == local_identity() and "@" in done.user
    assert entries[1].account == "acme"
    assert [e.id for e in journal.pending()] == [second]
    journal.mark_unknown(second)
    assert journal.pending() == [] and journal.get(second).outcome == "unknown"


def test_file_is_private_and_fsynced(journal, monkeypatch):
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    old = os.umask(0)
    try:
        entry = journal.begin("redeploy", "p", "u", "n", {})
        journal.complete(entry, "failed", "boom")
    finally:
        os.umask(old)
    assert len(synced) == 2
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.path.parent.stat().st_mode) == 0o700


def test_loose_file_is_tightened(journal):
    journal.path.parent.mkdir(parents=True)
    journal.path.write_text("")
    os.chmod(journal.path, 0o644)
    journal.begin("redeploy", "p", "u", "n")
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600


def test_never_records_a_token(journal):
    sentinel = "SENTINEL-9f3c-token"
    entry = journal.begin(
        "env_var",
        "p",
        "u",
        "n",
        {"key": "DB_PASSWORD", "value": "hunter2", "token": sentinel, "x": Secret(sentinel)},
    )
    journal.complete(entry, "failed", f"Authorization: Bearer {sentinel}")
    text = journal.path.read_text()
    assert sentinel not in text and "hunter2" not in text
    assert "DB_PASSWORD" in text


def test_corrupt_and_truncated_lines_are_skipped(journal):
    first = journal.begin("redeploy", "p", "u1", "a")
    with open(journal.path, "a") as handle:
        handle.write("not json\n[1,2]\n{}\n" + '{"type":"begin","id":"trunc')
    assert [e.id for e in journal.entries()] == [first]
    # The next append starts on a fresh line, so it is readable.
    second = journal.begin("cancel", "p", "u2", "b")
    assert [e.id for e in journal.entries()] == [first, second]


def test_complete_for_unknown_id_is_ignored(journal):
    journal.complete("nope", "ok")
    assert journal.entries() == []


def test_missing_file(journal):
    assert journal.entries() == [] and journal.pending() == []


def test_rejects_unknown_kind_and_outcome(journal):
    with pytest.raises(ValueError):
        journal.begin("delete_everything", "p", "u", "n")
    entry = journal.begin("setting", "p", "u", "n")
    with pytest.raises(ValueError):
        journal.complete(entry, "meh")


def test_bounded_read(journal):
    journal.path.parent.mkdir(parents=True)
    with open(journal.path, "w") as handle:
        for n in range(1500):
            record = {"type": "begin", "id": f"id{n}", "kind": "redeploy", "time": "x"}
            handle.write(json.dumps(record) + "\n")
    entries = journal.entries()
    assert len(entries) == 1000 and entries[-1].id == "id1499"
    assert entries[0].started_at is None


def test_default_path(isolated_dirs):
    assert Journal().path == isolated_dirs["state"] / "journal.jsonl"


def test_request_id_is_recorded_with_the_intent(journal):
    request_id = "0b6f1f4e-2f7e-4d55-9a57-3f1c7a9d2e10"
    entry = journal.begin("redeploy", "p", "u", "n", request_id=request_id)
    assert journal.get(entry).request_id == request_id
    begin = json.loads(journal.path.read_text().splitlines()[0])
    assert begin["type"] == "begin" and begin["request_id"] == request_id
    assert journal.get(journal.begin("cancel", "p", "u", "n")).request_id == ""


def test_only_a_uuid_is_accepted_as_request_id(journal):
    for bad in ("Bearer SENTINEL-token", "x\nsecond line"):
        with pytest.raises(ValueError):
            journal.begin("redeploy", "p", "u", "n", request_id=bad)
    assert not journal.path.exists() or "SENTINEL" not in journal.path.read_text()


def test_times_come_from_the_app_clock(journal, frozen_clock):
    from datetime import UTC, datetime, timedelta

    from c66tui.ops.journal import UNRESOLVED_DAYS

    started = datetime(2025, 3, 4, 5, 6, 7, 890000, tzinfo=UTC)
    frozen_clock(started)
    entry_id = journal.begin("redeploy", "prod", "uid-1", "web", {})
    frozen_clock(started + timedelta(minutes=3))
    journal.mark_unknown(entry_id, "interrupted while sending")
    entry = journal.get(entry_id)
    assert entry.started_at == started
    assert entry.finished_at == started + timedelta(minutes=3)
    # "Still unresolved" is measured on the same clock: shown within the window, not after.
    assert [e.id for e in journal.unresolved()] == [entry_id]
    frozen_clock(started + timedelta(days=UNRESOLVED_DAYS, minutes=4))
    assert journal.unresolved() == []
