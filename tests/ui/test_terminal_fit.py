"""Small terminals: below 60x18 every screen and dialog is covered by a plain notice
that holds back input, and the app comes back unchanged when the terminal grows."""

from __future__ import annotations

import pytest

from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.dialogs.redeploy import RedeployDialog
from c66tui.ui.screens.jobs import JobsScreen
from c66tui.ui.screens.stacks import StacksScreen
from c66tui.ui.widgets.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallNotice
from tests.ui.rendering import screen_lines, screen_text
from tests.ui.test_stacks_support import (
    put_cursor,
    redeploy_posts,
    stacks_ready,
    uid_of,
    wait_until,
)
from tests.waiting import until_idle


def notice_shown(app) -> bool:
    return "Terminal too small" in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (MIN_WIDTH, MIN_HEIGHT)])
async def test_usable_sizes_show_the_app(app_factory, sandbox, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        screen = await stacks_ready(app, pilot)
        lines = screen_lines(app)
        assert not notice_shown(app) and not app.terminal_too_small
        assert "default" in lines[0] and app.services.api_host in lines[0]
        assert "[DEVELOPMENT]" in lines[0]
        assert "Redeploy" in lines[-1]
        assert "admin-portal-dev" in "\n".join(lines)
        await pilot.press("slash")
        await pilot.pause()
        assert screen.query_one("#stacks-filter").has_focus


@pytest.mark.parametrize(
    "size", [(MIN_WIDTH - 1, MIN_HEIGHT), (MIN_WIDTH, MIN_HEIGHT - 1), (30, 8)]
)
async def test_below_the_minimum_a_notice_replaces_the_layout(app_factory, sandbox, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await stacks_ready(app, pilot)
        await wait_until(pilot, lambda: notice_shown(app), what="too-small notice")
        text = " ".join(screen_text(app).split())
        width, height = size
        assert f"Terminal too small: {width} x {height}" in text
        assert f"need at least {MIN_WIDTH} x {MIN_HEIGHT}" in text
        assert "(resize, or q to quit)" in text
        assert "admin-portal-dev" not in text and "Redeploy" not in text
        # Keys aimed at the hidden screen are held back.
        await pilot.press("2", "slash", "r")
        await pilot.pause()
        assert app.current_mode == "stacks" and isinstance(app.screen, StacksScreen)
        assert not app.screen.query_one("#stacks-filter").has_focus


async def test_resize_with_a_dialog_open_and_back(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await stacks_ready(app, pilot)
        await put_cursor(pilot, screen, uid_of(sandbox, "admin-portal-dev"))
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, RedeployDialog), what="dialog")
        dialog = app.screen
        await pilot.resize_terminal(50, 15)
        await wait_until(pilot, lambda: notice_shown(app), what="notice over the dialog")
        assert "Redeploy stack?" not in screen_text(app)
        await pilot.press("y", "enter")  # would confirm the redeploy if it reached the dialog
        await until_idle(pilot, app, sandbox, waiting=("redeploy-",))
        assert app.screen is dialog and not redeploy_posts(sandbox, "admin-portal-dev")

        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: not notice_shown(app), what="notice gone")
        text = screen_text(app)
        assert app.screen is dialog and not app.terminal_too_small
        assert "Redeploy stack?" in text and "admin-portal-dev" in text
        assert not app.query(TooSmallNotice) and not dialog.query(TooSmallNotice)
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen, what="dialog closed")
        assert "admin-portal-dev" in screen_text(app)
        assert not redeploy_posts(sandbox, "admin-portal-dev")


async def test_a_dialog_opened_while_too_small_is_covered_too(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await stacks_ready(app, pilot)
        await pilot.resize_terminal(58, 16)
        await wait_until(pilot, lambda: notice_shown(app), what="notice")
        answers: list[bool | None] = []
        dialog = ConfirmDialog("Something arrived", ["while you could not see"])
        app.push_screen(dialog, answers.append)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="dialog")
        await wait_until(pilot, lambda: notice_shown(app), what="notice over the new dialog")
        assert "Something arrived" not in screen_text(app)
        await pilot.resize_terminal(100, 30)
        await wait_until(pilot, lambda: "Something arrived" in screen_text(app), what="dialog")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="dialog closed")
        assert answers and not answers[0]
        assert not notice_shown(app)


async def test_other_modes_are_covered_and_restored(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await stacks_ready(app, pilot)
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, JobsScreen), what="jobs")
        await pilot.resize_terminal(40, 12)
        await wait_until(pilot, lambda: notice_shown(app), what="notice on jobs")
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: not notice_shown(app), what="notice gone")
        await pilot.press("1")
        await wait_until(pilot, lambda: isinstance(app.screen, StacksScreen), what="stacks")
        assert not notice_shown(app) and "admin-portal-dev" in screen_text(app)


async def test_q_quits_while_too_small(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(40, 10)) as pilot:
        await stacks_ready(app, pilot)
        await wait_until(pilot, lambda: notice_shown(app), what="notice at start-up")
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
