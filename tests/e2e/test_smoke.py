"""Start, look around and quit at every terminal size and flavour a jump host offers.

80x24 and 120x40, each with 256 colours, 16 colours (``TERM=xterm``) and ``NO_COLOR=1``:
the stack list appears, the colours drawn match what the terminal can show, help opens and
closes, the mode keys work, and ``q`` ends the program cleanly.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.colours import colours

pytestmark = pytest.mark.e2e

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.mark.parametrize("flavour", ["xterm-256color", "xterm", "no-color"])
@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
def test_start_browse_and_quit(launch, sandbox_process, logged_in, size, flavour, isolated_dirs):
    width, height = SIZES[size]
    term = launch(size=(width, height), flavour=flavour).term
    screen = term.wait_for_text(re.compile(r"\b40 stacks\b"), timeout=30)
    assert "admin-portal-dev" in screen
    assert "profile default" in screen
    lines = screen.splitlines()
    assert len(lines) <= height and all(len(line) <= width for line in lines)
    assert "Help" in lines[-1], "the footer is on the last row"

    drawn = colours(term.styled_screen())
    if flavour == "xterm":
        assert not drawn.indexed and not drawn.rgb, "16-colour terminal got extended colours"
        assert drawn.basic, "a 16-colour terminal still gets colour"
    elif flavour == "no-color":
        assert not drawn.chromatic(), f"NO_COLOR but coloured: {drawn.chromatic()[:5]}"
    else:
        assert drawn.chromatic(), "a 256-colour terminal shows colour"

    term.press("?")
    term.wait_for_text("Keys: Stacks")
    term.press("Escape")
    term.wait_for_gone("Keys: Stacks")

    term.press("2")
    term.wait_for_text(re.compile(r"\b\d+ jobs\b"))
    term.press("1")
    term.wait_for_text(re.compile(r"\b40 stacks\b"))

    term.press("q")
    assert term.wait_for_exit(timeout=15) == 0
    assert not list(isolated_dirs["state"].glob("crash*"))
