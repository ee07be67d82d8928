"""Jobs table: 10,000 jobs shown by c66tui's table against a bare Textual ``DataTable``.

Both run headless in this process at 120x40. c66tui's side is the whole path the jobs
screen takes: models from API dicts, every cell formatted (status word and symbol, next
run from the cron expression in local time, relative last run, sanitised text) and the
table filled with uid row keys. The baseline is a ``DataTable`` given the same visible
text as plain strings. Both are timed until the first frame after filling; then one filter
keystroke (narrow to the jobs matching ``db``) and its repaint is timed on each side.

Prints JSON lines, one per figure (see ``run.py``). ``--quick`` uses fewer repeats.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from c66tui.api.models import Job  # noqa: E402
from c66tui.ui.widgets.job_table import (  # noqa: E402
    COLUMNS,
    JobTable,
    RowContext,
    job_cells,
    search_text,
)

COUNT = 10_000
NOW = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
TEMPLATES = [
    ("nightly_cleanup", "RakeJob", "0 3 * * *", {"task": "cleanup:all"}),
    ("db_migrate", "RakeJob", None, {"task": "db:migrate"}),
    ("send_digests", "RakeJob", "30 7 * * 1-5", {"task": "mailer:digests"}),
    ("rotate_logs", "DockerHostTaskJob", "01 00 1 * *", {"command": "logrotate -f /etc/lr"}),
    ("disk_report", "DockerHostTaskJob", "*/15 * * * *", {"command": "df -h"}),
    ("reindex_search", "DockerServiceTaskJob", "0 */6 * * *", {"service": "web"}),
    ("[red]purge[/red] caches", "RakeJob", "0 4 * * 0", {"task": "cache:purge"}),
    ("report \x1b]0;x\x07weekly", "DockerHostTaskJob", "0 6 1 1 *", {"command": "echo"}),
]


def api_jobs(count: int) -> list[dict]:
    """``count`` job dicts shaped like the API's (and the sandbox's) answers."""
    jobs = []
    for n in range(count):
        name, jtype, cron, params = TEMPLATES[n % len(TEMPLATES)]
        jobs.append(
            {
                "id": n,
                "uid": f"{n:032x}",
                "name": f"{name}_{n}",
                "type": jtype,
                "cron": cron,
                "status": n % 4,
                "params": dict(params),
                "paused": n % 9 == 0,
                "last_run_at": f"2026-03-0{1 + n % 4}T0{n % 10}:00:00Z",
                "created_at": "2024-02-01 13:37:07 UTC",
                "updated_at": "2026-03-01 03:00:41 UTC",
            }
        )
    return jobs


class Bench(App):
    """Holds one table; ``fill`` is timed from the call to the next frame."""

    def __init__(self, table: DataTable) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


async def frame(pilot) -> None:
    """Let the app lay out and paint once."""
    await pilot.pause()
    await pilot.pause()


async def time_c66tui(raw: list[dict]) -> tuple[float, float]:
    table = JobTable()
    app = Bench(table)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        jobs = [Job.from_api(item) for item in raw]
        ctx = RowContext(now=NOW)
        table.set_rows([(j.uid, job_cells(j, ctx), search_text(j)) for j in jobs])
        await frame(pilot)
        fill = time.perf_counter() - started
        started = time.perf_counter()
        table.set_query("db")
        await frame(pilot)
        keystroke = time.perf_counter() - started
        assert 0 < table.row_count < len(raw)
    return fill, keystroke


def plain_rows(raw: list[dict]) -> list[tuple[str, list[str]]]:
    """The text c66tui shows, as plain strings (prepared outside the baseline's timing)."""
    ctx = RowContext(now=NOW)
    rows = []
    for item in raw:
        job = Job.from_api(item)
        rows.append((job.uid, [cell.plain for cell in job_cells(job, ctx)]))
    return rows


async def time_baseline(rows: list[tuple[str, list[str]]]) -> tuple[float, float]:
    table = DataTable(cursor_type="row", zebra_stripes=True)
    app = Bench(table)
    async with app.run_test(size=(120, 40)) as pilot:
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        await pilot.pause()
        started = time.perf_counter()
        for key, cells in rows:
            table.add_row(*cells, key=key)
        await frame(pilot)
        fill = time.perf_counter() - started
        started = time.perf_counter()
        table.clear()
        for key, cells in rows:
            if "db" in cells[0].lower() or "db" in cells[6].lower():
                table.add_row(*cells, key=key)
        await frame(pilot)
        keystroke = time.perf_counter() - started
    return fill, keystroke


def figure(name: str, value: float, baseline: float, target: str) -> dict:
    return {
        "figure": name,
        "value": round(value, 4),
        "unit": "s",
        "baseline": round(baseline, 4),
        "ratio": round(value / baseline, 2) if baseline else None,
        "target": target,
    }


async def main(repeats: int, count: int) -> list[dict]:
    raw = api_jobs(count)
    rows = plain_rows(raw)
    ours_fill, ours_key, base_fill, base_key = [], [], [], []
    for _ in range(repeats):  # alternate so background load hits both sides alike
        fill, key = await time_baseline(rows)
        base_fill.append(fill)
        base_key.append(key)
        fill, key = await time_c66tui(raw)
        ours_fill.append(fill)
        ours_key.append(key)
    med = statistics.median
    return [
        figure(f"jobs table: {count:,} jobs filled", med(ours_fill), med(base_fill), "<= 1.5x"),
        figure("jobs table: filter keystroke", med(ours_key), med(base_key), "<= 1.5x"),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one repeat instead of three")
    parser.add_argument("--count", type=int, default=COUNT)
    args = parser.parse_args()
    for row in asyncio.run(main(1 if args.quick else 3, args.count)):
        print(json.dumps(row))
