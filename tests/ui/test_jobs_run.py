"""Run now, pause/resume and disabled actions on the jobs screen, against the sandbox."""

from __future__ import annotations

import json

from textual.widgets import Button, Input

from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.dialogs.run_job import RunJobDialog
from c66tui.ui.key_reasons import greyed_reason
from c66tui.ui.screens.job_detail import JobDetailScreen
from tests.ui.test_jobs import (
    HISTORY_STACK,
    MARKUP_STACK,
    cell,
    fast_follow,  # noqa: F401 - autouse fixture
    job_actions,
    move_to,
    notices,
    open_jobs,
    posts,
    runnable_job,
    settle,
    type_fast,
    wait_until,
)
from tests.ui.timing import SLOW_ANSWER_CLIENT, SLOW_ANSWER_DELAY
from tests.waiting import until_idle


def completions(path, entry_id: str) -> list[str]:
    """The outcomes recorded for one journal entry, in the order they were written."""
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [r["outcome"] for r in records if r.get("type") == "complete" and r["id"] == entry_id]


async def start_run(app, pilot, screen, job, args: str | None = None) -> RunJobDialog:
    """Highlight ``job``, press ``x``, optionally type arguments, and confirm with ``y``."""
    await move_to(pilot, screen, job.uid)
    await pilot.press("x")
    await wait_until(pilot, lambda: isinstance(app.screen, RunJobDialog))
    dialog = app.screen
    assert dialog.focused is dialog.query_one("#run-cancel", Button)
    if args is not None:
        await pilot.press("a", *args, "enter")
        assert dialog.focused is dialog.query_one("#run-ok", Button)
    await pilot.press("y")
    await wait_until(pilot, lambda: app.screen is screen)
    return dialog


async def test_run_now_with_arguments_is_sent_once_and_followed(app_factory, sandbox) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = runnable_job(sandbox, HISTORY_STACK)
        await start_run(app, pilot, screen, job, args="--since 2d")
        await wait_until(pilot, lambda: len(posts(sandbox, "/run_now")) == 1)
        await wait_until(pilot, lambda: cell(screen, job.uid, "status") == "… running")
        # A second x while the run is in flight only explains itself.
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(app.screen, RunJobDialog)
        assert any("already in progress" in n for n in notices(app))
        sandbox.sandbox.finish_all()
        await settle(screen)
        await wait_until(pilot, lambda: not screen.runs.is_busy(job.uid))
        await pilot.pause()

        assert len(posts(sandbox, f"/jobs/{job.uid}/run_now")) == 1
        (action,) = job_actions(sandbox, HISTORY_STACK, job.uid)
        assert action.metadata["job_args"] == "--since 2d"
        assert action.finished_success is True
        assert cell(screen, job.uid, "status") == "✓ success"
        assert cell(screen, job.uid, "last") == "just now"
        result = cell(screen, job.uid, "result")
        assert result.startswith("✓ success: Job ")
        assert "--since 2d" in result
        assert any("succeeded" in n and "--since 2d" in n for n in notices(app))

        entry = app.services.journal.entries()[-1]
        assert (entry.kind, entry.outcome) == ("job_run", "ok")
        assert entry.params["args"] == "--since 2d"
        assert entry.params["job_uid"] == job.uid
        (run,) = screen.history.runs(job.uid)
        assert (run.outcome, run.args, run.action_id) == ("ok", "--since 2d", action.id)
        assert "@" in run.who

        # The detail lists the run from here.
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, JobDetailScreen))
        history = app.screen.query_one("#job-history")
        assert history.row_count == 1
        assert history.get_row_at(0)[2].plain == "--since 2d"
        assert history.get_row_at(0)[3].plain.startswith("✓ success")


