"""Stacks list: 5,000 stacks populated, sorted and filtered; a no-change refresh; the 30 s tick.

1. **Populate**: 5,000 stacks shown by c66tui's ``StackTable`` (models from API dicts,
   every cell formatted with words and symbols, sanitised, uid row keys) against a bare
   Textual ``DataTable`` given the same visible text as plain strings; timed from the call
   to the first frame after filling, headless at 120x40.
2. **Sort**: all 5,000 rows sorted by status (``s``: worst first, then name) and
   repainted, against the bare ``DataTable``'s own ``sort`` of its status column.
3. **Filter keystroke**: the list narrowed to the stacks matching ``shop`` and repainted,
   against the baseline clearing and re-adding the matching rows.
4. **No-change refresh**: the real stacks screen against a loopback sandbox with 50
   stacks (nothing deploying) polls once more. Counted: cells updated, API requests (from
   the sandbox's log) and the bytes Textual would write to the terminal (the compositor's
   updates rendered to escape sequences), split into the stack list area and the rest;
   against a naive refresh (clear the ``DataTable`` and add the same rows again).
5. **The 30 s tick with aged times**: the screen's tick after the clock moved on by three
   hours, so some "last activity" cells change; bytes written against the stock
   ``DataTable.update_cell`` of one cell (which repaints the whole table).

The pseudo-terminal view of the same polling over 60 s is ``bench_idle.py``; requests per
hour over a (time-compressed) hour are ``bench_polling.py``.

Prints JSON lines, one per figure (see ``run.py``), then a table of ratios on stderr.
``--quick`` uses one repeat instead of three.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from c66tui.api.models import Stack  # noqa: E402
from c66tui.ops.polling import list_cost  # noqa: E402
from c66tui.ui.widgets.stack_table import COLUMNS, StackTable  # noqa: E402

COUNT = 5_000
SIZE = (120, 40)
NOW = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
QUERY = "shop"
SORT_COLUMN = "status"
ROW = re.compile(r"\x1b\[(\d+);\d+H")


def api_stacks(count: int) -> list[dict]:
    """``count`` stack dicts shaped like the sandbox's answers (built by its seed code)."""
    from c66tui.sandbox import Sandbox, SandboxConfig

    world = Sandbox(SandboxConfig(seed=66, stacks=count, start_time=NOW, realtime=False))
    return [record.to_api(with_hook=False) for record in world.ordered_stacks()]


class Bench(App):
    """Holds one table."""

    def __init__(self, table: DataTable) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


async def frame(pilot) -> None:
    """Let the app lay out and paint once."""
    await pilot.pause()
    await pilot.pause()


async def time_c66tui(raw: list[dict]) -> tuple[float, float, float, int]:
    table = StackTable(now=lambda: NOW)
    app = Bench(table)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        table.set_stacks([Stack.from_api(item) for item in raw])
        await frame(pilot)
        fill = time.perf_counter() - started
        first = table.visible_uids[0]
        started = time.perf_counter()
        table.set_sort(SORT_COLUMN)
        await frame(pilot)
        sort = time.perf_counter() - started
        assert table.visible_uids[0] != first and table.row_count == len(raw)
        table.set_sort("name")  # back to the order the filter figure starts from
        await frame(pilot)
        started = time.perf_counter()
        table.set_filter(QUERY)
        await frame(pilot)
        keystroke = time.perf_counter() - started
        shown = table.row_count
        assert 0 < shown < len(raw)
    return fill, sort, keystroke, shown


def plain_rows(raw: list[dict]) -> list[tuple[str, list[str], str]]:
    """The text c66tui shows, as plain strings, with the filter's search text."""
    table = StackTable(now=lambda: NOW)
    table._styles = {}
    rows = []
    for item in raw:
        stack = Stack.from_api(item)
        cells = table.render_cells(stack, NOW)
        search = f"{stack.name}\n{stack.environment}\n{stack.status_name}".lower()
        rows.append((stack.uid, [cells[c.key].plain for c in COLUMNS], search))
    return rows


async def time_baseline(rows) -> tuple[float, float, float, int]:
    table = DataTable(cursor_type="row")
    app = Bench(table)
    async with app.run_test(size=SIZE) as pilot:
        for spec in COLUMNS:
            table.add_column(spec.label, key=spec.key)
        await pilot.pause()
        started = time.perf_counter()
        for key, cells, _search in rows:
            table.add_row(*cells, key=key)
        await frame(pilot)
        fill = time.perf_counter() - started
        started = time.perf_counter()
        table.sort(SORT_COLUMN)
        await frame(pilot)
        sort = time.perf_counter() - started
        table.sort("name")
        await frame(pilot)
        started = time.perf_counter()
        table.clear()
        for key, cells, search in rows:
            if QUERY in search:
                table.add_row(*cells, key=key)
        await frame(pilot)
        keystroke = time.perf_counter() - started
        shown = table.row_count
    return fill, sort, keystroke, shown


