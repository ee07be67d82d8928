"""The action journal: an append-only record of every write sent to Cloud 66.

Before a redeploy (or any other write) is sent, :meth:`Journal.begin` appends an intent
record and fsyncs it; when the answer arrives, :meth:`Journal.complete` appends the outcome.
If the process dies in between (SSH link dropped, SIGHUP), the entry stays *pending* and the
next start can say "outcome unknown" and offer to check the stack.

The file is JSON lines, mode 0600, in the state directory. Records hold the local
``user@host``, UTC time, profile, stack, parameters and the write's request id, never a
token. A truncated or corrupt line is skipped when reading, never fatal.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from c66tui.api.redaction import RECORD_KEYS, WORD_SAFE_LENGTH, redact_data
from c66tui.api.redaction import redact as redact_text
from c66tui.api.secret import Secret
from c66tui.config import paths
from c66tui.config.atomic import open_regular
from c66tui.config.paths import make_private_dirs
from c66tui.ops import clock
from c66tui.text import redact

try:  # pragma: no cover - POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

KINDS = frozenset(
    {
        "redeploy",
        "cancel",
        "job_run",
        "job_pause",
        "job_resume",
        "setting",
        "env_var",
        "maintenance",
        "lease",
    }
)
OUTCOMES = frozenset({"ok", "failed", "unknown"})
UNRESOLVED_DAYS = 7
"""How long an entry whose outcome is unknown keeps being shown at start-up and counted."""
MAX_ENTRIES = 1000
"""How many recent entries :meth:`Journal.entries` returns at most."""
TAIL_BYTES = 2 * 1024 * 1024
"""How much of the end of the file is read; older history is left on disk."""
REDACTED = "[REDACTED]"
_SECRET_WORDS = ("token", "secret", "password", "authorization", "credential")


@dataclass
class JournalEntry:
    """One write: its intent and, once known, its outcome (``None`` while pending)."""

    id: str
    kind: str
    profile: str
    stack_uid: str
    stack_name: str
    params: dict[str, Any] = field(default_factory=dict)
    started_at: datetime | None = None
    user: str = ""
    account: str = ""
    outcome: str | None = None
    detail: str = ""
    finished_at: datetime | None = None
    request_id: str = ""
    """The ``Request-Id`` the write was sent with (Cloud 66 support can look it up)."""

    @property
    def pending(self) -> bool:
        """True when no outcome was recorded (still running, or the process died)."""
        return self.outcome is None


def local_identity() -> str:
    """``user@host`` of whoever runs this process (``unknown`` parts when unavailable)."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        user = "unknown"
    try:
        host = socket.gethostname() or "unknown"
    except OSError:  # pragma: no cover
        host = "unknown"
    return f"{user}@{host}"


def _now() -> str:
    """The record time: the app clock (:func:`c66tui.ops.clock.now`), so a frozen clock
    pins journal times too."""
    return clock.now().isoformat(timespec="milliseconds")


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def scrub_params(kind: str, params: dict[str, Any] | None) -> dict[str, Any]:
    """A JSON-safe copy of ``params`` with anything secret-looking masked.

    Keys mentioning tokens, secrets or passwords are masked; so is the ``value`` of an
    environment variable (it is often a password). ``Secret`` objects are masked by type.
    """
    clean: dict[str, Any] = {}
    for key, value in (params or {}).items():
        key = str(key)
        lowered = key.lower()
        if (
            isinstance(value, Secret)
            or any(word in lowered for word in _SECRET_WORDS)
            or (kind == "env_var" and lowered in ("value", "new_value", "old_value"))
        ):
            clean[key] = REDACTED
        elif value is None or isinstance(value, bool | int | float):
            clean[key] = value
        elif isinstance(value, list | tuple):
            clean[key] = [
                v if isinstance(v, bool | int | float) else redact(str(v)) for v in value
            ]
        elif key in RECORD_KEYS:  # an identifier or time: readable whatever is registered
            clean[key] = redact_text(str(value), shortest=WORD_SAFE_LENGTH)
        else:
            clean[key] = redact(str(value))
    return clean


