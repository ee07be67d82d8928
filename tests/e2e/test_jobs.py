"""Run a scheduled job now, with an argument, and see how it ended."""

from __future__ import annotations

import re

import pytest

from tests.e2e.flows import outcomes

pytestmark = pytest.mark.e2e

RUN_NOW = r"/stacks/[0-9a-f]+/jobs/[0-9a-f]+/run_now"


def test_run_a_job_with_an_argument_and_see_it_succeed(
    launch, sandbox_ctl, logged_in, isolated_dirs
):
    term = launch(size=(80, 24), flavour="xterm").term
    term.wait_for_text(re.compile(r"\b40 stacks\b"), timeout=30)
    term.press("2")  # jobs of the stack under the cursor (the first one)
    term.wait_until(
        lambda s: re.search(r"\b\d+ jobs\b", s) and "admin-portal-dev" in s and "disk_report" in s,
        what="the jobs of admin-portal-dev",
    )

    term.press("x")
    screen = term.wait_for_text("Run job now?")
    assert "disk_report" in screen and "admin-portal-dev" in screen
    term.press("a")
    term.type("--since=1d")
    buttons = term.styled_row("Run now")
    term.press("Enter")  # leaves the field for the Run button; nothing is sent yet
    term.wait_for_restyle("Run now", buttons)  # the focus has moved to the buttons
    assert not sandbox_ctl.writes(RUN_NOW)
    term.press("y")
    term.wait_for_text(re.compile(r"… running|running"), timeout=15)

    sandbox_ctl.finish()
    screen = term.wait_for_text(re.compile(r"disk_report\s+✓ success"), timeout=20)
    assert len(sandbox_ctl.writes(RUN_NOW)) == 1, "the job ran exactly once"
    [(begin, outcome)] = outcomes(isolated_dirs["state"], "job_run")
    assert begin["params"]["args"] == "--since=1d"
    assert outcome == "ok"
