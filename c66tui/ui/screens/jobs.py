"""The jobs screen (mode ``jobs``, key ``2``): scheduled jobs of one stack.

A stack chooser on top (``s``; defaults to the stack in focus on the stacks screen), the
jobs table below (``/`` filters, ``enter`` opens the detail). ``x`` runs the highlighted job
now after a confirmation (optional arguments); ``p`` pauses or resumes it after a
confirmation. Runs are journalled before they are sent, sent once (a second ``x`` while a
run is in flight only explains why nothing happens) and followed until Cloud 66 says how
they ended; see :mod:`c66tui.ui.screens.job_runs`.

Actions the profile or the token's scopes forbid stay in the footer, greyed out; pressing
their key says why.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Key
from textual.reactive import var
from textual.widgets import DataTable, Static

from c66tui.api.errors import Cloud66Error, MissingScopeError
from c66tui.api.models import Job, Stack
from c66tui.ops import clock
from c66tui.ops.job_history import JobHistory, JobRun
from c66tui.text import sanitize
from c66tui.ui.base import MainScreen
from c66tui.ui.key_reasons import explain_greyed_key
from c66tui.ui.messages import StackFocused
from c66tui.ui.screens.job_detail import JobDetailScreen
from c66tui.ui.screens.job_runs import JOB_ACTIONS, JobRuns
from c66tui.ui.widgets.filter_bar import FilterBar
from c66tui.ui.widgets.job_table import (
    JobTable,
    Palette,
    RowContext,
    RowExtra,
    job_cells,
    result_label,
    search_text,
)
from c66tui.ui.widgets.stack_chooser import StackChooser


class JobsScreen(MainScreen):
    """Jobs of the chosen stack, with run-now and pause/resume."""

    CSS_PATH = "jobs.tcss"
    AUTO_FOCUS = "#jobs-table"

    BINDINGS = [
        Binding("s", "choose_stack", "Stack", id="jobs.stack"),
        Binding("slash", "filter", "Filter", key_display="/", id="jobs.filter"),
        Binding("x", "run_job", "Run now", id="jobs.run"),
        Binding("p", "pause_job", "Pause", id="jobs.pause"),
        Binding("p", "resume_job", "Resume", id="jobs.resume"),
    ]

    revision: var[int] = var(0)
    """Bumped whenever a job, its run state or its local history changes (the detail
    screen watches it)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: Stack | None = None
        """The stack whose jobs are shown."""
        self.jobs: dict[str, Job] = {}
        """Jobs of :attr:`stack`, in API order, by uid."""
        self.history = JobHistory.default()
        """Runs started from this machine (shown in the detail and the last column)."""
        self.runs = JobRuns(self)
        """Sends runs and pause/resume requests and follows them."""
        self._last_local: dict[str, JobRun | None] = {}
        self._stacks_source: object = None
        self._loaded_at = 0.0
        self._load_error = ""
        self._loading = False

    # -- layout -------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield StackChooser(id="jobs-stack")
        yield FilterBar(placeholder="filter jobs (esc clears, enter keeps)", id="jobs-filter")
        yield JobTable(id="jobs-table")
        yield Static(id="jobs-status", markup=False)

    @property
    def table(self) -> JobTable:
        return self.query_one("#jobs-table", JobTable)

    @property
    def chooser(self) -> StackChooser:
        return self.query_one("#jobs-stack", StackChooser)

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._theme_changed, init=False)
        self._sync_stacks()

    def on_screen_resume(self) -> None:
        if not self.is_mounted:
            return
        focused = self.services.focused_stack
        if focused is not None and self.stack is not None and focused.uid != self.stack.uid:
            self._sync_stacks()
            return
        if self.services.known_stacks and self._stacks_source is not self.services.known_stacks:
            self._sync_stacks()
            return
        stale = time.monotonic() - self._loaded_at > self._refresh_seconds()
        if self.stack is not None and stale and not self._loading:
            self.load_jobs()

    def _refresh_seconds(self) -> float:
        value = self.services.preferences.refresh_seconds
        return float(value) if isinstance(value, int | float) and value > 0 else 30.0

    # -- stacks -------------------------------------------------------------------

    def _sync_stacks(self) -> None:
        """Fill the chooser from the stacks screen's list, or fetch the list ourselves."""
        known = list(self.services.known_stacks or [])
        if known:
            self._stacks_source = self.services.known_stacks
            self._use_stacks(known)
        elif self.services.api is None:
            self.chooser.set_status("not logged in")
            self._set_status("Log in to see jobs.")
        else:
            self.load_stacks()

    @work(exclusive=True, group="jobs-stacks", exit_on_error=False)
    async def load_stacks(self) -> None:
        """Fetch the stack list (when the stacks screen has not loaded it)."""
        self.chooser.set_status("loading stacks…")
        try:
            stacks = await self.services.read(lambda api: api.list_stacks())
        except Cloud66Error as err:
            self.chooser.set_status("could not load stacks")
            self._set_status(f"Could not load stacks: {sanitize(err.message)}")
            self.notify(sanitize(err.message), title="Stacks", severity="error", markup=False)
            return
        self._use_stacks(stacks)

    def _use_stacks(self, stacks: list[Stack]) -> None:
        focused = self.services.focused_stack
        wanted = focused.uid if focused is not None else (self.stack.uid if self.stack else None)
        self.chooser.set_stacks(stacks, selected_uid=wanted)
        chosen = self.chooser.stack
        if chosen is None and stacks:
            chosen = stacks[0]
            self.chooser.select(chosen.uid)
        if chosen is None:
            self._set_status("No stacks to show jobs for.")
            return
        if self.stack is None or chosen.uid != self.stack.uid or not self.jobs:
            self._switch_to(chosen)

    def _switch_to(self, stack: Stack) -> None:
        changed = self.stack is None or stack.uid != self.stack.uid
        self.stack = stack
        if changed:
            self.jobs = {}
            self.table.set_rows([])
            self.post_message(StackFocused(stack))
        self.load_jobs()

    @on(StackChooser.Changed, "#jobs-stack")
    def _stack_chosen(self, event: StackChooser.Changed) -> None:
        event.stop()
        self._switch_to(event.stack)

    @on(StackChooser.Closed, "#jobs-stack")
    def _chooser_closed(self, event: StackChooser.Closed) -> None:
        event.stop()
        self.set_focus(self.table)

    # -- jobs ---------------------------------------------------------------------

    @work(exclusive=True, group="jobs-load", exit_on_error=False)
    async def load_jobs(self) -> None:
        """(Re)load the jobs of the chosen stack; rows that did not change stay put."""
        stack = self.stack
        if stack is None or self.services.api is None:
            return
        self._loading = True
        first = not self.jobs
        self.table.loading = first
        if first:
            self._set_status(f"Loading jobs of {sanitize(stack.name)}…")
        try:
            jobs = await self.services.read(lambda api: api.list_jobs(stack.uid))
        except MissingScopeError as err:
            self.services.note_missing_scope(err)
            self._load_failed(stack, err)
            return
        except Cloud66Error as err:
            self._load_failed(stack, err)
            return
        finally:
            self._loading = False
            self.table.loading = False
        if self.stack is None or self.stack.uid != stack.uid:
            return  # the user moved on while we waited
        self._load_error = ""
        self._loaded_at = time.monotonic()
        self.jobs = {job.uid: job for job in jobs}
        with_history = self.history.jobs_with_history()
        self._last_local = {
            uid: self.history.last_run(uid) if uid in with_history else None for uid in self.jobs
        }
        self._render_rows()

    def _load_failed(self, stack: Stack, err: Cloud66Error) -> None:
        if self.stack is None or self.stack.uid != stack.uid:
            return
        self._load_error = f"Could not load jobs: {sanitize(err.message)}"
        self._update_status()
        self.notify(sanitize(err.message), title="Jobs", severity="error", markup=False)

    def action_refresh(self) -> None:
        """``ctrl+r``: reload the jobs (and the stack list when it never loaded)."""
        if self.stack is None:
            self._sync_stacks()
        else:
            self.load_jobs()

    def row_context(self) -> RowContext:
        """Time, zone and look for formatting rows (shared with the detail)."""
        return RowContext(
            now=clock.now(),
            ascii_only=bool(getattr(self.app, "ascii_only", False)),
            palette=Palette.from_theme(getattr(self.app, "current_theme", None)),
        )

    def row_extra(self, uid: str) -> RowExtra:
        """Local knowledge about a job: a run in progress, the last run from here."""
        return RowExtra(running=self.runs.is_busy(uid), last_local=self._last_local.get(uid))

    def _render_rows(self) -> None:
        ctx = self.row_context()
        rows = [
            (uid, job_cells(job, ctx, self.row_extra(uid)), search_text(job))
            for uid, job in self.jobs.items()
        ]
        self.table.set_rows(rows)
        self._changed()

    def job_changed(self, uid: str, job: Job | None = None) -> None:
        """Redraw one job's row after a run, a refresh or a local history change."""
        if job is not None and uid in self.jobs:
            self.jobs[uid] = job
        if uid in self.jobs:
            self._last_local[uid] = self.history.last_run(uid)
            current = self.jobs[uid]
            cells = job_cells(current, self.row_context(), self.row_extra(uid))
            self.table.update_row(uid, cells, search_text(current))
        self._changed()

    def _changed(self) -> None:
        self.revision += 1
        self.refresh_bindings()
        self._update_status()

    def _theme_changed(self, *_: object) -> None:
        self._render_rows()
        self.table.rebuild()

    # -- status line --------------------------------------------------------------

    def _set_status(self, text: str) -> None:
        self.query_one("#jobs-status", Static).update(Text(text))

    def _update_status(self) -> None:
        if self._load_error:
            self._set_status(self._load_error)
            return
        if self.stack is None:
            return
        table = self.table
        text = Text(no_wrap=True, overflow="ellipsis")
        if not self.jobs and not self._loading:
            text.append(f"{sanitize(self.stack.name)} has no scheduled jobs.")
        else:
            shown, total = len(table.shown_uids), table.total
            text.append(f"{total} jobs" if shown == total else f"{shown} of {total} jobs")
            if table.query:
                text.append(f" match “{sanitize(table.query)}”")
        busy = self.runs.busy_count()
        if busy:
            text.append(f" · {busy} in progress")
        uid = table.highlighted_uid
        run = self._last_local.get(uid) if uid else None
        if run is not None:
            text.append(" · from here: ")
            text.append_text(result_label(run, self.row_context()))
        self.query_one("#jobs-status", Static).update(text)

    @on(DataTable.RowHighlighted, "#jobs-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()
        self._update_status()

    # -- filter -------------------------------------------------------------------

    def action_filter(self) -> None:
        """``/``: filter the jobs as you type."""
        bar = self.query_one("#jobs-filter", FilterBar)
        bar.open()
        # Focus at once: letters typed right after "/" must not reach the table's keys.
        self.set_focus(bar)

    @on(FilterBar.FilterChanged, "#jobs-filter")
    def _filter_changed(self, event: FilterBar.FilterChanged) -> None:
        self.table.set_query(event.value)
        self.refresh_bindings()
        self._update_status()

    @on(FilterBar.Closed, "#jobs-filter")
    def _filter_closed(self, event: FilterBar.Closed) -> None:
        self.set_focus(self.table)

    def action_choose_stack(self) -> None:
        """``s``: open the stack chooser (type to filter)."""
        self.chooser.open()

    # -- the highlighted job ------------------------------------------------------

    @property
    def current_job(self) -> Job | None:
        """The job under the cursor."""
        uid = self.table.highlighted_uid
        return self.jobs.get(uid) if uid else None

    def open_detail(self, uid: str) -> None:
        """Push the detail of job ``uid`` (``enter`` on a row)."""
        if uid in self.jobs:
            self.app.push_screen(JobDetailScreen(self, uid))

    @on(DataTable.RowSelected, "#jobs-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.open_detail(event.row_key.value)

    def action_run_job(self) -> None:
        """``x``: run the highlighted job now (after a confirmation)."""
        job = self.current_job
        if job is not None:
            self.runs.ask_run(job.uid)

    def action_pause_job(self) -> None:
        """``p``: pause the highlighted job (after a confirmation)."""
        job = self.current_job
        if job is not None:
            self.runs.ask_pause(job.uid, pause=True)

    def action_resume_job(self) -> None:
        """``p`` on a paused job: resume it (after a confirmation)."""
        job = self.current_job
        if job is not None:
            self.runs.ask_pause(job.uid, pause=False)

    # -- disabled actions ---------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"filter", "choose_stack"}:
            return not self.chooser.is_open
        if action in JOB_ACTIONS:
            return self.runs.action_state(self, action, self.current_job)
        return True

    def on_key(self, event: Key) -> None:
        """A greyed-out key says why it does nothing (the binding itself cannot: it is
        off). Keys typed right behind ``s`` or ``/`` reach the field: the app delivers a
        burst one key at a time (:mod:`c66tui.ui.key_bursts`)."""
        explain_greyed_key(self, event)
