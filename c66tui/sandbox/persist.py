"""Keeping a sandbox world's changes across restarts.

With :attr:`SandboxConfig.state_file` set, the sandbox appends every lasting change it
accepts to that JSON-lines file (mode 0600): the write requests of routes registered with
``keep`` (stack and server settings, environment variables, maintenance mode, pausing
jobs), the tokens it issues and the tokens it revokes. When the world is built again from
the same seed, those requests are replayed in order with their async actions finished at
once, so a restarted demo or ``c66tui sandbox --state FILE`` shows what was changed.
Deploys, job runs and the other stack actions (restarts, cache clears...) are events, not
state, and are not replayed. ``reset`` empties the file. Lines that cannot be read, or
that another seed wrote, are skipped.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from c66tui.sandbox.envelope import ApiError
from c66tui.sandbox.routing import API, LEGACY, Ctx

if TYPE_CHECKING:  # pragma: no cover
    from c66tui.sandbox.state import Sandbox

log = logging.getLogger("c66tui.sandbox")
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


def attach(sandbox: Sandbox, path: Path | str) -> WriteLog:
    """Replay ``path`` onto ``sandbox`` (freshly built) and record its changes from now on."""
    cfg = sandbox.config
    write_log = WriteLog(path, {"seed": cfg.seed, "stacks": cfg.stacks})
    write_log.path.parent.mkdir(parents=True, exist_ok=True)
    with sandbox.lock:
        for entry in write_log.entries():
            try:
                _replay(sandbox, entry)
            except ApiError as err:
                log.info("sandbox: skipped a remembered change (%s)", err.description)
            except Exception:  # noqa: BLE001 - a bad line must not stop the sandbox
                log.exception("sandbox: could not replay a remembered change")
        sandbox.write_log = write_log
    return write_log


def _replay(sandbox: Sandbox, entry: dict[str, Any]) -> None:
    from c66tui.sandbox.state import TokenRec

    kind = entry.get("kind")
    if kind == "token":
        scopes = [str(s) for s in entry.get("scopes", [])]
        sandbox._add_token(str(entry["value"]), scopes, str(entry.get("email", "")))
        return
    if kind == "revoke":
        sandbox.revoke_token(str(entry["value"]))  # not recorded again: no log attached yet
        return
    if kind != "write":
        return
    method, path = str(entry["method"]), str(entry["path"])
    generation = "2" if str(entry.get("generation", "3")) == "2" else "3"
    route, params = (LEGACY if generation == "2" else API).match(method, path)
    email = str(entry.get("email") or sandbox.config.user_email)
    ctx = Ctx(
        sandbox=sandbox,
        token=TokenRec("replay", frozenset(sandbox.ALL_SCOPES), email),
        method=method,
        path=path,
        params=params,
        query={str(k): str(v) for k, v in dict(entry.get("query") or {}).items()},
        body=dict(entry.get("body") or {}),
        generation=generation,
    )
    if not route.keeps(ctx):
        return
    mark = sandbox.event_mark()
    route.handler(ctx)
    sandbox.run_events_since(mark)
