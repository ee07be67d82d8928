"""Keeping a sandbox world's changes across restarts.

With :attr:`SandboxConfig.state_file` set, the sandbox appends every lasting change it
accepts to that JSON-lines file (see :mod:`.write_log`): the write requests of routes
registered with ``keep`` (stack and server settings, environment variables, maintenance
mode, pausing jobs), the tokens it issues and the tokens it revokes. When the world is
built again from the same seed, :func:`attach` replays those requests in order through
the same routes, with their async actions finished at once, so a restarted demo or
``c66tui sandbox --state FILE`` shows what was changed. Deploys, job runs and the other
stack actions (restarts, cache clears...) are events, not state, and are not replayed.
``reset`` empties the file. Lines that cannot be read, or that another seed wrote, are
skipped.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from c66tui.sandbox.envelope import ApiError
from c66tui.sandbox.routing import API, LEGACY, Ctx
from c66tui.sandbox.state import Sandbox
from c66tui.sandbox.tokens import TokenRec
from c66tui.sandbox.write_log import WriteLog

log = logging.getLogger("c66tui.sandbox")


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
    kind = entry.get("kind")
    if kind == "token":
        scopes = [str(s) for s in entry.get("scopes", [])]
        sandbox.add_token(str(entry["value"]), scopes, str(entry.get("email", "")))
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
