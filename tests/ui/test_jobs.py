"""The jobs screen against the loopback sandbox: listing, filtering, stacks, run now."""

from __future__ import annotations

import asyncio
import contextlib
import io

import pytest
from rich.console import Console
from textual.worker import WorkerCancelled, WorkerFailed

from c66tui.ui.screens.job_runs import JobRuns
from c66tui.ui.screens.jobs import JobsScreen
from c66tui.ui.widgets.job_table import JobTable
from tests.ui.burst import type_fast
from tests.ui.notices import notices as shown_notices
from tests.waiting import until as wait_until

HISTORY_STACK = "shop-backend"
MARKUP_STACK = "legacy [bold]api[/bold]"


# -- helpers (also used by the other jobs test modules) ---------------------------------


@pytest.fixture(autouse=True)
def fast_follow(monkeypatch):
    """Look at a running action often: the sandbox clock is moved by the tests."""
    monkeypatch.setattr(JobRuns, "poll_interval", 0.02)
    monkeypatch.setattr(JobRuns, "poll_max", 0.05)


async def settle(screen) -> None:
    """Wait until the workers of ``screen`` (and its pushed detail) have finished."""
    app = screen.app
    for _ in range(200):
        mine = [w for w in app.workers if w.node is screen and not w.is_finished]
        if not mine:
            break
        for worker in mine:
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await worker.wait()
    await asyncio.sleep(0)


async def open_jobs(app, pilot, stack_name: str) -> JobsScreen:
    """Put ``stack_name`` in focus, switch to the jobs screen and wait for its jobs."""
    # Wait for the stacks screen's first load: it reports the stack under its cursor once
    # loaded, which would otherwise override a focus set before that report arrives.
    services = app.services
    await wait_until(
        pilot, lambda: bool(services.known_stacks) and services.focused_stack is not None
    )
    wanted = next(s for s in services.known_stacks if s.name == stack_name)
    await app.go_to_stack(wanted.uid)
    await wait_until(pilot, lambda: services.focused_stack.uid == wanted.uid)
    await pilot.press("2")
    await wait_until(pilot, lambda: isinstance(app.screen, JobsScreen))
    screen = app.screen
    await wait_until(pilot, lambda: screen.stack is not None and screen.stack.name == stack_name)
    await settle(screen)
    await wait_until(pilot, lambda: bool(screen.jobs) and screen.table.row_count > 0)
    await pilot.pause()
    return screen


def seed_jobs(sandbox, stack_name: str):
    world = sandbox.sandbox
    return world.details(world.find_stack(stack_name)).jobs


def posts(sandbox, fragment: str) -> list[dict]:
    return [
        e for e in sandbox.sandbox.request_log if e["method"] == "POST" and fragment in e["path"]
    ]


def job_actions(sandbox, stack_name: str, job_uid: str, name: str = "job_run_now"):
    world = sandbox.sandbox
    actions = world.details(world.find_stack(stack_name)).actions
    return [a for a in actions if a.action == name and a.metadata.get("job_uid") == job_uid]


async def move_to(pilot, screen: JobsScreen, uid: str) -> None:
    table = screen.table
    table.move_cursor(row=table.shown_uids.index(uid))
    await pilot.pause()


def cell(screen: JobsScreen, uid: str, column: str) -> str:
    """The whole text of a job's cell (the table cuts it with … when it is too wide)."""
    value = screen.table.full_cell(uid, column)
    shown = screen.table.get_cell(uid, column) if column in screen.table.shown_columns else None
    if shown is not None and shown.plain != value.plain:
        assert shown.plain.endswith("…") and value.plain.startswith(shown.plain[:-1])
    return value.plain


def notices(app) -> list[str]:
    return shown_notices(app)


def rendered_text(renderable) -> str:
    """Plain text of a Rich renderable as a 110-column terminal would show it."""
    console = Console(width=110, record=True, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.export_text()


def runnable_job(sandbox, stack_name: str):
    return next(j for j in seed_jobs(sandbox, stack_name) if not j.paused)


# -- listing ------------------------------------------------------------------------


async def test_lists_the_jobs_of_the_focused_stack(app_factory, sandbox) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        seeded = seed_jobs(sandbox, HISTORY_STACK)
        assert screen.table.shown_uids == [j.uid for j in seeded]
        assert isinstance(screen.table, JobTable)
        for job in seeded:
            assert cell(screen, job.uid, "schedule") == (job.cron or "—")
            status = cell(screen, job.uid, "status")
            assert status.split()[-1] in {"updated", "success", "failed"}
            assert status.split()[0] in {"•", "✓", "✗"}  # a symbol, not colour alone
            if job.paused:
                assert cell(screen, job.uid, "next") == "‖ paused"
            elif job.cron is None:
                assert cell(screen, job.uid, "next") == "manual"
        markup = next(j for j in seeded if "[red]" in j.name)
        assert cell(screen, markup.uid, "name") == "[red]purge[/red] caches"
        assert "jobs" in str(screen.query_one("#jobs-status").render())
        # The identity bar names the environment the keys would touch.
        assert app.focused_environment == "production"


async def test_escape_sequences_in_names_never_reach_the_terminal(app_factory, sandbox) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, MARKUP_STACK)
        nasty = next(j for j in seed_jobs(sandbox, MARKUP_STACK) if "\x1b" in j.name)
        shown = cell(screen, nasty.uid, "name")
        assert "\x1b" not in shown and "\x07" not in shown
        assert "␛]0;pwned" in shown
        assert "\x1b" not in cell(screen, nasty.uid, "params")
        assert "\x1b" not in app.export_screenshot()
        # The stack chooser shows the markup stack name literally.
        assert MARKUP_STACK in str(screen.chooser.query_one("#stack-chooser-current").render())


