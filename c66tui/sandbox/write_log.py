"""The file a sandbox world's lasting changes are appended to (JSON lines, mode 0600).

Each line is one entry: an accepted write request (``kind`` ``write``), an issued token
(``token``) or a revoked one (``revoke``), tagged with the world it belongs to (seed and
stack count), so a file written by another world is never replayed onto this one.
Replaying is :mod:`.persist`'s job; this module only reads and writes the file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

MAX_ENTRIES = 10_000
"""A longer file is read up to this many entries (a guard, not a feature)."""


class WriteLog:
    """The append-only file of changes for one world (``seed`` and ``stacks``)."""

    def __init__(self, path: Path | str, world: dict[str, Any]) -> None:
        self.path = Path(path)
        self.world = world
        """What the entries belong to: replaying onto another seed would be nonsense."""

    def _append(self, entry: dict[str, Any]) -> None:
        line = json.dumps({**entry, "world": self.world}, separators=(",", ":")) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)

    def record_write(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        body: dict[str, Any],
        email: str,
        generation: str = "3",
    ) -> None:
        """Remember an accepted write request (``generation``: ``"2"`` under ``/api/2``)."""
        self._append(
            {
                "kind": "write",
                "generation": generation,
                "method": method,
                "path": path,
                "query": query,
                "body": body,
                "email": email,
            }
        )

    def record_token(self, value: str, scopes: list[str], email: str) -> None:
        """Remember a token the sandbox issued (a sandbox token, worthless elsewhere)."""
        self._append({"kind": "token", "value": value, "scopes": scopes, "email": email})

    def record_revoke(self, value: str) -> None:
        """Remember that a token was revoked (it stays refused after a restart)."""
        self._append({"kind": "revoke", "value": value})

    def entries(self) -> list[dict[str, Any]]:
        """The readable entries of this world, oldest first."""
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        found: list[dict[str, Any]] = []
        for line in text.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get("world") == self.world:
                found.append(entry)
            if len(found) >= MAX_ENTRIES:
                break
        return found

    def clear(self) -> None:
        """Forget every change (the world is back to its seed)."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