# -- the no-change refresh -----------------------------------------------------------------


class ByteCounter:
    """Renders every compositor update the app would send, and counts the bytes per row."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.bytes = 0
        self.rows: dict[int, int] = {}
        self.counting = False
        original = app._display

        def display(screen, renderable) -> None:
            if self.counting and renderable is not None:
                text = renderable.render_segments(app.console)
                self.bytes += len(text.encode("utf-8"))
                for part in ROW.split(text)[1::2]:
                    row = int(part)
                    self.rows[row] = self.rows.get(row, 0) + 1
            original(screen, renderable)

        app._display = display

    def start(self) -> None:
        self.bytes = 0
        self.rows = {}
        self.counting = True

    def stop(self) -> tuple[int, dict[int, int]]:
        self.counting = False
        return self.bytes, dict(self.rows)


def build_app(server, tmp: Path):
    """A logged-in c66tui against ``server``, with private directories under ``tmp``."""
    for name in ("config", "cache", "state"):
        os.environ[f"C66TUI_{name.upper()}_DIR"] = str(tmp / name)
    from c66tui.api import Cloud66Client
    from c66tui.api.secret import Secret
    from c66tui.config import ConfigStore, Profile, Settings
    from c66tui.ui.app import make_app

    store = ConfigStore(tmp / "config")

    def setup(config) -> None:
        config.profiles["default"] = Profile(
            name="default",
            api_url=server.api_url,
            scopes=("public", "redeploy", "jobs", "admin", "users"),
        )
        config.active_profile = "default"

    config = store.update(setup)
    token = Secret(server.sandbox.mint_token(["public", "redeploy", "jobs", "admin", "users"]))
    settings = Settings(
        store=store,
        config=config,
        profile=config.profiles["default"],
        token=token,
        token_source="file",
        read_only=False,
    )
    return make_app(settings, api_factory=lambda url, secret: Cloud66Client(url, secret))


async def wait(pilot, predicate, timeout: float = 30.0) -> None:
    end = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > end:
            raise TimeoutError("benchmark app did not get there")
        await pilot.pause(0.02)


async def no_change_refresh(stacks: int) -> dict:
    """One background refresh of an unchanged list, in the real stacks screen."""
    from c66tui.sandbox import SandboxConfig
    from c66tui.sandbox.server import SandboxServer
    from c66tui.ui.screens.stacks import StacksScreen

    with (
        tempfile.TemporaryDirectory(prefix="c66bench-") as tmp,
        SandboxServer(config=SandboxConfig(seed=66, stacks=stacks)) as server,
    ):
        server.sandbox.finish_all()  # nothing deploying: a quiet list
        app = build_app(server, Path(tmp))
        counter = ByteCounter(app)
        async with app.run_test(size=SIZE) as pilot:
            await wait(pilot, lambda: isinstance(app.screen, StacksScreen) and app.screen.loaded)
            screen = app.screen
            await wait(pilot, lambda: not screen.refreshing)
            await pilot.pause(0.5)
            table_top = screen.table.region.y + 1  # terminal rows are 1-based
            table_rows = range(table_top, table_top + screen.table.region.height)
            cells_before = screen.table.cells_updated
            requests_before = len(server.sandbox.request_log)
            counter.start()
            screen.refresh_stacks()
            await pilot.pause()
            await wait(pilot, lambda: not screen.refreshing)
            await pilot.pause(0.3)
            written, rows = counter.stop()
            requests = len(server.sandbox.request_log) - requests_before
            cells = screen.table.cells_updated - cells_before
            table_lines = sum(count for row, count in rows.items() if row in table_rows)
            tick = await aged_tick(pilot, screen, counter, table_rows)
            raw = [record.to_api(with_hook=False) for record in server.sandbox.ordered_stacks()]
    baseline = await naive_refresh_bytes(raw)
    return {
        "cells": cells,
        "requests": requests,
        "pages": list_cost(stacks),
        "bytes": written,
        "rows": sorted(rows),
        "table_row_updates": table_lines,
        "baseline_bytes": baseline,
        **tick,
    }


async def aged_tick(pilot, screen, counter: ByteCounter, table_rows: range) -> dict:
    """The screen's 30 s tick after three hours passed, against one stock ``update_cell``."""
    table = screen.table
    later = datetime.now(UTC) + timedelta(hours=3)
    table._now = lambda: later
    before = table.cells_updated
    counter.start()
    screen._tick()
    await pilot.pause(0.3)
    written, rows = counter.stop()
    aged = table.cells_updated - before
    uid = table.visible_uids[0]
    counter.start()  # what DataTable.update_cell costs for one cell (same value)
    DataTable.update_cell(table, uid, "activity", table.get_cell(uid, "activity"))
    await pilot.pause(0.3)
    stock, _rows = counter.stop()
    return {
        "tick_cells": aged,
        "tick_bytes": written,
        "tick_table_lines": sum(n for row, n in rows.items() if row in table_rows),
        "stock_update_bytes": stock,
    }


