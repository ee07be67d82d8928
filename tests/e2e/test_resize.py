"""Resize the terminal while the redeploy confirmation is open.

The dialog must stay whole and usable through the resize (its facts, both buttons and
the key hint on screen at every size), and answering it afterwards must still work:
``n`` closes it and nothing is sent.
"""

from __future__ import annotations

import pytest

from tests.e2e.flows import filter_to

pytestmark = pytest.mark.e2e

DEPLOYMENTS = r"/stacks/[0-9a-f]+/deployments"


def assert_dialog_whole(screen: str, width: int, height: int) -> None:
    lines = screen.splitlines()
    assert len(lines) <= height and all(len(line) <= width for line in lines)
    for needed in ("Redeploy stack?", "checkout-web", "PRODUCTION", "Cancel", "Redeploy"):
        assert needed in screen, f"{needed!r} missing at {width}x{height}:\n{screen}"
    assert "esc cancel" in screen, f"key hint cut off at {width}x{height}:\n{screen}"


def centred_box(screen: str, width: int) -> bool:
    """Whether the dialog's top border is whole and centred in a ``width`` wide screen."""
    top = next((line for line in screen.splitlines() if "Redeploy stack?" in line), "")
    if not top.rstrip().endswith("█"):
        return False
    left = len(top) - len(top.lstrip())
    right = width - len(top.rstrip())
    return abs(left - right) <= 1


def test_resize_with_the_redeploy_dialog_open(launch, sandbox_ctl, logged_in):
    term = launch(size=(120, 40), flavour="xterm").term
    filter_to(term, "checkout-web")
    term.press("r")
    term.wait_for_text("Redeploy stack?")
    assert_dialog_whole(term.wait_until(lambda s: centred_box(s, 120)), 120, 40)

    for width, height in ((80, 24), (100, 30), (80, 24)):
        term.resize(width, height)
        assert term.size() == (width, height)
        # Wait for the first frame drawn at the new size: the dialog box re-centred.
        screen = term.wait_until(
            lambda s, w=width: centred_box(s, w),
            what=f"the dialog redrawn at {width}x{height}",
        )
        assert_dialog_whole(screen, width, height)

    term.resize(120, 40)
    term.wait_for_text("Redeploy stack?")
    term.press("Escape")  # production: n would be a letter of the name
    screen = term.wait_for_gone("Redeploy stack?")
    assert "checkout-web" in screen, "back on the filtered stack list"
    assert not sandbox_ctl.writes(DEPLOYMENTS), "cancelling sent nothing"