async def test_filter_narrows_and_escape_restores(app_factory, sandbox) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        seeded = seed_jobs(sandbox, HISTORY_STACK)
        target = seeded[0]
        await pilot.press("slash")
        await pilot.press(*target.name[:6])
        await pilot.pause()
        expected = [j.uid for j in seeded if target.name[:6].lower() in j.name.lower()]
        assert target.uid in screen.table.shown_uids
        assert set(expected) <= set(screen.table.shown_uids)
        assert len(screen.table.shown_uids) < len(seeded)
        await pilot.press("enter")  # keep the filter, back to the table
        assert screen.table.has_focus
        assert "of" in str(screen.query_one("#jobs-status").render())
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert screen.table.shown_uids == [j.uid for j in seeded]
        # Filtering by status word works as well.
        await pilot.press("slash", *"zzz-no-such-job")
        await pilot.pause()
        assert screen.table.shown_uids == []


async def test_switching_stacks_with_the_chooser(app_factory, sandbox) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        await pilot.press("s")
        assert screen.chooser.is_open
        await pilot.press(*"legacy")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.stack.name == MARKUP_STACK)
        await settle(screen)
        await pilot.pause()
        assert screen.table.shown_uids == [j.uid for j in seed_jobs(sandbox, MARKUP_STACK)]
        assert app.services.focused_stack.name == MARKUP_STACK
        assert screen.table.has_focus
        # Escape in the chooser changes nothing.
        await pilot.press("s", "t", "escape")
        await pilot.pause()
        assert screen.stack.name == MARKUP_STACK


async def test_detail_shows_every_field(app_factory, sandbox) -> None:
    from c66tui.ui.screens.job_detail import JobDetailScreen

    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = next(j for j in seed_jobs(sandbox, HISTORY_STACK) if j.cron and not j.paused)
        await move_to(pilot, screen, job.uid)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, JobDetailScreen))
        detail = app.screen
        await pilot.pause()
        text = rendered_text(detail.query_one("#job-fields").content)
        for expected in (job.uid, job.cron, job.type, "Next run", "Last run", "Created"):
            assert expected in text
        for key, value in job.params.items():
            assert f"{key} = {value}" in text
        assert detail.query_one("#job-history-empty").display
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)


async def test_fast_typing_after_s_or_slash_never_reaches_the_table_keys(
    app_factory, sandbox
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        # "p" and "x" are the pause and run keys of the table: typed right after "s" they
        # belong to the stack filter.
        await type_fast(app, pilot, "sshop-px")
        assert app.screen is screen
        assert screen.chooser.is_open
        assert screen.chooser.query_one("#stack-chooser-input").value == "shop-px"
        await pilot.press("escape")
        await type_fast(app, pilot, "/px")
        assert app.screen is screen
        assert screen.query_one("#jobs-filter").value == "px"


async def test_follows_the_stack_focused_on_the_stacks_screen(app_factory, sandbox) -> None:
    from c66tui.ui.messages import StackFocused

    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        await pilot.press("1")
        await wait_until(pilot, lambda: app.screen is not screen)
        stacks = await app.services.api.list_stacks()
        app.post_message(StackFocused(next(s for s in stacks if s.name == MARKUP_STACK)))
        await wait_until(pilot, lambda: app.services.focused_stack.name == MARKUP_STACK)
        await pilot.press("2")
        await wait_until(pilot, lambda: app.screen is screen and screen.stack.name == MARKUP_STACK)
        await settle(screen)
        await pilot.pause()
        assert screen.table.shown_uids == [j.uid for j in seed_jobs(sandbox, MARKUP_STACK)]
        assert screen.chooser.stack.name == MARKUP_STACK


async def test_refresh_updates_changed_cells_in_place(app_factory, sandbox) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        seeded = seed_jobs(sandbox, HISTORY_STACK)
        last = seeded[-1]
        await move_to(pilot, screen, last.uid)
        last.status = 3
        last.cron = "*/5 * * * *"
        await pilot.press("ctrl+r")
        await settle(screen)
        await pilot.pause()
        assert cell(screen, last.uid, "status") == "✗ failed"
        assert cell(screen, last.uid, "schedule") == "*/5 * * * *"
        assert screen.table.highlighted_uid == last.uid  # the cursor stayed on the row
        assert screen.table.shown_uids == [j.uid for j in seeded]
