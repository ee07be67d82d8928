"""How a job looks in a row: its cells, symbols, words and times.

Plain functions (:func:`job_cells`, :func:`status_label`, ...) that the jobs table and the
job detail share. Every API string is sanitised and wrapped in ``rich.text.Text`` so a
job called ``[red]purge[/red]`` is shown literally. State is always a word plus a symbol;
colour, taken from the current theme, only repeats it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from rich.style import Style
from rich.text import Text

from c66tui import cron
from c66tui.api.models import Job
from c66tui.ops.job_history import JobRun
from c66tui.text import relative_time, sanitize

NAME_WIDTH = 28
PARAMS_WIDTH = 40
RESULT_WIDTH = 48

SYMBOLS = {
    "success": "✓",
    "ok": "✓",
    "failed": "✗",
    "started": "▶",
    "running": "…",
    "updated": "•",
    "unknown": "?",
    "paused": "‖",
}
ASCII_SYMBOLS = {
    "success": "+",
    "ok": "+",
    "failed": "x",
    "started": ">",
    "running": "~",
    "updated": "*",
    "unknown": "?",
    "paused": "=",
}

TYPE_NAMES = {
    "RakeJob": "rake",
    "DockerHostTaskJob": "host task",
    "DockerServiceTaskJob": "service task",
    "ShellJob": "shell",
    "BackupJob": "backup",
}


@dataclass(frozen=True)
class Palette:
    """Rich styles derived from the current theme (colour only repeats the words)."""

    good: Style = field(default_factory=Style)
    bad: Style = field(default_factory=lambda: Style(bold=True))
    busy: Style = field(default_factory=Style)
    muted: Style = field(default_factory=lambda: Style(dim=True))

    @classmethod
    def from_theme(cls, theme: object | None) -> Palette:
        """Styles from a Textual ``Theme`` (``None`` gives colourless styles)."""
        if theme is None:
            return cls()

        def colour(name: str) -> str | None:
            value = getattr(theme, name, None)
            return value if isinstance(value, str) and value.startswith("#") else None

        return cls(
            good=Style(color=colour("success")),
            bad=Style(color=colour("error"), bold=True),
            busy=Style(color=colour("warning")),
            muted=Style(dim=True),
        )


@dataclass(frozen=True)
class RowContext:
    """What formatting a row needs besides the job: the time, the zone, the look."""

    now: datetime
    local_tz: tzinfo | None = None
    ascii_only: bool = False
    palette: Palette = field(default_factory=Palette)

    def symbol(self, word: str) -> str:
        table = ASCII_SYMBOLS if self.ascii_only else SYMBOLS
        return table.get(word, table["unknown"])


@dataclass(frozen=True)
class RowExtra:
    """Local knowledge about a job: a run being sent or followed, the last run from here."""

    running: bool = False
    last_local: JobRun | None = None


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def type_label(job_type: str) -> str:
    """``RakeJob`` -> ``rake``; unknown types lose their ``Job`` suffix."""
    if job_type in TYPE_NAMES:
        return TYPE_NAMES[job_type]
    name = sanitize(job_type)
    if name.endswith("Job") and len(name) > 3:
        name = name[:-3]
    return name or "—"


def last_run_at(job: Job, local: JobRun | None = None) -> datetime | None:
    """When the job last ran, as far as this app knows: its latest run from here (the
    API documents no last-run time for a job)."""
    return local.started_at if local is not None else None


def status_word(job: Job, extra: RowExtra | None = None) -> str:
    """``running`` while we follow a run, else the server's status name."""
    if extra is not None and extra.running:
        return "running"
    return job.status_name


def status_label(job: Job, ctx: RowContext, extra: RowExtra | None = None) -> Text:
    """Symbol and word for the job's state, e.g. ``✓ success``."""
    word = status_word(job, extra)
    key = word if word in SYMBOLS else "unknown"
    style = {
        "success": ctx.palette.good,
        "failed": ctx.palette.bad,
        "started": ctx.palette.busy,
        "running": ctx.palette.busy,
    }.get(key, Style())
    return Text(f"{ctx.symbol(key)} {sanitize(word)}", style=style, no_wrap=True)


def format_local(moment: datetime, ctx: RowContext) -> str:
    """A future time in local time: ``14:30`` today, ``Fri 03:00`` this week, else a date."""
    local = moment.astimezone(ctx.local_tz)
    today = ctx.now.astimezone(ctx.local_tz).date()
    if local.date() == today:
        return local.strftime("%H:%M")
    if local.date() - today < timedelta(days=7):
        return local.strftime("%a %H:%M")
    return local.strftime("%d %b %H:%M").lstrip("0")


def next_run(job: Job, ctx: RowContext) -> datetime | None:
    """The next scheduled run (``None`` for paused, manual or non-plain schedules)."""
    if job.paused or not job.cron:
        return None
    return cron.next_run(job.cron, ctx.now)


def next_run_label(job: Job, ctx: RowContext) -> Text:
    """``Fri 03:00`` (local), ``‖ paused``, ``manual`` or ``—`` for schedules we cannot read."""
    if job.paused:
        return Text(f"{ctx.symbol('paused')} paused", style=ctx.palette.busy, no_wrap=True)
    if not job.cron:
        return Text("manual", style=ctx.palette.muted)
    moment = next_run(job, ctx)
    if moment is None:
        return Text("—", style=ctx.palette.muted)
    return Text(format_local(moment, ctx), no_wrap=True)


def result_label(run: JobRun | None, ctx: RowContext) -> Text:
    """The last run from this machine: symbol, word and the server's message."""
    if run is None:
        return Text("")
    text = Text(no_wrap=True, overflow="ellipsis")
    word = {"ok": "success"}.get(run.outcome, run.outcome)
    style = {"ok": ctx.palette.good, "failed": ctx.palette.bad, "running": ctx.palette.busy}
    text.append(f"{ctx.symbol(run.outcome)} {word}", style=style.get(run.outcome, Style()))
    if run.message:
        text.append(": ")
        text.append(_clip(sanitize(run.message), RESULT_WIDTH))
    return text


def job_cells(job: Job, ctx: RowContext, extra: RowExtra | None = None) -> tuple[Text, ...]:
    """The row of one job, in :data:`COLUMNS` order."""
    extra = extra or RowExtra()
    schedule = Text(sanitize(job.cron), no_wrap=True) if job.cron else Text("—", style="dim")
    return (
        Text(_clip(sanitize(job.name), NAME_WIDTH), no_wrap=True),
        status_label(job, ctx, extra),
        schedule,
        next_run_label(job, ctx),
        Text(relative_time(last_run_at(job, extra.last_local), ctx.now), no_wrap=True),
        Text(type_label(job.type), no_wrap=True),
        Text(_clip(sanitize(job.params_text), PARAMS_WIDTH), no_wrap=True),
        result_label(extra.last_local, ctx),
    )


def search_text(job: Job) -> str:
    """What the ``/`` filter matches against: name, type, schedule, status, params."""
    return " ".join(
        (job.name, job.type, type_label(job.type), job.cron, job.status_name, job.params_text)
    ).lower()