async def test_run_without_arguments_and_cancel(app_factory, sandbox) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = runnable_job(sandbox, HISTORY_STACK)
        # Cancel (esc) sends nothing; enter on the focused Cancel button neither.
        await move_to(pilot, screen, job.uid)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, RunJobDialog))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, RunJobDialog))
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        assert posts(sandbox, "/run_now") == []
        assert app.services.journal.entries() == []

        await start_run(app, pilot, screen, job)
        await wait_until(pilot, lambda: len(posts(sandbox, "/run_now")) == 1)
        sandbox.sandbox.finish_all()
        await settle(screen)
        (action,) = job_actions(sandbox, HISTORY_STACK, job.uid)
        assert action.metadata["job_args"] is None
        assert screen.history.last_run(job.uid).args == ""
        assert len(posts(sandbox, "/run_now")) == 1


async def test_failed_run_shows_the_server_message(app_factory, sandbox) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, MARKUP_STACK)
        job = runnable_job(sandbox, MARKUP_STACK)
        stack_uid = sandbox.sandbox.find_stack(MARKUP_STACK).uid
        sandbox.sandbox.fail_next("job", stack_uid, "rake aborted! [bold]boom\x1b[2J")
        await start_run(app, pilot, screen, job)
        await wait_until(pilot, lambda: len(posts(sandbox, "/run_now")) == 1)
        sandbox.sandbox.finish_all()
        await settle(screen)
        await pilot.pause()
        assert cell(screen, job.uid, "status") == "✗ failed"
        result = cell(screen, job.uid, "result")
        assert result == "✗ failed: rake aborted! [bold]boom␛[2J"
        failure = [n for n in notices(app) if "failed" in n]
        assert failure and "rake aborted! [bold]boom␛[2J" in failure[-1]
        assert "\x1b" not in failure[-1]
        entry = app.services.journal.entries()[-1]
        assert entry.outcome == "failed"
        assert screen.history.last_run(job.uid).outcome == "failed"
        assert len(posts(sandbox, "/run_now")) == 1


async def test_timeout_after_sending_is_unknown_then_found_and_followed(
    app_factory, sandbox
) -> None:
    app = app_factory(client_kwargs={"timeout": 1.0, "deadline": 3.0})
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = runnable_job(sandbox, HISTORY_STACK)
        # Cloud 66 starts the run, but its answer comes after the client's deadline.
        sandbox.sandbox.inject_fault(path=r"/run_now", method="POST", delay=4.0)
        await start_run(app, pilot, screen, job, args="once")
        await wait_until(pilot, lambda: len(job_actions(sandbox, HISTORY_STACK, job.uid)) == 1)
        (action,) = job_actions(sandbox, HISTORY_STACK, job.uid)
        await wait_until(pilot, lambda: screen.history.last_run(job.uid).action_id == action.id)
        sandbox.sandbox.finish_all()
        await settle(screen)
        await wait_until(pilot, lambda: not screen.runs.is_busy(job.uid))
        await pilot.pause()
        entry = app.services.journal.entries()[-1]
        assert (entry.kind, entry.outcome) == ("job_run", "ok")
        assert "found after the answer was lost" in entry.detail
        # The lost answer was recorded as unknown first (kept had the app stopped then),
        # then the run was found among the stack's actions and followed to its end.
        assert completions(app.services.journal.path, entry.id) == ["unknown", "ok"]
        run = screen.history.last_run(job.uid)
        assert (run.outcome, run.action_id) == ("ok", action.id)
        assert any("succeeded" in n and "not sent again" in n for n in notices(app))
        assert cell(screen, job.uid, "status") == "✓ success"
        await until_idle(pilot, app, sandbox)
        assert len(posts(sandbox, "/run_now")) == 1  # the server got it once, never again


