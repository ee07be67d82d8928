"""At the terminal itself (tmux ``capture-pane -e``): the cursor row and the focused button
stay visible with ``NO_COLOR``, and a title escape planted in stack data leaves the pane
title alone."""

from __future__ import annotations

import re

import pytest

from tests.e2e.attributes import attributes_at
from tests.e2e.flows import filter_to
from tests.e2e.harness import Terminal
from tests.waiting import until_sync

pytestmark = pytest.mark.e2e

STACKS = re.compile(r"\b40 stacks\b")
MARKS = {"bold", "reverse", "underline"}
"""Attributes that mark a row or a button without colour."""


def pane_title(term: Terminal) -> str:
    return term.tmux("display-message", "-p", "-t", "e2e", "#{pane_title}").stdout.strip()


def test_cursor_row_and_focus_are_visible_without_colour(launch, sandbox_process, logged_in):
    term = launch(size=(80, 24), flavour="no-color").term
    term.wait_for_text(STACKS, timeout=30)
    # Two deployed development stacks, drawn alike but for the cursor (on the first row).
    first, second = "admin-portal-dev", "admin-worker-dev"
    styled = term.styled_screen()
    on_cursor = attributes_at(styled, first, "deployed")
    assert on_cursor & MARKS, f"the cursor row is not marked: {on_cursor}"
    assert attributes_at(styled, second, "deployed") != on_cursor

    term.press("Down")

    def cursor_moved() -> str | None:
        # The two rows may be repainted in separate frames: wait for both.
        styled = term.styled_screen()
        moved = attributes_at(styled, second, "deployed") == on_cursor
        left = attributes_at(styled, first, "deployed") != on_cursor
        return styled if moved and left else None

    until_sync(cursor_moved, timeout=10, what="the cursor mark on the second row only")

    # In the redeploy dialog the focused button is marked, and the mark follows Tab.
    term.press("r")
    term.wait_for_text("Redeploy stack?")

    def focus_on(label: str, other: str):
        styled = term.styled_screen()
        mine = attributes_at(styled, "Cancel", label)
        theirs = attributes_at(styled, "Cancel", other)
        return styled if (mine - theirs) & MARKS else None

    until_sync(
        lambda: focus_on("Cancel", "Redeploy"),
        what="Cancel marked as focused",
        describe=term.styled_screen,
    )
    term.press("Tab")
    until_sync(
        lambda: focus_on("Redeploy", "Cancel"),
        what="the focus mark on Redeploy",
        describe=term.styled_screen,
    )
    term.press("Escape")
    term.wait_for_gone("Redeploy stack?")


def test_the_terminal_obeys_a_title_escape(tmp_path):
    # The check below means something: this tmux does let a program set the pane title.
    with Terminal(tmp_path / "tty", 80, 24) as term:
        term.start(
            ["/bin/sh", "-c", r"printf '\033]0;pwned\007'; sleep 30"], {"PATH": "/usr/bin:/bin"}
        )
        until_sync(lambda: pane_title(term) == "pwned", what="the title set by printf")


@pytest.mark.parametrize(
    ("stack", "key", "shown"),
    # The seed plants the escape in a job's name (the API sends no commit message, so the
    # detail screen shows none).
    [("legacy", "2", "weekly")],
    ids=["job name on the jobs screen"],
)
def test_a_title_escape_in_stack_data_leaves_the_pane_title(
    launch, sandbox_process, logged_in, stack, key, shown
):
    term = launch(size=(120, 40)).term
    term.wait_for_text(STACKS, timeout=30)
    title = pane_title(term)
    filter_to(term, stack)
    term.press(key)
    screen = term.wait_for_text(shown, timeout=15)
    assert "\x1b" not in screen
    assert pane_title(term) == title, "the planted escape reached the terminal"
