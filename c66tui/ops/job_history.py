"""Local history of the job runs started from this machine.

One JSON-lines file per job (``<state dir>/job-history/<job uid>.jsonl``, mode 0600).
A run is written twice: a ``started`` record before the request is sent, and an outcome
record (``ok``, ``failed`` or ``unknown``, with the server's message) when it is known.
Both are appended and fsynced, so a crash or a dropped SSH link between them leaves a
run that reads back as still ``running``. Reading merges the records by run id.

Nothing here imports Textual; the UI reads :meth:`JobHistory.runs` for the job detail.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from c66tui.api.redaction import RECORD_KEYS, redact_data
from c66tui.config import paths
from c66tui.config.paths import make_private_dirs

OUTCOMES = frozenset({"running", "ok", "failed", "unknown"})
"""Every outcome a run can have; ``running`` means nothing came back (yet)."""

MAX_RUNS = 200
"""Runs kept per job; older ones are dropped when the file is compacted."""

_SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def local_identity() -> str:
    """``user@host`` of whoever runs the app (never fails)."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no passwd entry in some containers
        user = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    try:
        host = socket.gethostname() or "localhost"
    except OSError:
        host = "localhost"
    return f"{user}@{host}"


@dataclass(frozen=True, slots=True)
class JobRun:
    """One run of a job started from here.

    Attributes:
        id: local run id.
        started_at: when the request was about to be sent (UTC).
        who: local ``user@host``.
        profile: the c66tui profile used.
        stack_uid / stack_name / job_uid / job_name: what was run where.
        args: the arguments given (empty for none).
        outcome: ``running``, ``ok``, ``failed`` or ``unknown``.
        message: the server's message (or ours for ``unknown``).
        action_id: the Cloud 66 async action followed, when known.
        finished_at: when the outcome was recorded.
    """

    id: str
    started_at: datetime | None
    who: str
    profile: str
    stack_uid: str
    stack_name: str
    job_uid: str
    job_name: str
    args: str
    outcome: str = "running"
    message: str = ""
    action_id: int | None = None
    finished_at: datetime | None = None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