async def test_timeout_with_no_run_found_stays_unknown(app_factory, sandbox) -> None:
    app = app_factory(client_kwargs=SLOW_ANSWER_CLIENT)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = runnable_job(sandbox, HISTORY_STACK)
        # The request never reached the backend: the gateway held it and then gave up.
        sandbox.sandbox.inject_fault(
            path=r"/run_now", method="POST", status=504, delay=SLOW_ANSWER_DELAY, when="before"
        )
        await start_run(app, pilot, screen, job, args="once")
        await settle(screen)
        await wait_until(pilot, lambda: not screen.runs.is_busy(job.uid))
        await pilot.pause()
        entry = app.services.journal.entries()[-1]
        assert (entry.kind, entry.outcome) == ("job_run", "unknown")
        assert "no run of this job since" in entry.detail
        assert screen.history.last_run(job.uid).outcome == "unknown"
        assert cell(screen, job.uid, "result").startswith("? unknown")
        assert any("outcome unknown" in n and "not sent again" in n for n in notices(app))
        assert not job_actions(sandbox, HISTORY_STACK, job.uid)
        await until_idle(pilot, app, sandbox)
        assert len(posts(sandbox, "/run_now")) == 1


async def test_pause_and_resume_with_confirmation(app_factory, sandbox) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = runnable_job(sandbox, HISTORY_STACK)
        await move_to(pilot, screen, job.uid)
        assert screen.active_bindings["p"].binding.description == "Pause"
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen)
        assert posts(sandbox, "/pause") == []

        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: len(posts(sandbox, f"/jobs/{job.uid}/pause")) == 1)
        sandbox.sandbox.finish_all()
        await settle(screen)
        await wait_until(pilot, lambda: cell(screen, job.uid, "next") == "‖ paused")
        assert screen.jobs[job.uid].paused
        assert screen.active_bindings["p"].binding.description == "Resume"
        assert any("paused" in n for n in notices(app))
        paused = app.services.journal.entries()[-1]
        assert (paused.kind, paused.outcome) == ("job_pause", "ok")
        assert paused.params["job_uid"] == job.uid and paused.request_id

        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: len(posts(sandbox, f"/jobs/{job.uid}/unpause")) == 1)
        sandbox.sandbox.finish_all()
        await settle(screen)
        await wait_until(pilot, lambda: not screen.jobs[job.uid].paused)
        assert cell(screen, job.uid, "next") != "‖ paused"
        assert len(posts(sandbox, "/pause")) == 1
        resumed = app.services.journal.entries()[-1]
        assert (resumed.kind, resumed.outcome) == ("job_resume", "ok")
        assert [e.kind for e in app.services.journal.entries()] == ["job_pause", "job_resume"]


async def pause(app, pilot, screen, job) -> None:
    await move_to(pilot, screen, job.uid)
    await pilot.press("p")
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
    await pilot.press("y")
    await wait_until(pilot, lambda: app.screen is screen)


async def test_pause_without_an_answer_is_unknown_then_found(app_factory, sandbox) -> None:
    app = app_factory(client_kwargs=SLOW_ANSWER_CLIENT)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = runnable_job(sandbox, HISTORY_STACK)
        sandbox.sandbox.inject_fault(path=r"/pause$", method="POST", delay=SLOW_ANSWER_DELAY)
        await pause(app, pilot, screen, job)
        name = "job_pause_handler"
        await wait_until(pilot, lambda: job_actions(sandbox, HISTORY_STACK, job.uid, name))
        await wait_until(pilot, lambda: app.services.journal.entries()[-1].outcome is not None)
        sandbox.sandbox.finish_all()
        await settle(screen)
        await wait_until(pilot, lambda: not screen.runs.is_busy(job.uid))
        entry = app.services.journal.entries()[-1]
        assert (entry.kind, entry.outcome) == ("job_pause", "ok")
        assert "found after the answer was lost" in entry.detail
        assert completions(app.services.journal.path, entry.id) == ["unknown", "ok"]
        await wait_until(pilot, lambda: screen.jobs[job.uid].paused)
        await until_idle(pilot, app, sandbox)
        assert len(posts(sandbox, f"/jobs/{job.uid}/pause")) == 1


