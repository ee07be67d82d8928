"""Everything about one job: every field the API gave, its next runs in local time, and
the runs started from this machine (time, user@host, arguments, outcome, message).

Pushed from the jobs screen with ``enter``; ``esc`` goes back. ``x`` and ``p`` work here
as on the list (the jobs screen sends and follows the requests, so leaving this screen
never stops one). Every value from the API is sanitised and shown literally.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Key
from textual.widgets import DataTable, Static

from c66tui import cron
from c66tui.api.errors import Cloud66Error
from c66tui.api.models import Job
from c66tui.ops.job_history import JobRun
from c66tui.text import relative_time, sanitize
from c66tui.ui.base import MainScreen
from c66tui.ui.key_reasons import explain_greyed_key
from c66tui.ui.screens.job_runs import JOB_ACTIONS
from c66tui.ui.widgets.job_table import (
    RowContext,
    last_run_at,
    result_label,
    status_label,
    type_label,
)

if TYPE_CHECKING:
    from c66tui.ui.screens.job_runs import JobRuns
    from c66tui.ui.screens.jobs import JobsScreen

SHOWN_FIELDS = frozenset(
    {"uid", "name", "type", "cron", "status", "params", "paused", "created_at", "updated_at"}
    | {"created_at_iso", "updated_at_iso", "last_run_at", "id"}
)
"""Raw fields shown in their own rows; any others are listed under "Other fields"."""

NEXT_RUNS = 3
HISTORY_ROWS = 50


def local_time(moment: datetime | None, ctx: RowContext) -> Text:
    """``2024-05-03 03:00 CEST (in 17h)`` in local time, or ``—``."""
    if moment is None:
        return Text("—", style="dim")
    local = moment.astimezone(ctx.local_tz)
    text = Text(local.strftime("%Y-%m-%d %H:%M %Z").strip())
    text.append(f"  {relative_time(moment, ctx.now)}", style="dim")
    return text


def upcoming(job: Job, ctx: RowContext, count: int = NEXT_RUNS) -> list[datetime]:
    """The next ``count`` scheduled runs (empty when paused, manual or not plain cron)."""
    moments: list[datetime] = []
    after = ctx.now
    while len(moments) < count and job.cron and not job.paused:
        moment = cron.next_run(job.cron, after)
        if moment is None:
            break
        moments.append(moment)
        after = moment
    return moments


def schedule_text(job: Job, ctx: RowContext) -> Text:
    """The cron expression and what it means for the next runs."""
    if not job.cron:
        return Text("none (runs only when started by hand)", style="dim")
    text = Text(sanitize(job.cron), style="bold")
    if job.paused:
        text.append(f"  {ctx.symbol('paused')} paused: no scheduled runs", style="dim")
    elif not cron.is_plain(job.cron):
        text.append("  not a plain cron expression: next runs not computed", style="dim")
    return text


def field_grid(job: Job, ctx: RowContext, last_local: JobRun | None) -> Table:
    """Label/value rows for every field of the job."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")

    def row(label: str, value: Text | str) -> None:
        grid.add_row(label, value if isinstance(value, Text) else Text(sanitize(value)))

    row("Name", Text(sanitize(job.name), style="bold"))
    row("UID", job.uid)
    if "id" in job.raw:
        row("Id", str(job.raw.get("id")))
    row("Type", f"{type_label(job.type)} ({sanitize(job.type) or 'not given'})")
    row("Status", status_label(job, ctx))
    if "paused" in job.raw:
        if job.paused:
            paused = f"{ctx.symbol('paused')} paused"
        else:
            paused = "no (runs on schedule)" if job.cron else "no (no schedule to pause)"
        row("Paused", paused)
    else:
        row("Paused", Text("not reported by Cloud 66", style="dim"))
    row("Schedule", schedule_text(job, ctx))
    for index, moment in enumerate(upcoming(job, ctx)):
        row("Next run" if index == 0 else "", local_time(moment, ctx))
    row("Last run", local_time(last_run_at(job, last_local), ctx))
    if job.params:
        for index, (key, value) in enumerate(job.params.items()):
            row("Params" if index == 0 else "", f"{sanitize(key)} = {sanitize(value)}")
    else:
        row("Params", Text("none", style="dim"))
    row("Created", local_time(job.created_at, ctx))
    row("Updated", local_time(job.updated_at, ctx))
    extras = sorted(k for k in job.raw if k not in SHOWN_FIELDS)
    for index, key in enumerate(extras):
        row("Other fields" if index == 0 else "", f"{sanitize(key)} = {sanitize(job.raw[key])}")
    return grid


