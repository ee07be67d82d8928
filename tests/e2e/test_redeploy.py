"""Find a stack, redeploy it, let the sandbox finish the deploy and see the outcome.

Keyboard only: ``/`` filters, ``r`` opens the confirmation, a production stack needs its
name typed, then the deploy watch follows the deploy to its end once the sandbox clock
has been moved past it.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.flows import filter_to, outcomes

pytestmark = pytest.mark.e2e

DEPLOYMENTS = r"/stacks/[0-9a-f]+/deployments"


def stack_uid(ctl, token: str, name: str) -> str:
    return next(s["uid"] for s in ctl.stacks(token) if s["name"] == name)


def test_redeploy_production_stack_and_watch_it_succeed(
    launch, sandbox_ctl, logged_in, isolated_dirs
):
    term = launch(size=(80, 24), flavour="xterm-256color").term
    filter_to(term, "checkout-web")

    term.press("r")
    screen = term.wait_for_text("Redeploy stack?")
    assert "PRODUCTION" in screen and "checkout-web" in screen
    term.press("Enter")  # production: enter before the name says why, nothing is sent
    term.wait_for_text("Type the stack name to redeploy")
    assert not sandbox_ctl.writes(DEPLOYMENTS)
    term.type("checkout-web")  # the name field has the focus: no key moves it there
    term.press("Enter")
    term.wait_for_text("Redeploy sent", timeout=15)
    assert len(sandbox_ctl.writes(DEPLOYMENTS)) == 1

    sandbox_ctl.advance(5)
    term.wait_for_text(re.compile(r"✓ success\s+checkout-web"), timeout=20)
    assert len(sandbox_ctl.writes(DEPLOYMENTS)) == 1, "exactly one redeploy request"
    [(begin, outcome)] = outcomes(isolated_dirs["state"], "redeploy")
    assert begin["stack_name"] == "checkout-web" and outcome == "ok"


def test_the_readme_production_steps_in_one_burst_send_exactly_one_redeploy(
    launch, sandbox_ctl, logged_in, isolated_dirs
):
    term = launch(size=(80, 24), flavour="xterm-256color").term
    filter_to(term, "checkout-web")
    # As the README says: r, the stack's name, enter; sent in one write, as a laggy
    # link or a paste delivers them.
    term.type("rcheckout-web\r")
    term.wait_for_text("Redeploy sent", timeout=15)
    screen = term.wait_for_text("1 match /checkout-web")
    assert "Redeploy stack?" not in screen
    # Nothing left over ran a stack-list key (copy, cancel) or reopened a dialog.
    assert "Copied" not in screen and "Cancel deploy?" not in screen
    assert len(sandbox_ctl.writes(DEPLOYMENTS)) == 1, "exactly one redeploy request"
    [(begin, outcome)] = outcomes(isolated_dirs["state"], "redeploy")
    assert begin["stack_name"] == "checkout-web" and outcome == "ok"


def test_redeploy_that_fails_shows_the_failure(launch, sandbox_ctl, logged_in, isolated_dirs):
    sandbox_ctl.fail_next(
        "deploy", stack_uid(sandbox_ctl, logged_in, "auth-sync-staging"), "asset build broke"
    )
    term = launch(size=(120, 40), flavour="no-color").term
    filter_to(term, "auth-sync-staging")

    term.press("r")
    term.wait_for_text("Redeploy stack?")
    term.press("y")  # not production: y confirms at once
    term.wait_for_text("Redeploy sent", timeout=15)

    sandbox_ctl.advance(5)
    term.wait_for_text(re.compile(r"✗ failed\s+auth-sync-staging"), timeout=20)
    assert len(sandbox_ctl.writes(DEPLOYMENTS)) == 1