async def test_pause_refused_by_a_gateway_is_unknown_and_not_resent(app_factory, sandbox) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = runnable_job(sandbox, HISTORY_STACK)
        sandbox.sandbox.inject_fault(path=r"/pause$", method="POST", status=502, when="before")
        await pause(app, pilot, screen, job)
        await settle(screen)
        await wait_until(pilot, lambda: not screen.runs.is_busy(job.uid))
        entry = app.services.journal.entries()[-1]
        assert (entry.kind, entry.outcome) == ("job_pause", "unknown")
        assert "HTTP 502" in entry.detail and "no pause of this job since" in entry.detail
        toast = [n for n in notices(app) if "outcome unknown" in n]
        assert toast and "not sent again" in toast[-1]
        assert not screen.jobs[job.uid].paused
        assert len(posts(sandbox, f"/jobs/{job.uid}/pause")) == 1


async def test_refused_pause_is_journalled_as_failed(app_factory, sandbox) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = runnable_job(sandbox, HISTORY_STACK)
        sandbox.sandbox.inject_fault(path=r"/pause$", method="POST", status=409, when="before")
        await pause(app, pilot, screen, job)
        await settle(screen)
        await wait_until(pilot, lambda: not screen.runs.is_busy(job.uid))
        entry = app.services.journal.entries()[-1]
        assert (entry.kind, entry.outcome) == ("job_pause", "failed")
        assert any("Pause" in n and "failed" in n for n in notices(app))


async def test_read_only_profile_disables_run_and_pause(app_factory, sandbox) -> None:
    app = app_factory(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = runnable_job(sandbox, HISTORY_STACK)
        await move_to(pilot, screen, job.uid)
        run = screen.active_bindings["x"]
        assert run.binding.description == "Run now" and not run.enabled  # greyed, not hidden
        assert not screen.active_bindings["p"].enabled
        # One scheme for greyed-out keys: the reason is the footer tooltip, and a press
        # says "<key>: <reason>."
        assert "read-only" in (greyed_reason(screen, "run_job") or "")
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(app.screen, RunJobDialog)
        assert any(n.startswith("Run now: Not allowed") and "read-only" in n for n in notices(app))
        await pilot.press("p")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert posts(sandbox, "/jobs/") == []
        # Reading still works: the detail opens.
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, JobDetailScreen))
        assert not app.screen.active_bindings["x"].enabled
        before = len(notices(app))
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, JobDetailScreen)
        assert any("read-only" in n for n in notices(app)[before:])


async def test_refused_job_write_disables_job_writes_with_the_reason(app_factory, sandbox) -> None:
    # Run now is public as documented, so a token with only 'public' may try; when Cloud 66
    # refuses with a 403 that names no scope (a role problem), the keys turn off with why.
    app = app_factory(scopes=("public",))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = runnable_job(sandbox, HISTORY_STACK)
        await move_to(pilot, screen, job.uid)
        assert screen.active_bindings["x"].enabled
        sandbox.sandbox.inject_fault(path=r"/run_now", method="POST", status=403, when="before")
        await start_run(app, pilot, screen, job)
        await settle(screen)
        await wait_until(pilot, lambda: not screen.runs.is_busy(job.uid))
        await pilot.pause()
        assert app.services.journal.entries()[-1].outcome == "failed"
        assert screen.history.last_run(job.uid).outcome == "failed"
        assert any("does not allow you" in n for n in notices(app))
        assert not any("'jobs' scope" in n for n in notices(app))
        assert not screen.active_bindings["x"].enabled
        assert not screen.active_bindings["p"].enabled
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(app.screen, RunJobDialog)
        assert any("Not allowed" in n and "refused a job change" in n for n in notices(app))
        assert len(posts(sandbox, "/run_now")) == 1
        assert not job_actions(sandbox, HISTORY_STACK, job.uid)


