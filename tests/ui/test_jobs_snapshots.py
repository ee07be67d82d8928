"""Screenshots of the jobs screen, run dialog and job detail at 80x24 and 120x40.

The sandbox runs in-process with its clock pinned (no real time flows) and the UI clock is
frozen at the same instant, in UTC, so relative times and next runs are stable.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from types import SimpleNamespace

import httpx
import pytest

from c66tui.ui.dialogs.run_job import RunJobDialog
from c66tui.ui.screens.job_detail import JobDetailScreen
from tests.ui.test_jobs import (
    HISTORY_STACK,
    MARKUP_STACK,
    fast_follow,  # noqa: F401 - autouse fixture
    move_to,
    open_jobs,
    settle,
    wait_until,
)

FROZEN = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)  # a Thursday


@pytest.fixture
def sandbox(monkeypatch):
    """An in-process sandbox world with a pinned clock (replaces the loopback one)."""
    from c66tui.sandbox import Sandbox, SandboxConfig, create_app

    world = Sandbox(SandboxConfig(seed=66, start_time=FROZEN, realtime=False))
    monkeypatch.setenv("C66TUI_FROZEN_NOW", FROZEN.isoformat())
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr("c66tui.ops.job_history.local_identity", lambda: "ops@jumphost")
    yield SimpleNamespace(
        api_url="https://sandbox.c66.test/api/3",
        sandbox=world,
        transport=httpx.ASGITransport(app=create_app(sandbox=world)),
    )
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def jobs_app(app_factory, sandbox):
    def build(**kwargs):
        return app_factory(client_kwargs={"transport": sandbox.transport}, **kwargs)

    return build


async def _open(pilot, stack_name: str):
    app = pilot.app
    screen = await open_jobs(app, pilot, stack_name)
    # The remaining-requests counter depends on how the stacks screen loaded; pin it.
    app.services.on_rate_limit = None
    app.services.api.on_rate_limit = None
    app.note_rate_limit = lambda rate: None  # the stacks screen's poller reports it too
    app.rate_text = "API 3580/3600"
    await pilot.pause()
    return screen


def _runnable(sandbox, stack_name: str):
    world = sandbox.sandbox
    return next(j for j in world.details(world.find_stack(stack_name)).jobs if not j.paused)


async def _run_job(pilot, sandbox, stack_name: str, args: str, *, fail: str | None = None):
    app = pilot.app
    screen = await _open(pilot, stack_name)
    job = _runnable(sandbox, stack_name)
    if fail:
        sandbox.sandbox.fail_next("job", sandbox.sandbox.find_stack(stack_name).uid, fail)
    await move_to(pilot, screen, job.uid)
    await pilot.press("x")
    await wait_until(pilot, lambda: isinstance(app.screen, RunJobDialog))
    await pilot.press("a", *args, "enter", "y")
    await wait_until(pilot, lambda: app.screen is screen)
    await wait_until(pilot, lambda: screen.runs.is_busy(job.uid))
    await wait_until(  # the run is in the sandbox's world before it is finished there
        pilot,
        lambda: any(
            e["method"] == "POST" and e["path"].endswith(f"/jobs/{job.uid}/run_now")
            for e in sandbox.sandbox.request_log
        ),
    )
    sandbox.sandbox.finish_all()
    await settle(screen)
    await wait_until(pilot, lambda: not screen.runs.is_busy(job.uid))
    await pilot.pause()
    return screen, job


def test_jobs_list_80x24(snap_compare, jobs_app):
    async def run_before(pilot):
        await _open(pilot, HISTORY_STACK)

    assert snap_compare(jobs_app(), terminal_size=(80, 24), run_before=run_before)


def test_jobs_list_markup_stack_120x40(snap_compare, jobs_app):
    async def run_before(pilot):
        await _open(pilot, MARKUP_STACK)

    assert snap_compare(jobs_app(), terminal_size=(120, 40), run_before=run_before)


def test_stack_chooser_open_80x24(snap_compare, jobs_app):
    async def run_before(pilot):
        await _open(pilot, HISTORY_STACK)
        await pilot.press("s", *"shop")
        await pilot.pause()

    assert snap_compare(jobs_app(), terminal_size=(80, 24), run_before=run_before)


def test_run_dialog_80x24(snap_compare, jobs_app, sandbox):
    async def run_before(pilot):
        screen = await _open(pilot, HISTORY_STACK)
        await move_to(pilot, screen, _runnable(sandbox, HISTORY_STACK).uid)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, RunJobDialog))
        await pilot.press("a", *"--since 2d")
        await pilot.pause()

    assert snap_compare(jobs_app(), terminal_size=(80, 24), run_before=run_before)


def test_after_failed_run_120x40(snap_compare, jobs_app, sandbox):
    async def run_before(pilot):
        await _run_job(pilot, sandbox, HISTORY_STACK, "--verbose", fail="rake aborted! [b]x[/b]")

    assert snap_compare(jobs_app(), terminal_size=(120, 40), run_before=run_before)


def test_detail_after_run_80x24(snap_compare, jobs_app, sandbox):
    async def run_before(pilot):
        await _run_job(pilot, sandbox, HISTORY_STACK, "--since 2d")
        pilot.app.clear_notifications()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, JobDetailScreen))
        await pilot.pause()

    assert snap_compare(jobs_app(), terminal_size=(80, 24), run_before=run_before)


def test_detail_120x40(snap_compare, jobs_app, sandbox):
    async def run_before(pilot):
        await _run_job(pilot, sandbox, MARKUP_STACK, "weekly")
        pilot.app.clear_notifications()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, JobDetailScreen))
        await pilot.pause()

    assert snap_compare(jobs_app(), terminal_size=(120, 40), run_before=run_before)


def test_read_only_footer_80x24(snap_compare, jobs_app):
    async def run_before(pilot):
        await _open(pilot, MARKUP_STACK)

    assert snap_compare(jobs_app(read_only=True), terminal_size=(80, 24), run_before=run_before)


def test_jobs_list_60x18(snap_compare, jobs_app):
    async def run_before(pilot):
        await _open(pilot, HISTORY_STACK)

    assert snap_compare(jobs_app(), terminal_size=(60, 18), run_before=run_before)
