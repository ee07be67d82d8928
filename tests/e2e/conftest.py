"""Fixtures for the end-to-end suite: one sandbox process, fresh terminals per test.

The sandbox runs once per session (``c66tui sandbox`` on a free loopback port, deploys
lasting two virtual seconds) and is reset before every test. ``launch`` starts the
installed ``c66tui`` in a private tmux server with the test's own config, cache and state
directories; ``logged_in`` writes a profile and a freshly minted token for it first.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.harness import Terminal, base_env, c66tui_command, tmux_path
from tests.e2e.sandbox_proc import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SandboxControl,
    SandboxProcess,
)

ALL_SCOPES = ["public", "redeploy", "jobs", "admin", "users"]

TERMINALS = {
    "xterm-256color": {"TERM": "xterm-256color"},
    "xterm": {"TERM": "xterm"},
    "no-color": {"TERM": "xterm-256color", "NO_COLOR": "1"},
}
"""Terminal flavours of a jump host: 256 colours, 16 colours, and colour turned off."""


@pytest.fixture(scope="session")
def sandbox_process(tmp_path_factory) -> Iterator[SandboxProcess]:
    """``c66tui sandbox --deploy-seconds 2`` for the whole session."""
    tmux_path()  # fail early and clearly when tmux is missing
    box = SandboxProcess(tmp_path_factory.mktemp("sandbox"), "--deploy-seconds", "2")
    box.start()
    yield box
    box.stop()


@pytest.fixture
def sandbox_ctl(sandbox_process) -> SandboxControl:
    """The sandbox's control endpoints, on a world reset to its seed data."""
    ctl = sandbox_process.control
    ctl.reset()
    return ctl


@dataclass
class Launched:
    """A started c66tui: its terminal and the environment it was given."""

    term: Terminal
    env: dict[str, str]


@pytest.fixture
def launch(tmp_path, isolated_dirs) -> Iterator[Callable[..., Launched]]:
    """``launch(*args, size=(80, 24), flavour="xterm-256color", env={})`` starts c66tui.

    Every terminal is closed (its tmux server killed) when the test ends.
    """
    opened: list[Terminal] = []

    def start(
        *args: str,
        size: tuple[int, int] = (80, 24),
        flavour: str = "xterm-256color",
        env: dict[str, str] | None = None,
    ) -> Launched:
        extra = {f"C66TUI_{k.upper()}_DIR": str(v) for k, v in isolated_dirs.items()}
        extra.update(TERMINALS[flavour])
        extra.update(env or {})
        full = base_env(**extra)
        term = Terminal(tmp_path / f"tty{len(opened)}", *size)
        opened.append(term)
        term.start([*c66tui_command(), *args], full)
        return Launched(term, full)

    yield start
    for term in opened:
        term.close()


@pytest.fixture
def logged_in(sandbox_process, sandbox_ctl, isolated_dirs) -> str:
    """Write a ``default`` profile for the sandbox and a token with every scope; return it."""
    from c66tui.api.secret import Secret
    from c66tui.config import ConfigStore, Profile

    token = sandbox_ctl.mint_token(ALL_SCOPES)
    store = ConfigStore(isolated_dirs["config"])

    def setup(config) -> None:
        config.profiles["default"] = Profile(
            name="default",
            api_url=sandbox_process.api_url,
            client_id=SANDBOX_CLIENT_ID,
            scopes=tuple(ALL_SCOPES),
        )
        config.active_profile = "default"

    store.update(setup)
    store.set_token("default", Secret(token), client_secret=Secret(SANDBOX_CLIENT_SECRET))
    return token


def file_mode(path: Path) -> int:
    """Permission bits of ``path``."""
    return os.stat(path).st_mode & 0o777
