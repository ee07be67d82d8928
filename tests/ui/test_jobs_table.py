"""Formatting of job rows: words and symbols, schedules, local times, literal text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from c66tui.api.models import Job
from c66tui.ops.job_history import JobRun
from c66tui.ui.widgets.job_table import (
    RowContext,
    RowExtra,
    format_local,
    job_cells,
    last_run_at,
    next_run_label,
    result_label,
    search_text,
    status_label,
    type_label,
)

NOW = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)  # Thursday
CTX = RowContext(now=NOW, local_tz=UTC)


def job(**fields) -> Job:
    data = {"uid": "u1", "name": "nightly", "type": "RakeJob", "cron": "0 3 * * *", "status": 2}
    data.update(fields)
    return Job.from_api(data)


def run(outcome: str, message: str = "", minutes_ago: int = 5) -> JobRun:
    return JobRun(
        id="r1",
        started_at=NOW - timedelta(minutes=minutes_ago),
        who="ops@host",
        profile="default",
        stack_uid="s",
        stack_name="s",
        job_uid="u1",
        job_name="nightly",
        args="",
        outcome=outcome,
        message=message,
    )


def test_status_is_a_symbol_and_a_word() -> None:
    assert status_label(job(status=2), CTX).plain == "✓ success"
    assert status_label(job(status=3), CTX).plain == "✗ failed"
    assert status_label(job(status=1), CTX).plain == "▶ started"
    assert status_label(job(status=0), CTX).plain == "• updated"
    assert status_label(job(status=9), CTX).plain == "? unknown (9)"
    assert status_label(job(), CTX, RowExtra(running=True)).plain == "… running"
    ascii_ctx = RowContext(now=NOW, ascii_only=True)
    assert status_label(job(status=3), ascii_ctx).plain == "x failed"


def test_types_are_short_words() -> None:
    assert type_label("RakeJob") == "rake"
    assert type_label("DockerServiceTaskJob") == "service task"
    assert type_label("FancyJob") == "Fancy"
    assert type_label("") == "—"


def test_next_run_in_local_time() -> None:
    assert next_run_label(job(cron="0 16 * * *"), CTX).plain == "16:00"
    assert next_run_label(job(cron="0 3 * * *"), CTX).plain == "Fri 03:00"
    assert next_run_label(job(cron="0 0 1 1 *"), CTX).plain == "1 Jan 00:00"
    assert next_run_label(job(cron="0 3 * * *", paused=True), CTX).plain == "‖ paused"
    assert next_run_label(job(cron=None), CTX).plain == "manual"
    assert next_run_label(job(cron="0 0 L * *"), CTX).plain == "—"
    plus2 = RowContext(now=NOW, local_tz=timezone(timedelta(hours=2)))
    assert next_run_label(job(cron="0 16 * * *"), plus2).plain == "18:00"


def test_format_local_week_boundary() -> None:
    assert format_local(NOW + timedelta(days=6), CTX) == "Wed 14:30"
    assert format_local(NOW + timedelta(days=7), CTX) == "12 Mar 14:30"


def test_last_run_comes_only_from_runs_this_app_saw() -> None:
    # The API documents no last-run time: a field of that name is not read.
    server = job(last_run_at="2026-03-05T10:00:00Z")
    assert last_run_at(server) is None
    assert last_run_at(server, run("ok")) == NOW - timedelta(minutes=5)
    assert last_run_at(job()) is None


def test_result_label_carries_the_message_literally() -> None:
    text = result_label(run("failed", "boom [b]x[/b] \x1b[2J"), CTX)
    assert text.plain == "✗ failed: boom [b]x[/b] ␛[2J"
    assert result_label(run("ok"), CTX).plain == "✓ success"
    assert result_label(None, CTX).plain == ""


def test_cells_are_literal_and_searchable() -> None:
    nasty = job(name="[red]purge[/red] \x1b]0;x\x07", params={"task": "a\x1bb"})
    cells = job_cells(nasty, CTX)
    assert cells[0].plain == "[red]purge[/red] ␛]0;x␇"
    assert "\x1b" not in "".join(c.plain for c in cells)
    assert "purge" in search_text(nasty) and "rake" in search_text(nasty)
    long = job(name="x" * 60)
    assert len(job_cells(long, CTX)[0].plain) == 28
