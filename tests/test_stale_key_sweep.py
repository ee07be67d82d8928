"""The full-screen app sweeps stale server keys once: after start-up, or on its way out."""

from __future__ import annotations

import subprocess
import sys
import time

from c66tui import launch


def _stale_key(isolated_dirs):
    directory = isolated_dirs["state"] / "ssh-keys"
    directory.mkdir(parents=True, mode=0o700)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = directory / f"{dead.stdout.strip()}-abc.key"
    stale.write_text("x")
    return stale


def test_the_sweep_runs_after_its_delay(isolated_dirs):
    stale = _stale_key(isolated_dirs)
    sweep = launch.StaleKeySweep(delay=0.05)
    deadline = time.monotonic() + 10
    while stale.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not stale.exists()
    sweep.finish()  # already done: nothing more happens


def test_a_session_that_ends_first_sweeps_on_its_way_out(isolated_dirs):
    stale = _stale_key(isolated_dirs)
    sweep = launch.StaleKeySweep(delay=60)
    assert stale.exists()
    sweep.finish()
    assert not stale.exists()
