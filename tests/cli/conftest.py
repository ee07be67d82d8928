"""Fixtures for the command tests: a fast sandbox on a loopback socket and two runners.

``run`` calls :func:`c66tui.cli.main` in this process (fast; standard input is not a
terminal under pytest); ``run_installed`` starts the installed ``c66tui`` of this venv
as a subprocess with no terminal at all, as cron or CI would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from c66tui import cli
from tests.cli.helpers import Result

INSTALLED = Path(sys.executable).with_name("c66tui")


@pytest.fixture(scope="session")
def fast_sandbox_server():
    """A sandbox whose deploys take two virtual seconds and actions half a second."""
    from c66tui.sandbox import SandboxConfig
    from c66tui.sandbox.server import SandboxServer

    config = SandboxConfig(seed=66, deploy_seconds=2.0, action_seconds=0.5)
    with SandboxServer(config=config) as server:
        yield server


@pytest.fixture(scope="session")
def slow_sandbox_server():
    """A sandbox whose deploys take ten virtual minutes (a deploy stays running)."""
    from c66tui.sandbox import SandboxConfig
    from c66tui.sandbox.server import SandboxServer

    with SandboxServer(config=SandboxConfig(seed=66, deploy_seconds=600.0)) as server:
        yield server


def _pointed_at(server, monkeypatch):
    server.sandbox.reset()
    server.sandbox.clear_log()
    monkeypatch.setenv("CLOUD66_TOKEN", server.sandbox.DEMO_TOKEN)
    monkeypatch.setenv("C66TUI_API_URL", server.api_url)
    return server


@pytest.fixture
def world(fast_sandbox_server, monkeypatch):
    """The fast sandbox, reset, with the environment pointing the commands at it."""
    yield _pointed_at(fast_sandbox_server, monkeypatch)
    fast_sandbox_server.sandbox.clear_faults()
    fast_sandbox_server.sandbox.reset()


@pytest.fixture
def slow_world(slow_sandbox_server, monkeypatch):
    """The slow sandbox (deploys keep running), reset, the commands pointed at it."""
    yield _pointed_at(slow_sandbox_server, monkeypatch)
    slow_sandbox_server.sandbox.clear_faults()
    slow_sandbox_server.sandbox.reset()


@pytest.fixture
def run(capsys):
    """``run(*argv) -> Result``: the command line in this process."""

    def call(*argv: str) -> Result:
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return call


@pytest.fixture
def run_installed():
    """``run_installed(*argv, input=None, env=None) -> Result``: the installed command,
    no terminal (standard input is a pipe or /dev/null)."""

    def call(*argv: str, input: str | None = None, env: dict | None = None) -> Result:
        proc = subprocess.run(
            [str(INSTALLED), *argv],
            input=input,
            stdin=None if input is not None else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, **(env or {})},
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return call
