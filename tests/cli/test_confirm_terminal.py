"""On a terminal a write asks first; a production stack wants its name typed.

The installed ``c66tui`` runs with standard input and standard error on a pseudo-terminal
(standard output stays a pipe, as in ``c66tui redeploy ... --json | jq``); the test reads
the question and types the answer.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time

from tests.cli.conftest import INSTALLED
from tests.cli.helpers import api_calls, stack_uid


def ask(argv: list[str], until: bytes, answer: bytes, timeout: float = 60.0):
    """Run ``c66tui argv`` on a terminal, wait for ``until`` on it, type ``answer``."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [str(INSTALLED), *argv],
        stdin=slave,
        stderr=slave,
        stdout=subprocess.PIPE,
        env=dict(os.environ),
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + timeout
    try:
        while until not in seen:
            left = deadline - time.monotonic()
            assert left > 0, f"no question on the terminal; saw {seen!r}"
            ready, _, _ = select.select([master], [], [], left)
            if ready:
                try:
                    seen += os.read(master, 4096)
                except OSError:
                    break
        os.write(master, answer)
        out, _ = proc.communicate(timeout=timeout)
        while True:
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, out.decode(), seen.decode(errors="replace")


def posts(world, name: str) -> list[dict]:
    return api_calls(world, "POST", f"/stacks/{stack_uid(world, name)}/deployments")


def test_production_stack_wants_its_name_typed(world):
    code, _out, screen = ask(
        ["redeploy", "-s", "shop-backend"], b"Type its name", b"shop-backend\n"
    )
    assert code == 0, screen
    assert "PRODUCTION" in screen and "Stack:" in screen
    assert len(posts(world, "shop-backend")) == 1


def test_a_wrong_name_sends_nothing(world):
    code, _out, screen = ask(["redeploy", "-s", "shop-backend"], b"Type its name", b"shop\n")
    assert code == 2 and "did not match" in screen
    assert posts(world, "shop-backend") == []


def test_other_stacks_ask_yes_or_no(world):
    code, out, screen = ask(["redeploy", "-s", "tps-reports", "--json"], b"[y/N]", b"y\n")
    assert code == 0, screen
    assert '"outcome": "ok"' in out
    assert len(posts(world, "tps-reports")) == 1


def test_no_is_the_default(world):
    code, _out, screen = ask(["jobs", "run", "-s", "tps-reports", "nightly"], b"[y/N]", b"\n")
    assert code == 2 and "not confirmed" in screen
    assert api_calls(world, "POST") == []


def test_every_write_to_production_wants_the_name(world):
    code, _out, screen = ask(
        ["settings", "set", "-s", "shop-backend", "git.branch", "hotfix"],
        b"Type its name",
        b"shop-backend\n",
    )
    assert code == 0, screen
    assert "git.branch" in screen and "hotfix" in screen
    assert len(api_calls(world, "PUT", "/settings/")) == 1
    code, _out, screen = ask(
        ["jobs", "pause", "-s", "shop-backend", "rotate"], b"Type its name", b"no\n"
    )
    assert code == 2 and api_calls(world, "POST") == []
