"""Benchmark: list thousands of stacks concurrently versus page by page.

Starts a loopback sandbox with 5,000 stacks and 50 ms of latency per request, then lists
every stack twice with the same client: ``list_stacks()`` (page 1, then the remaining
pages concurrently) and a walk of the same pages one at a time (``iter_stack_pages``).
Prints the wall times, their ratio (target: at least 5x) and the request counts (each
must equal the number of pages). Exits non-zero when a target is missed.

Run: ``python tests/benchmarks/bench_pagination.py [--stacks N] [--latency-ms MS]
[--concurrency N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PER_PAGE = 30
TARGET_RATIO = 5.0


async def measure(api_url: str, concurrency: int) -> dict:
    """Time both ways of listing with one client; return the figures."""
    from c66tui.api import Cloud66Client
    from c66tui.sandbox import Sandbox

    async with Cloud66Client(
        api_url, Sandbox.DEMO_TOKEN, max_concurrency=concurrency, deadline=120
    ) as api:
        # Warm up: fetch page 1 once so neither run pays the first TCP handshake alone.
        async for _page in api.iter_stack_pages():
            break
        before = api.request_count
        start = time.perf_counter()
        stacks = await api.list_stacks()
        concurrent_s = time.perf_counter() - start
        concurrent_requests = api.request_count - before

        before = api.request_count
        start = time.perf_counter()
        walked = []
        async for page in api.iter_stack_pages():
            walked.extend(page)
        sequential_s = time.perf_counter() - start
        sequential_requests = api.request_count - before

    same_order = [s.uid for s in stacks] == [s.uid for s in walked]
    return {
        "stacks": len(stacks),
        "walked": len(walked),
        "concurrent_s": concurrent_s,
        "sequential_s": sequential_s,
        "concurrent_requests": concurrent_requests,
        "sequential_requests": sequential_requests,
        "same_order": same_order,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stacks", type=int, default=5000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=6)
    args = parser.parse_args(argv)

    from c66tui.sandbox import SandboxConfig
    from c66tui.sandbox.server import SandboxServer

    config = SandboxConfig(stacks=args.stacks, latency_ms=args.latency_ms, rate_limit=1_000_000)
    with SandboxServer(config=config) as server:
        result = asyncio.run(measure(server.api_url, args.concurrency))

    pages = math.ceil(args.stacks / PER_PAGE)
    ratio = result["sequential_s"] / result["concurrent_s"]
    rows = [
        ("concurrent", result["concurrent_s"], result["concurrent_requests"], result["stacks"]),
        ("one by one", result["sequential_s"], result["sequential_requests"], result["walked"]),
    ]
    print(
        f"Listing {args.stacks} stacks ({pages} pages of {PER_PAGE}), "
        f"{args.latency_ms} ms latency, max_concurrency={args.concurrency}"
    )
    print()
    print(f"{'mode':<12} {'seconds':>9} {'requests':>9} {'stacks':>8}")
    print(f"{'-' * 12} {'-' * 9} {'-' * 9} {'-' * 8}")
    for name, seconds, requests, count in rows:
        print(f"{name:<12} {seconds:>9.2f} {requests:>9} {count:>8}")
    print()
    print(f"speed-up: {ratio:.1f}x (target >= {TARGET_RATIO:.0f}x)")

    problems = []
    if ratio < TARGET_RATIO:
        problems.append(f"speed-up {ratio:.1f}x is below {TARGET_RATIO:.0f}x")
    for name, _seconds, requests, count in rows:
        if requests != pages:
            problems.append(f"{name}: {requests} requests for {pages} pages")
        if count != args.stacks:
            problems.append(f"{name}: {count} stacks instead of {args.stacks}")
    if not result["same_order"]:
        problems.append("the two listings differ in order")
    for problem in problems:
        print(f"FAIL: {problem}")
    if not problems:
        print("OK: request counts equal the page count and both listings match")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
