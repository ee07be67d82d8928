"""Network: a full list of 5,000 stacks, concurrent pages against walking them one by one.

A loopback sandbox (in this process, real socket) serves 5,000 stacks with 50 ms of
latency per request. Measured, each against the same pages walked one at a time
(``iter_stack_pages``) with the same client in the same run:

1. ``Cloud66Client.list_stacks()`` (page 1, then the remaining pages concurrently):
   wall time (target: at least 5x faster, so at most 0.20x) and requests (target: exactly
   the number of pages, as the walk makes);
2. a full refresh of the running app's stack list: the stacks screen of the real app
   (headless, 120x40), loaded with the 5,000 stacks, refreshes through its own path
   (``StacksScreen.refresh_stacks``: the app's client, the list applied to the table in
   place); wall time from the call until the list is applied, and requests, against the
   same walk. The bytes that refresh would write to the terminal are counted too.

Requests are counted in the sandbox's request log. Prints JSON lines, one per figure
(see ``run.py``), then notes (``MISSED:`` for a target missed). Exits non-zero when a
request or stack count is wrong or the two listings differ.

Run: ``python tests/benchmarks/bench_pagination.py [--stacks N] [--latency-ms MS]
[--concurrency N] [--quick]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PER_PAGE = 30
TARGET_RATIO = 5.0


async def client_listing(server, concurrency: int) -> dict:
    """Time both ways of listing with one client; return the figures."""
    from c66tui.api import Cloud66Client
    from c66tui.sandbox import Sandbox

    log = server.sandbox
    async with Cloud66Client(
        server.api_url, Sandbox.DEMO_TOKEN, max_concurrency=concurrency, deadline=120
    ) as api:
        # Warm up: fetch page 1 once so neither run pays the first TCP handshake alone.
        async for _page in api.iter_stack_pages():
            break
        before = log.log_count
        start = time.perf_counter()
        stacks = await api.list_stacks()
        concurrent_s = time.perf_counter() - start
        concurrent_requests = log.log_count - before

        before = log.log_count
        start = time.perf_counter()
        walked = []
        async for page in api.iter_stack_pages():
            walked.extend(page)
        sequential_s = time.perf_counter() - start
        sequential_requests = log.log_count - before

    return {
        "stacks": len(stacks),
        "walked": len(walked),
        "concurrent_s": concurrent_s,
        "sequential_s": sequential_s,
        "concurrent_requests": concurrent_requests,
        "sequential_requests": sequential_requests,
        "same_order": [s.uid for s in stacks] == [s.uid for s in walked],
    }


async def app_refresh(server, repeats: int) -> dict:
    """Full refreshes of the real stacks screen, once it shows every stack."""
    from bench_stacks import ByteCounter, build_app, wait

    from c66tui.ui.screens.stacks import StacksScreen

    log = server.sandbox
    with tempfile.TemporaryDirectory(prefix="c66bench-") as tmp:
        app = build_app(server, Path(tmp))
        counter = ByteCounter(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait(pilot, lambda: isinstance(app.screen, StacksScreen), timeout=60)
            screen = app.screen
            await wait(pilot, lambda: screen.loaded and not screen.refreshing, timeout=120)
            await pilot.pause(0.5)
            times, requests, written, rows = [], [], [], {}
            for _ in range(repeats):
                before = log.log_count
                counter.start()
                start = time.perf_counter()
                await screen.refresh_stacks().wait()
                times.append(time.perf_counter() - start)
                requests.append(log.log_count - before)
                await pilot.pause(0.3)
                count, rows = counter.stop()
                written.append(count)
            shown = screen.table.row_count
            concurrency = app.services.api.max_concurrency
    return {
        "seconds": statistics.median(times),
        "requests": requests,
        "bytes": statistics.median(written),
        "rows": rows,
        "shown": shown,
        "concurrency": concurrency,
    }


def figure(name: str, value, unit: str, baseline, target: str) -> dict:
    """One row of the results table (ratio = value / baseline)."""
    return {
        "figure": name,
        "value": round(value, 4) if isinstance(value, float) else value,
        "unit": unit,
        "baseline": round(baseline, 4) if isinstance(baseline, float) else baseline,
        "ratio": round(value / baseline, 3) if baseline else None,
        "target": target,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stacks", type=int, default=5000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--quick", action="store_true", help="one app refresh instead of three")
    args = parser.parse_args(argv)

    from c66tui.sandbox import SandboxConfig
    from c66tui.sandbox.server import SandboxServer

    config = SandboxConfig(stacks=args.stacks, latency_ms=args.latency_ms, rate_limit=1_000_000)
    with SandboxServer(config=config) as server:
        server.sandbox.finish_all()  # the refreshes find nothing new
        listing = asyncio.run(client_listing(server, args.concurrency))
        refresh = asyncio.run(app_refresh(server, 1 if args.quick else 3))

    pages = math.ceil(args.stacks / PER_PAGE)
    walk_s, walk_requests = listing["sequential_s"], listing["sequential_requests"]
    n = f"{args.stacks:,}"
    goal = f"<= {1 / TARGET_RATIO:.2f}x (>= {TARGET_RATIO:g}x faster)"
    rows = [
        figure(
            f"network: list {n} stacks, wall time (baseline: pages one by one)",
            listing["concurrent_s"],
            "s",
            walk_s,
            goal,
        ),
        figure(
            f"network: list {n} stacks, requests (baseline: pages one by one)",
            listing["concurrent_requests"],
            "req",
            walk_requests,
            f"1.00x, both {pages} (the pages)",
        ),
        figure(
            f"network: app full refresh of {n} stacks, wall time (baseline: one by one)",
            refresh["seconds"],
            "s",
            walk_s,
            goal,
        ),
        figure(
            f"network: app full refresh of {n} stacks, requests (baseline: one by one)",
            max(refresh["requests"]),
            "req",
            walk_requests,
            f"1.00x, both {pages} (the pages)",
        ),
    ]
    for row in rows:
        print(json.dumps(row), flush=True)
    print(
        f"{n} stacks, {pages} pages of {PER_PAGE}, {args.latency_ms} ms latency; client "
        f"max_concurrency={args.concurrency}, app's client {refresh['concurrency']}; "
        f"one by one {walk_s:.2f} s, {walk_requests} requests"
    )
    speedup = walk_s / listing["concurrent_s"]
    app_speedup = walk_s / refresh["seconds"]
    print(
        f"list_stacks() is {speedup:.1f}x faster than one by one, the app's refresh "
        f"{app_speedup:.1f}x (target: at least {TARGET_RATIO:g}x)"
    )
    print(
        f"the app's refresh finds nothing new and writes {refresh['bytes']:,.0f} B (headless "
        f"rendering); terminal rows written (row: times) {dict(sorted(refresh['rows'].items()))}"
        " (row 1: the identity bar with the API budget counter, repainted as answers arrive)"
    )

    for name, value in (("list_stacks()", speedup), ("app refresh", app_speedup)):
        if value < TARGET_RATIO:
            print(f"MISSED: {name} speed-up {value:.1f}x is below {TARGET_RATIO:g}x")
    problems = []
    counts = [
        ("concurrent", listing["concurrent_requests"]),
        ("one by one", walk_requests),
        *(("app refresh", r) for r in refresh["requests"]),
    ]
    for name, requests in counts:
        if requests != pages:
            problems.append(f"{name}: {requests} requests for {pages} pages")
    for name, count in (
        ("concurrent", listing["stacks"]),
        ("one by one", listing["walked"]),
        ("app", refresh["shown"]),
    ):
        if count != args.stacks:
            problems.append(f"{name}: {count} stacks instead of {args.stacks}")
    if not listing["same_order"]:
        problems.append("the two listings differ in order")
    for problem in problems:
        print(f"FAIL: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
