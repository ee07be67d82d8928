"""The README's first steps: ``c66tui --demo``, find a stack, redeploy it, watch it finish.

Keyboard only, at 80x24, exactly as the README describes; nothing is written to the
configured directories except the demo's own folder, ``demo/`` in the state directory.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.flows import filter_to

pytestmark = pytest.mark.e2e


def test_demo_find_and_redeploy_a_stack(launch, isolated_dirs):
    # No C66TUI_DEMO_DIR: the demo takes its default folder in the state directory.
    term = launch("--demo", size=(80, 24), env={"C66TUI_DEMO_DIR": ""}).term
    screen = term.wait_for_text(re.compile(r"\b40 stacks\b"), timeout=30)
    assert "DEMO" in screen
    filter_to(term, "shop-backend")
    term.press("r")
    screen = term.wait_for_text("Redeploy stack?")
    assert "PRODUCTION" in screen and "Cancel" in screen
    # Production: the name field has the focus; type the name, then enter.
    term.type("shop-backend")
    term.press("Enter")
    term.wait_for_text("Redeploy sent", timeout=15)
    term.wait_for_text(re.compile(r"(queued|deploying)\s+shop-backend"), timeout=15)
    # The demo's deploys take 30 s of its clock, which runs in real time: watch it finish.
    term.wait_for_text(re.compile(r"✓ success\s+shop-backend.*took"), timeout=75)
    term.press("q")
    assert term.wait_for_exit(timeout=15) == 0
    for name in ("config", "cache", "demo"):
        directory = isolated_dirs[name]
        assert not directory.exists() or not any(directory.iterdir()), directory
    assert [p.name for p in isolated_dirs["state"].iterdir()] == ["demo"]
    demo = isolated_dirs["state"] / "demo"
    assert (demo / "config" / "config.toml").exists()  # the demo's own preferences
