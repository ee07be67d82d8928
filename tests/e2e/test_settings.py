"""Turn a stack's maintenance mode on from the settings screen and see it everywhere."""

from __future__ import annotations

import re

import pytest

from tests.e2e.flows import outcomes

pytestmark = pytest.mark.e2e


def test_maintenance_mode_toggle_is_reflected(launch, sandbox_ctl, logged_in, isolated_dirs):
    term = launch(size=(120, 40), flavour="xterm-256color").term
    term.wait_for_text(re.compile(r"\b40 stacks\b"), timeout=30)
    term.press("3")
    term.wait_for_text("maintenance off")

    term.press("m")
    screen = term.wait_for_text("Turn maintenance mode ON?")
    assert "admin-portal-dev" in screen
    term.press("y")
    term.wait_for_text(re.compile(r"applying|Cloud 66 is applying"), timeout=15)
    sandbox_ctl.finish()
    screen = term.wait_for_text("maintenance on", timeout=20)
    assert re.search(r"maintenance\.mode\s+true", screen)

    stack = next(s for s in sandbox_ctl.stacks(logged_in) if s["name"] == "admin-portal-dev")
    assert stack["maintenance_mode"] is True

    term.press("1")
    term.press("C-r")
    term.wait_for_text(re.compile(r"admin-portal-dev .*▲ maint"), timeout=15)
    [(begin, outcome)] = outcomes(isolated_dirs["state"], "maintenance")
    assert begin["stack_name"] == "admin-portal-dev" and outcome == "ok"