class Journal:
    """Append-only JSON-lines journal at ``path`` (default: the state directory's)."""

    def __init__(self, path: Path | str | None = None) -> None:
        if path is None:
            path = paths.journal_file()
        self.path = Path(path)
        self.identity = local_identity()

    # -- writing ----------------------------------------------------------------------

    def _append(self, record: dict[str, Any]) -> None:
        record = redact_data(record, RECORD_KEYS)  # the one redaction point, every field
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        directory = self.path.parent
        if not directory.exists():
            make_private_dirs(directory)
        # Never blocks, and refuses a FIFO or device in the journal's place.
        fd = open_regular(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            info = os.fstat(fd)
            if info.st_mode & 0o077 and hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)
            if info.st_size and not self._ends_with_newline():
                line = "\n" + line  # a previous writer died mid-line
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def _ends_with_newline(self) -> bool:
        try:
            with open(self.path, "rb") as handle:
                handle.seek(-1, os.SEEK_END)
                return handle.read(1) == b"\n"
        except OSError:
            return True

    def begin(
        self,
        kind: str,
        profile: str,
        stack_uid: str,
        stack_name: str,
        params: dict[str, Any] | None = None,
        *,
        account: str = "",
        request_id: str = "",
    ) -> str:
        """Record the intent to send a write; returns the entry id. Call before sending.

        ``request_id`` is the ``Request-Id`` the write will be sent with (a UUID, see
        :mod:`c66tui.api.transport.request_ids`); anything else is refused.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown journal kind {kind!r}")
        if request_id:
            request_id = str(uuid.UUID(str(request_id)))  # ValueError when not a UUID
        entry_id = uuid.uuid4().hex
        record = {
            "type": "begin",
            "id": entry_id,
            "time": _now(),
            "user": self.identity,
            "profile": str(profile),
            "account": str(account),
            "kind": kind,
            "stack_uid": str(stack_uid),
            "stack_name": redact(str(stack_name)),
            "params": scrub_params(kind, params),
        }
        if request_id:
            record["request_id"] = request_id
        self._append(record)
        return entry_id

    def complete(self, entry_id: str, outcome: str, detail: str = "") -> None:
        """Record how the write ended: ``"ok"``, ``"failed"`` or ``"unknown"``."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        self._append(
            {
                "type": "complete",
                "id": str(entry_id),
                "time": _now(),
                "outcome": outcome,
                "detail": redact(str(detail))[:2000],
            }
        )

    def mark_unknown(self, entry_id: str, detail: str = "outcome unknown") -> None:
        """Close a pending entry whose result nobody saw (e.g. after a crash)."""
        self.complete(entry_id, "unknown", detail)

    # -- reading ----------------------------------------------------------------------

    def _tail_lines(self) -> list[bytes]:
        try:
            fd = open_regular(self.path)  # a FIFO in its place must not hang a reader
        except OSError:
            return []
        try:
            with os.fdopen(fd, "rb") as handle:
                size = handle.seek(0, os.SEEK_END)
                start = max(0, size - TAIL_BYTES)
                handle.seek(start)
                data = handle.read()
        except OSError:
            return []
        lines = data.split(b"\n")
        if start > 0 and lines:
            lines = lines[1:]  # the first line was cut by the seek
        return lines

    def entries(self, limit: int = MAX_ENTRIES) -> list[JournalEntry]:
        """Entries oldest first (the most recent ``limit``); bad lines are skipped."""
        folded: OrderedDict[str, JournalEntry] = OrderedDict()
        for line in self._tail_lines():
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):
                continue
            if not isinstance(record, dict):
                continue
            with contextlib.suppress(Exception):
                self._fold(folded, record)
        result = list(folded.values())
        return result[-limit:] if limit else result

    @staticmethod
    def _fold(folded: OrderedDict[str, JournalEntry], record: dict[str, Any]) -> None:
        entry_id = record.get("id")
        if not isinstance(entry_id, str):
            return
        if record.get("type") == "begin":
            params = record.get("params")
            folded[entry_id] = JournalEntry(
                id=entry_id,
                kind=str(record.get("kind", "")),
                profile=str(record.get("profile", "")),
                stack_uid=str(record.get("stack_uid", "")),
                stack_name=str(record.get("stack_name", "")),
                params=params if isinstance(params, dict) else {},
                started_at=_parse_time(record.get("time")),
                user=str(record.get("user", "")),
                account=str(record.get("account", "")),
                request_id=str(record.get("request_id", "")),
            )
        elif record.get("type") == "complete" and entry_id in folded:
            entry = folded[entry_id]
            outcome = record.get("outcome")
            entry.outcome = outcome if outcome in OUTCOMES else "unknown"
            entry.detail = str(record.get("detail", ""))
            entry.finished_at = _parse_time(record.get("time"))

    def pending(self) -> list[JournalEntry]:
        """Entries with no recorded outcome."""
        return [entry for entry in self.entries() if entry.pending]

    def unresolved(self, now: datetime | None = None) -> list[JournalEntry]:
        """Entries whose outcome nobody knows: none recorded (the process died while
        sending) or recorded as ``unknown`` (a timeout, a dropped link, a SIGHUP), and
        not settled by a later check; those of the last :data:`UNRESOLVED_DAYS` days,
        oldest first. These are shown at start-up, counted by ``c66tui status`` and
        listed by ``c66tui journal --pending``."""
        now = now or clock.now()
        floor = now - timedelta(days=UNRESOLVED_DAYS)
        return [
            entry
            for entry in self.entries()
            if entry.outcome in (None, "unknown")
            and (entry.started_at is None or entry.started_at >= floor)
        ]

    def get(self, entry_id: str) -> JournalEntry | None:
        """One entry by id (among the recent ones)."""
        for entry in self.entries():
            if entry.id == entry_id:
                return entry
        return None
