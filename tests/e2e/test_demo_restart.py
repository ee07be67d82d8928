"""From the demo, with the keyboard alone: change a stack setting, add an environment
variable and pick a theme; quit; start the demo again and find all three as they were left.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from tests.e2e.flows import wait_for

pytestmark = pytest.mark.e2e


def test_demo_changes_are_there_after_a_restart(launch, isolated_dirs):
    term = launch("--demo", size=(100, 30)).term
    term.wait_for_text(re.compile(r"\b40 stacks\b"), timeout=30)

    # A stack setting: git.branch of the stack in focus (the first one, admin-portal-dev).
    term.press("3")
    term.wait_for_text(re.compile(r"git\.branch\s+develop"))
    term.press("/")
    term.type("git.branch")
    term.press("Enter")
    term.wait_for_text("1 of 8 match")
    term.press("e")
    term.wait_for_text("Edit stack setting")
    term.press("C-u")
    term.type("release-1")
    term.press("Enter")
    term.wait_for_text("Change this setting?")
    term.wait_for_text("y confirm")  # it follows the edit dialog: keys count after a moment
    term.press("y")
    term.wait_for_text(re.compile(r"git\.branch\s+release-1\s+editable"), timeout=20)

    # An environment variable.
    term.press("]", "]")
    term.wait_for_text(re.compile(r"\d+ variables"))
    term.press("a")
    term.wait_for_text("Add environment variable")
    term.type("FEATURE_DEMO")
    term.wait_for_text("FEATURE_DEMO")
    term.press("Tab")
    term.type("on")
    term.press("Enter")
    term.wait_for_text("Add this variable?")
    term.wait_for_text("y confirm")
    term.press("y")
    term.wait_for_text("Done: add FEATURE_DEMO", timeout=20)

    # A theme.
    term.press("]")
    term.wait_for_text(re.compile(r"Theme\s+c66-dark"))
    term.press("Enter")
    term.wait_for_text("arrows choose")
    term.press("Down", "Down")
    term.press("Enter")
    term.wait_for_gone("arrows choose")
    term.wait_for_text(re.compile(r"Theme\s+(?!c66-dark)\S+\s+now"))
    config = isolated_dirs["demo"] / "config" / "config.toml"

    def saved_theme() -> str | None:
        theme = tomllib.loads(config.read_text())["preferences"]["theme"]
        return theme if theme != "c66-dark" else None

    chosen = wait_for(saved_theme, what="the chosen theme in the demo's config.toml")
    term.press("q")
    assert term.wait_for_exit(timeout=15) == 0
    term.close()

    again = launch("--demo", size=(100, 30)).term
    again.wait_for_text(re.compile(r"\b40 stacks\b"), timeout=30)
    again.press("3")
    again.wait_for_text(re.compile(r"git\.branch\s+release-1"))
    again.press("]", "]")
    again.wait_for_text(re.compile(r"FEATURE_DEMO\s+on"))  # the Env vars tab is shown
    again.press("/")
    again.type("FEATURE_DEMO")
    again.wait_for_text("match “FEATURE_DEMO”")  # the whole name is in the filter
    again.wait_for_text(re.compile(r"FEATURE_DEMO\s+on"))
    again.press("Escape")  # clears the filter (a key of its own: ESC + "]" reads as one)
    again.wait_for_gone("match “FEATURE_DEMO”")
    again.press("]")
    again.wait_for_text(re.compile(rf"Theme\s+{re.escape(chosen)}\s+now"))
    again.press("q")
    assert again.wait_for_exit(timeout=15) == 0
    assert not isolated_dirs["config"].exists(), "the real configuration is never touched"