async def test_a_role_refusal_on_one_stack_leaves_other_stacks_keys_on(app_factory, sandbox):
    app = app_factory(scopes=("public",))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = runnable_job(sandbox, HISTORY_STACK)
        sandbox.sandbox.inject_fault(path=r"/run_now", method="POST", status=403, when="before")
        await start_run(app, pilot, screen, job)
        await settle(screen)
        await wait_until(pilot, lambda: not screen.runs.is_busy(job.uid))
        await pilot.pause()
        assert not screen.active_bindings["x"].enabled
        await pilot.press("s", *"legacy", "enter")
        await wait_until(pilot, lambda: screen.stack.name == MARKUP_STACK)
        await settle(screen)
        await wait_until(pilot, lambda: screen.table.row_count > 0)
        await move_to(pilot, screen, runnable_job(sandbox, MARKUP_STACK).uid)
        assert screen.active_bindings["x"].enabled
        await pilot.press("s", *"shop-back", "enter")
        await wait_until(pilot, lambda: screen.stack.name == HISTORY_STACK)
        await settle(screen)
        await wait_until(pilot, lambda: screen.table.row_count > 0)
        await move_to(pilot, screen, job.uid)
        assert not screen.active_bindings["x"].enabled
        assert len(posts(sandbox, "/run_now")) == 1


async def test_403_naming_a_scope_disables_job_writes_with_that_scope(app_factory, sandbox) -> None:
    app = app_factory(scopes=("public",))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = runnable_job(sandbox, HISTORY_STACK)
        challenge = 'Bearer error="insufficient_scope", scope="jobs"'
        sandbox.sandbox.inject_fault(
            path=r"/run_now",
            method="POST",
            status=403,
            headers={"WWW-Authenticate": challenge},
            when="before",
        )
        await start_run(app, pilot, screen, job)
        await settle(screen)
        await wait_until(pilot, lambda: not screen.runs.is_busy(job.uid))
        await pilot.pause()
        assert any("'jobs' scope" in n for n in notices(app))
        assert not screen.active_bindings["x"].enabled
        await pilot.press("x")
        await pilot.pause()
        assert any("Not allowed" in n and "jobs" in n for n in notices(app))
        assert len(posts(sandbox, "/run_now")) == 1


async def test_arguments_field_takes_y_as_text(app_factory, sandbox) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = runnable_job(sandbox, HISTORY_STACK)
        await move_to(pilot, screen, job.uid)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, RunJobDialog))
        await pilot.press("a", "y", "e", "s")
        dialog = app.screen
        assert dialog.query_one("#run-args", Input).value == "yes"
        assert isinstance(app.screen, RunJobDialog)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert posts(sandbox, "/run_now") == []


async def test_fast_y_after_a_is_an_argument_not_a_confirmation(app_factory, sandbox) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        await move_to(pilot, screen, runnable_job(sandbox, HISTORY_STACK).uid)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, RunJobDialog))
        await type_fast(app, pilot, "ayes")
        assert isinstance(app.screen, RunJobDialog)
        assert app.screen.query_one("#run-args", Input).value == "yes"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert posts(sandbox, "/run_now") == []


async def test_server_error_to_run_now_is_outcome_unknown_not_failed(app_factory, sandbox) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = runnable_job(sandbox, HISTORY_STACK)
        # Nothing ran: a gateway answered 502 for a backend that never saw the request.
        sandbox.sandbox.inject_fault(path=r"/run_now", method="POST", status=502, when="before")
        await start_run(app, pilot, screen, job)
        await settle(screen)
        await wait_until(pilot, lambda: not screen.runs.is_busy(job.uid))
        await pilot.pause()
        entry = app.services.journal.entries()[-1]
        assert (entry.kind, entry.outcome) == ("job_run", "unknown")
        assert "HTTP 502" in entry.detail
        assert screen.history.last_run(job.uid).outcome == "unknown"
        toast = [n for n in notices(app) if "outcome unknown" in n]
        assert toast and "not sent again" in toast[-1] and "try again in a moment" not in toast[-1]
        assert len(posts(sandbox, "/run_now")) == 1
