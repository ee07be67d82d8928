"""A newcomer at 80x24 over SSH: every screen readable under NO_COLOR, 16 and 256 colours;
keys typed in one burst land where they were meant; the stack list shows every state."""

from __future__ import annotations

import re

import pytest

from tests.e2e.colours import unreadable_runs

pytestmark = pytest.mark.e2e

STACKS = re.compile(r"\b40 stacks\b")


def assert_readable(term, where: str) -> None:
    problems = unreadable_runs(term.styled_screen())
    assert not problems, f"{where}: text in its own background colour: {problems[:5]}"


@pytest.mark.parametrize("flavour", ["no-color", "xterm", "xterm-256color"])
def test_every_screen_is_readable(launch, sandbox_process, logged_in, flavour):
    term = launch(size=(80, 24), flavour=flavour).term
    term.wait_for_text(STACKS, timeout=30)
    assert_readable(term, "stacks")
    term.press("Enter")
    term.wait_for_text("Deployments, newest first")
    term.wait_for_text("Servers by group")
    assert_readable(term, "stack detail")
    term.press("Escape")
    term.wait_for_text(STACKS)
    term.press("?")
    term.wait_for_text("Keys: Stacks")
    assert_readable(term, "help")
    term.press("Escape")
    term.wait_for_gone("Keys: Stacks")
    term.press("2")
    term.wait_for_text(re.compile(r"\b\d+ jobs\b"))
    assert_readable(term, "jobs")
    term.press("3")
    term.wait_for_text("Env vars")
    term.wait_for_text(re.compile(r"\d+ settings"))
    assert_readable(term, "settings")
    term.press("q")
    assert term.wait_for_exit(timeout=15) == 0


def test_filter_enter_and_sort_typed_in_one_burst(launch, sandbox_process, logged_in):
    term = launch(size=(80, 24)).term
    term.wait_for_text(STACKS, timeout=30)
    term.type("/shop\rs")  # one write: the keys arrive together
    screen = term.wait_for_text("sort env")
    assert "/shops" not in screen and "0 match" not in screen
    rows = [line for line in screen.splitlines() if re.search(r"\b(prod|dev|stage|qa)\b", line)]
    assert rows and all("shop" in line for line in rows), screen


def test_jobs_stack_chosen_in_one_burst(launch, sandbox_process, logged_in):
    term = launch(size=(80, 24)).term
    term.wait_for_text(STACKS, timeout=30)
    term.type("2sbilling\r")
    screen = term.wait_for_text(re.compile(r"Stack billing-\S+"))
    term.wait_for_text(re.compile(r"\b\d+ jobs\b"))
    screen = term.screen()
    assert "billing" in screen.splitlines()[1], screen
    assert "billing" not in "\n".join(screen.splitlines()[2:-1]) or "jobs" in screen


def test_stack_list_shows_every_state_at_80_columns(launch, sandbox_process, logged_in):
    term = launch(size=(80, 24)).term
    screen = term.wait_for_text(STACKS, timeout=30)
    header = next(line for line in screen.splitlines() if "Name" in line and "State" in line)
    assert "Health" in header and "Acco" in header, header  # the account varies
    assert all(len(line) <= 80 for line in screen.splitlines())
    assert "✗ deploy failed" in screen
    term.type("/maint")
    screen = term.wait_for_text(re.compile(r"\d+ match(es)? /maint"))
    shown = [line for line in screen.splitlines() if "▲ maint" in line]
    assert any("marketing-site" in line for line in shown), screen
    term.press("Escape")
    term.wait_for_gone("/maint")
    term.type("/failed")
    screen = term.wait_for_text(re.compile(r"\d+ match(es)? /failed"))
    rows = [line for line in screen.splitlines() if "ago" in line]
    assert rows and all("failed" in line for line in rows), screen
    assert any("billing-api" in line for line in rows)
