"""Snapshots of the stacks list, stack detail, redeploy confirmation and deploy watch at
80x24 and 120x40, against a sandbox whose clock does not move and a frozen UI clock."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.widgets import Input

from c66tui.sandbox import SandboxConfig
from c66tui.sandbox.seed import DEPLOYING_STACK, HISTORY_STACK
from c66tui.ui.dialogs.deploy_queue import DeployQueueDialog
from c66tui.ui.dialogs.redeploy import RedeployDialog
from c66tui.ui.screens.stack_detail import StackDetailScreen
from tests.ui.test_stacks_support import put_cursor, settle, stacks_ready, wait_until

FROZEN = "2025-03-03T09:30:00+00:00"
SIZES = [(80, 24), (120, 40)]


@pytest.fixture(scope="module")
def frozen_server():
    from c66tui.sandbox.server import SandboxServer

    config = SandboxConfig(seed=66, start_time=datetime.fromisoformat(FROZEN), realtime=False)
    with SandboxServer(config=config) as server:
        yield server


@pytest.fixture
def sandbox(frozen_server):
    """This module's sandbox: a world whose clock only moves when told to."""
    frozen_server.sandbox.reset()
    yield frozen_server
    frozen_server.sandbox.reset()


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setenv("C66TUI_FROZEN_NOW", FROZEN)


async def steady(pilot):
    """Load the list, stop background polls and pin what varies between runs."""
    app = pilot.app
    screen = await stacks_ready(app, pilot)
    await settle(pilot, screen)
    # No background poll may land while the picture is taken.
    screen.schedule_polls = lambda: None
    screen.stop_polls()
    app.api_host = "sandbox.test"
    app.rate_text = "API 3590/3600"
    await pilot.pause()
    return screen


def uid(sandbox, name):
    return sandbox.sandbox.find_stack(name).uid


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_stack_list(snap_compare, app_factory, sandbox, size):
    app = app_factory()

    async def run_before(pilot):
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_stack_list_filtered_with_favourite_and_marks(snap_compare, app_factory, sandbox, size):
    app = app_factory(preferences={"favourites": [uid(sandbox, HISTORY_STACK)]})

    async def run_before(pilot):
        screen = await steady(pilot)
        await pilot.press("slash", *"shop", "enter", "space")
        await pilot.pause()
        assert screen.table.marks

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_stack_detail(snap_compare, app_factory, sandbox, size):
    app = app_factory()

    async def run_before(pilot):
        screen = await steady(pilot)
        await put_cursor(pilot, screen, uid(sandbox, HISTORY_STACK))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, StackDetailScreen))
        detail = pilot.app.screen
        await wait_until(pilot, lambda: detail.loaded)
        await settle(pilot, detail)
        pilot.app.rate_text = "API 3590/3600"  # concurrent reads answer in any order
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_redeploy_confirmation_production(snap_compare, app_factory, sandbox, size):
    app = app_factory()

    async def run_before(pilot):
        screen = await steady(pilot)
        await put_cursor(pilot, screen, uid(sandbox, HISTORY_STACK))
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, RedeployDialog))
        dialog = pilot.app.screen
        dialog.query_one("#redeploy-typed", Input).focus()
        await pilot.press(*"shop-back")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_deploy_queue_plan(snap_compare, app_factory, sandbox, size):
    app = app_factory()

    async def run_before(pilot):
        screen = await steady(pilot)
        for name in (HISTORY_STACK, DEPLOYING_STACK):
            await put_cursor(pilot, screen, uid(sandbox, name))
            await pilot.press("space")
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, DeployQueueDialog))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_deploy_watch(snap_compare, app_factory, sandbox, size):
    app = app_factory()

    async def run_before(pilot):
        screen = await steady(pilot)
        target = uid(sandbox, DEPLOYING_STACK)
        await put_cursor(pilot, screen, target)
        await pilot.press("w")
        await wait_until(pilot, lambda: screen.book.get(target).deployment_id is not None)
        await settle(pilot, screen)
        pilot.app.rate_text = "API 3590/3600"
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
