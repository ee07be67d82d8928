"""The README's first steps: ``c66tui --demo``, find a stack, redeploy it, see it deploying.

Keyboard only, at 80x24, exactly as the README describes; nothing is written to the
configured directories (the demo keeps its files in a temporary directory).
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.flows import filter_to

pytestmark = pytest.mark.e2e


def test_demo_find_and_redeploy_a_stack(launch, isolated_dirs):
    term = launch("--demo", size=(80, 24)).term
    screen = term.wait_for_text(re.compile(r"\b40 stacks\b"), timeout=30)
    assert "DEMO" in screen
    filter_to(term, "shop-backend")
    term.press("r")
    screen = term.wait_for_text("Redeploy stack?")
    assert "PRODUCTION" in screen and "Cancel" in screen
    term.press("y")
    term.wait_for_text("Type the stack name exactly")
    term.type("shop-backend")
    term.press("Enter")
    term.wait_for_text("Redeploy sent", timeout=15)
    term.wait_for_text(re.compile(r"(queued|deploying)\s+shop-backend"), timeout=15)
    term.press("q")
    assert term.wait_for_exit(timeout=15) == 0
    for directory in isolated_dirs.values():
        assert not directory.exists() or not any(directory.iterdir()), directory
