"""The SSH link drops (SIGHUP) while a redeploy request is on the wire.

The sandbox holds the answer to the redeploy POST, so the request is in flight when the
program gets SIGHUP. The program must end at once and leave the journal saying a redeploy
was requested with no known outcome; the next start must show that entry as "outcome
unknown" and must not send the redeploy again.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess

import pytest

from tests.e2e.flows import filter_to, journal, outcomes, wait_for
from tests.e2e.harness import c66tui_command

pytestmark = pytest.mark.e2e

DEPLOYMENTS = r"/stacks/[0-9a-f]+/deployments"


def test_sighup_during_redeploy_then_restart_shows_outcome_unknown(
    launch, sandbox_ctl, logged_in, isolated_dirs
):
    state = isolated_dirs["state"]
    sandbox_ctl.fault(path=r"/stacks/[0-9a-f]+/deployments", method="POST", delay=20, times=1)
    started = launch(size=(80, 24), flavour="xterm-256color")
    first, first_env = started.term, started.env
    filter_to(first, "auth-sync-staging")
    first.press("r")
    first.wait_for_text("Redeploy stack?")
    first.press("y")

    # The journal entry is written before the request is sent; the sandbox logs the
    # request as it arrives and holds its answer (status still None): it is in flight.
    held = wait_for(
        lambda: [r for r in sandbox_ctl.writes(DEPLOYMENTS) if r.get("status") is None],
        what="the redeploy request to reach the sandbox",
    )
    assert len(held) == 1
    [(begin, outcome)] = outcomes(state, "redeploy")
    assert outcome is None, "no outcome can be known while the answer is held back"

    os.kill(first.pid, signal.SIGHUP)
    status = first.wait_for_exit(timeout=10)
    assert status == 128 + signal.SIGHUP, status  # the app exits cleanly with 128 + N
    assert not list(state.glob("crash*")), "a dropped link is not a crash"

    [(after, outcome)] = outcomes(state, "redeploy")
    assert after["id"] == begin["id"] and after["stack_name"] == "auth-sync-staging"
    # The clean exit cancels the send, which records it as unknown (never ok or failed).
    assert outcome == "unknown", outcome
    assert logged_in not in (state / "journal.jsonl").read_text()
    first.close()

    # Before the next start, the command line counts and lists it.
    env = dict(first_env)  # the same directories the app used
    status = subprocess.run([*c66tui_command(), "status"], env=env, capture_output=True, text=True)
    assert re.search(r"Pending actions:\s+1\b", status.stdout), status.stdout
    pending = subprocess.run(
        [*c66tui_command(), "journal", "--pending"], env=env, capture_output=True, text=True
    )
    assert "auth-sync-staging" in pending.stdout and "unknown" in pending.stdout

    second = launch(size=(80, 24), flavour="xterm-256color").term
    # The stack list says so at once, and checks it against the deployments.
    second.wait_for_text(re.compile(r"Outcome unknown: redeploy of auth-sync-st"), 30)
    # The held request did start a deploy: the check finds it (only a newer one).
    second.wait_for_text(re.compile(r"found deployment #\d+"), 15)
    second.press("J")
    # Young enough to be in flight elsewhere: shown, not yet settled in the journal.
    second.wait_for_text(re.compile(r"auth-sync-staging\s+\? unknown"), 15)
    assert len(sandbox_ctl.writes(DEPLOYMENTS)) == 1, "the restart never sends it again"
    assert len([r for r in journal(state) if r.get("type") == "begin"]) == 1