class JobDetailScreen(MainScreen):
    """One job of the jobs screen, in full."""

    DEFAULT_CSS = """
    JobDetailScreen > #job-title {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    JobDetailScreen > #job-body {
        height: 1fr;
        padding: 0 1;
    }
    JobDetailScreen #job-fields {
        height: auto;
        margin-bottom: 1;
    }
    JobDetailScreen #job-history-title {
        height: 1;
        text-style: bold;
    }
    JobDetailScreen #job-history {
        height: auto;
        max-height: 14;
    }
    JobDetailScreen #job-history-empty {
        height: auto;
        color: $text-muted;
    }
    """

    AUTO_FOCUS = "#job-body"

    BINDINGS = [
        Binding("escape,backspace", "back", "Back", id="job_detail.back"),
        Binding("x", "run_job", "Run now", id="job_detail.run"),
        Binding("p", "pause_job", "Pause", id="job_detail.pause"),
        Binding("p", "resume_job", "Resume", id="job_detail.resume"),
    ]

    def __init__(self, owner: JobsScreen, job_uid: str) -> None:
        super().__init__()
        self.owner = owner
        """The jobs screen holding the job (it sends and follows requests)."""
        self.job_uid = job_uid

    @property
    def runs(self) -> JobRuns:
        return self.owner.runs

    @property
    def job(self) -> Job | None:
        return self.owner.jobs.get(self.job_uid)

    def compose_body(self) -> ComposeResult:
        yield Static(id="job-title", markup=False)
        with VerticalScroll(id="job-body"):
            yield Static(id="job-fields", markup=False)
            yield Static("Runs from this machine", id="job-history-title", markup=False)
            yield DataTable(id="job-history", cursor_type="row", zebra_stripes=True)
            yield Static(
                "No runs from this machine yet. Press x to run the job now.",
                id="job-history-empty",
                markup=False,
            )

    def on_mount(self) -> None:
        table = self.query_one("#job-history", DataTable)
        table.add_column("Started", key="started")
        table.add_column("By", key="who")
        table.add_column("Arguments", key="args")
        table.add_column("Outcome", key="outcome")
        self.watch(self.owner, "revision", self._show_job, init=False)
        self._show_job()

    def _show_job(self, *_: object) -> None:
        job = self.job
        title = Text(no_wrap=True, overflow="ellipsis")
        stack = self.owner.stack
        if job is None:
            title.append("This job is no longer listed on the stack.")
            self.query_one("#job-title", Static).update(title)
            return
        ctx = self.owner.row_context()
        runs = self.owner.history.runs(job.uid, limit=HISTORY_ROWS)
        title.append("Job ", style="dim")
        title.append(sanitize(job.name), style="bold")
        if stack is not None:
            title.append("  on ", style="dim")
            title.append(sanitize(stack.name))
            if stack.environment:
                env = sanitize(stack.environment)
                title.append(f"  {env.upper() if stack.is_production else env}")
        if self.runs.is_busy(job.uid):
            title.append(f"  {ctx.symbol('running')} a run started from here is being followed")
        self.query_one("#job-title", Static).update(title)
        self.query_one("#job-fields", Static).update(
            field_grid(job, ctx, runs[0] if runs else None)
        )
        self._render_history(runs, ctx)
        self.refresh_bindings()

    def _render_history(self, runs: list[JobRun], ctx: RowContext) -> None:
        table = self.query_one("#job-history", DataTable)
        table.clear()
        for run in runs:
            started = run.started_at.astimezone(ctx.local_tz) if run.started_at else None
            table.add_row(
                Text(started.strftime("%Y-%m-%d %H:%M") if started else "—", no_wrap=True),
                Text(sanitize(run.who), no_wrap=True),
                Text(sanitize(run.args) or "—", no_wrap=True),
                result_label(run, ctx),
                key=run.id,
            )
        table.display = bool(runs)
        self.query_one("#job-history-empty").display = not runs

    # -- actions ------------------------------------------------------------------

    def action_back(self) -> None:
        """Back to the jobs list."""
        self.dismiss()

    def action_run_job(self) -> None:
        self.runs.ask_run(self.job_uid)

    def action_pause_job(self) -> None:
        self.runs.ask_pause(self.job_uid, pause=True)

    def action_resume_job(self) -> None:
        self.runs.ask_pause(self.job_uid, pause=False)

    def action_refresh(self) -> None:
        """``ctrl+r``: read the job again."""
        self._reload()

    @work(exclusive=True, group="job-detail-reload", exit_on_error=False)
    async def _reload(self) -> None:
        stack = self.owner.stack
        if stack is None:
            return
        try:
            fresh = await self.services.read(lambda api: api.get_job(stack.uid, self.job_uid))
        except Cloud66Error as err:
            self.notify(sanitize(err.message), title="Job", severity="error", markup=False)
            return
        self.owner.job_changed(self.job_uid, fresh)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in JOB_ACTIONS:
            return self.runs.action_state(self, action, self.job)
        return True

    def on_key(self, event: Key) -> None:
        """A greyed-out key says why it does nothing (:mod:`c66tui.ui.key_reasons`)."""
        explain_greyed_key(self, event)