class NaiveApp(App):
    """A bare table refreshed the naive way: clear it and add the same rows again."""

    def __init__(self, raw: list[dict]) -> None:
        super().__init__()
        self.raw = raw

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")

    def fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for item in self.raw:
            table.add_row(
                item["name"],
                item["environment"],
                str(item["status"]),
                str(item["health"]),
                key=item["uid"],
            )

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Name", "Env", "Status", "Health")
        self.fill()


async def naive_refresh_bytes(raw: list[dict]) -> int:
    app = NaiveApp(raw)
    counter = ByteCounter(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        counter.start()
        app.fill()
        await pilot.pause(0.3)
        written, _rows = counter.stop()
    return written


# -- output --------------------------------------------------------------------------------


def figure(name, value, unit, baseline=None, target="", ratio=None) -> dict:
    if ratio is None and baseline:
        ratio = value / baseline
    return {
        "figure": name,
        "value": round(value, 4) if isinstance(value, float) else value,
        "unit": unit,
        "baseline": round(baseline, 4) if isinstance(baseline, float) else baseline,
        "ratio": round(ratio, 3) if ratio is not None else None,
        "target": target,
    }


async def main(repeats: int, count: int) -> list[dict]:
    raw = api_stacks(count)
    rows = plain_rows(raw)
    ours_fill, ours_sort, ours_key, base_fill, base_sort, base_key = [], [], [], [], [], []
    for _ in range(repeats):  # alternate so background load hits both sides alike
        fill, sort, key, base_shown = await time_baseline(rows)
        base_fill.append(fill)
        base_sort.append(sort)
        base_key.append(key)
        fill, sort, key, shown = await time_c66tui(raw)
        ours_fill.append(fill)
        ours_sort.append(sort)
        ours_key.append(key)
        assert shown == base_shown, (shown, base_shown)
    med = statistics.median
    quiet = await no_change_refresh(50)
    print(f"no-change refresh repainted terminal rows {quiet['rows']} (row 1: identity bar)")
    return [
        figure(
            f"stacks: {count:,} stacks populated", med(ours_fill), "s", med(base_fill), "<= 1.5x"
        ),
        figure(
            f"stacks: {count:,} stacks sorted by {SORT_COLUMN}",
            med(ours_sort),
            "s",
            med(base_sort),
            "<= 1.5x",
        ),
        figure(
            f"stacks: filter keystroke ({shown:,} of {count:,} left)",
            med(ours_key),
            "s",
            med(base_key),
            "<= 1.5x",
        ),
        figure("no-change refresh (50 stacks): cells updated", quiet["cells"], "cells", None, "0"),
        figure(
            "no-change refresh: stack list lines repainted",
            quiet["table_row_updates"],
            "lines",
            None,
            "0",
        ),
        figure(
            "no-change refresh: bytes written, whole screen",
            quiet["bytes"],
            "B",
            quiet["baseline_bytes"],
            "API budget counter only",
        ),
        figure(
            "no-change refresh: API requests (baseline: pages of the list)",
            quiet["requests"],
            "req",
            quiet["pages"],
            "1.00x (1 per page)",
        ),
        figure(
            f"30 s tick, times aged 3 h: bytes for {quiet['tick_cells']} changed cells"
            " (baseline: DataTable.update_cell of 1 cell)",
            quiet["tick_bytes"],
            "B",
            quiet["stock_update_bytes"],
            "changed lines only",
        ),
        figure(
            "30 s tick, times aged 3 h: stack list lines repainted (baseline: cells changed)",
            quiet["tick_table_lines"],
            "lines",
            quiet["tick_cells"],
            "<= 1.00x (1 per changed cell)",
        ),
    ]


def print_table(rows: list[dict]) -> None:
    header = ("Figure", "c66tui", "Baseline", "Ratio", "Target")
    lines = [
        (
            r["figure"],
            f"{r['value']} {r['unit']}",
            "-" if r["baseline"] is None else f"{r['baseline']} {r['unit']}",
            "-" if r["ratio"] is None else f"{r['ratio']:.2f}x",
            r["target"],
        )
        for r in rows
    ]
    widths = [max(len(str(x[i])) for x in (header, *lines)) for i in range(5)]
    for line in (header, *lines):
        print(
            "  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)), file=sys.stderr
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repeat instead of three")
    parser.add_argument("--count", type=int, default=COUNT)
    args = parser.parse_args()
    results = asyncio.run(main(1 if args.quick else 3, args.count))
    for row in results:
        print(json.dumps(row))
    print_table(results)