class JobHistory:
    """Per-job run history under ``directory`` (created 0700 on first write)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @classmethod
    def default(cls) -> JobHistory:
        """The history in the app's state directory."""
        return cls(paths.state_dir() / "job-history")

    def path_for(self, job_uid: str) -> Path:
        """The file of one job (odd uids are hashed, never used as a path verbatim)."""
        name = job_uid if _SAFE_NAME.match(job_uid or "") else _digest(job_uid)
        return self.directory / f"{name}.jsonl"

    # -- writing ------------------------------------------------------------------

    def start(
        self,
        *,
        profile: str,
        stack_uid: str,
        stack_name: str,
        job_uid: str,
        job_name: str,
        args: str = "",
        now: datetime | None = None,
        run_id: str | None = None,
    ) -> str:
        """Record a run about to be sent; returns its id for :meth:`finish`.

        ``run_id`` (from :meth:`new_run_id`) lets the caller name the run elsewhere first,
        e.g. in the journal entry of the same request.
        """
        run_id = run_id or self.new_run_id()
        self._append(
            job_uid,
            {
                "id": run_id,
                "event": "started",
                "time": (now or datetime.now(UTC)).isoformat(),
                "who": local_identity(),
                "profile": profile,
                "stack_uid": stack_uid,
                "stack_name": stack_name,
                "job_uid": job_uid,
                "job_name": job_name,
                "args": args,
            },
        )
        return run_id

    def finish(
        self,
        job_uid: str,
        run_id: str,
        outcome: str,
        message: str = "",
        *,
        action_id: int | None = None,
        now: datetime | None = None,
    ) -> None:
        """Record the outcome of run ``run_id`` (``ok``, ``failed`` or ``unknown``)."""
        if outcome not in OUTCOMES - {"running"}:
            raise ValueError(f"unknown outcome {outcome!r}")
        self._append(
            job_uid,
            {
                "id": run_id,
                "event": "finished",
                "time": (now or datetime.now(UTC)).isoformat(),
                "outcome": outcome,
                "message": message,
                "action_id": action_id,
            },
        )

    @staticmethod
    def new_run_id() -> str:
        """A fresh local run id."""
        return uuid.uuid4().hex[:12]

    def note_action(self, job_uid: str, run_id: str, action_id: int | None) -> None:
        """Record the async action id the server gave the run (before it finishes)."""
        if action_id is not None:
            self._append(job_uid, {"id": run_id, "event": "action", "action_id": action_id})

    def _append(self, job_uid: str, record: dict[str, Any]) -> None:
        make_private_dirs(self.directory)
        path = self.path_for(job_uid)
        record = redact_data(record, RECORD_KEYS)  # the one redaction point, every field
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        if path.stat().st_size > MAX_RUNS * 2 * 600:
            self._compact(job_uid)

    def _compact(self, job_uid: str) -> None:
        """Rewrite the file with only the newest :data:`MAX_RUNS` runs (atomically)."""
        path = self.path_for(job_uid)
        keep = {run.id for run in self.runs(job_uid, limit=MAX_RUNS)}
        lines = [line for line, record in self._records(path) if record.get("id") in keep]
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, "".join(lines).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)

    # -- reading ------------------------------------------------------------------

    @staticmethod
    def _records(path: Path) -> list[tuple[str, dict[str, Any]]]:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        records = []
        for line in text.splitlines(keepends=True):
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a torn last line after a crash
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                records.append((line if line.endswith("\n") else line + "\n", record))
        return records

    def runs(self, job_uid: str, limit: int = 50) -> list[JobRun]:
        """The job's runs, newest first (at most ``limit``)."""
        merged: dict[str, dict[str, Any]] = {}
        for _, record in self._records(self.path_for(job_uid)):
            event = record.get("event")
            if event == "started":
                merged[record["id"]] = dict(record)
            elif record["id"] in merged:
                entry = merged[record["id"]]
                if event == "action":
                    entry["action_id"] = record.get("action_id")
                elif event == "finished":
                    entry["outcome"] = record.get("outcome")
                    entry["message"] = record.get("message")
                    entry["finished_at"] = record.get("time")
                    if record.get("action_id") is not None:
                        entry["action_id"] = record.get("action_id")
        runs = [self._run(entry) for entry in merged.values()]
        runs.reverse()
        return runs[:limit]

    @staticmethod
    def _run(entry: dict[str, Any]) -> JobRun:
        outcome = entry.get("outcome")
        action_id = entry.get("action_id")
        return JobRun(
            id=entry["id"],
            started_at=_time(entry.get("time")),
            who=_text(entry.get("who")),
            profile=_text(entry.get("profile")),
            stack_uid=_text(entry.get("stack_uid")),
            stack_name=_text(entry.get("stack_name")),
            job_uid=_text(entry.get("job_uid")),
            job_name=_text(entry.get("job_name")),
            args=_text(entry.get("args")),
            outcome=outcome if outcome in OUTCOMES else "running",
            message=_text(entry.get("message")),
            action_id=action_id if isinstance(action_id, int) else None,
            finished_at=_time(entry.get("finished_at")),
        )

    def jobs_with_history(self) -> set[str]:
        """Uids of the jobs that have a history file (one directory listing, no reads)."""
        try:
            names = os.listdir(self.directory)
        except OSError:
            return set()
        return {name[: -len(".jsonl")] for name in names if name.endswith(".jsonl")}

    def get(self, job_uid: str, run_id: str) -> JobRun | None:
        """One run of the job by its id (among the kept ones)."""
        return next((run for run in self.runs(job_uid, MAX_RUNS) if run.id == run_id), None)

    def last_run(self, job_uid: str) -> JobRun | None:
        """The newest run of the job from here, if any."""
        runs = self.runs(job_uid, limit=1)
        return runs[0] if runs else None


def _digest(text: str) -> str:
    return hashlib.sha256(_text(text).encode("utf-8", "replace")).hexdigest()[:32]
