"""Fixtures shared by the whole suite.

Every test runs with its own config, cache and state directories so a developer's real
files never leak in or get written. The sandbox fixtures serve the Cloud 66 emulator with
uvicorn on an ephemeral loopback port: API tests go through a real socket.
"""

from __future__ import annotations

import signal

import pytest

from c66tui.api.redaction import forget_secrets
from c66tui.ops.keyfile import remove_live_keys


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Point every c66tui directory at a fresh temporary folder and clear env overrides."""
    dirs = {}
    for name in ("config", "cache", "state"):
        path = tmp_path / f"c66tui-{name}"
        dirs[name] = path
        monkeypatch.setenv(f"C66TUI_{name.upper()}_DIR", str(path))
    # The demo's own folder (set, not removed, so whatever a demo sets is undone after).
    dirs["demo"] = tmp_path / "c66tui-demo"
    monkeypatch.setenv("C66TUI_DEMO_DIR", str(dirs["demo"]))
    for var in (
        "CLOUD66_TOKEN",
        "C66TUI_PROFILE",
        "C66TUI_API_URL",
        "C66TUI_CLIENT_ID",
        "C66TUI_CLIENT_SECRET",
        "NO_COLOR",
        "SSH_CONNECTION",
        "C66TUI_FROZEN_NOW",
    ):
        monkeypatch.delenv(var, raising=False)
    return dirs


@pytest.fixture(autouse=True)
def fresh_process_state():
    """Start and end every test with the process-wide state of a new process.

    The redaction registry is emptied (so a test proves the app registers its own token);
    server keys a test left live are deleted and forgotten, and the SIGHUP/SIGTERM
    handlers an in-process ssh flow chained are put back as they were; the UI clock is
    unfrozen by ``isolated_dirs`` (``C66TUI_FROZEN_NOW`` removed); the on-disk caches live
    in the per-test folders; the sandbox fixture resets its world, its clock and the
    firewall rules tied to them. (The ``lru_cache`` memos of cron, the ASCII filter and the
    key catalogue are pure functions of their arguments or of the code, and carry nothing
    from one test to the next.)
    """
    handlers = {number: signal.getsignal(number) for number in (signal.SIGHUP, signal.SIGTERM)}
    forget_secrets()
    yield
    forget_secrets()
    remove_live_keys()
    for number, handler in handlers.items():
        if handler is not None:
            signal.signal(number, handler)


@pytest.fixture
def frozen_clock(monkeypatch):
    """``frozen_clock(moment)`` pins the app's clock (``c66tui.ops.clock.now``) at
    ``moment`` for the rest of the test, through its ``C66TUI_FROZEN_NOW`` hook;
    ``frozen_clock(None)`` lets it run with real time again."""

    def freeze(moment) -> None:
        if moment is None:
            monkeypatch.delenv("C66TUI_FROZEN_NOW", raising=False)
        else:
            monkeypatch.setenv("C66TUI_FROZEN_NOW", moment.isoformat())

    return freeze


@pytest.fixture(scope="session")
def sandbox_server():
    """One uvicorn-served sandbox for the session (use ``sandbox`` for a clean world)."""
    from c66tui.sandbox import SandboxConfig
    from c66tui.sandbox.server import SandboxServer

    with SandboxServer(config=SandboxConfig(seed=66)) as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server):
    """The session's sandbox server, reset to its seed data before the test."""
    sandbox_server.sandbox.reset()
    yield sandbox_server
    sandbox_server.sandbox.reset()
