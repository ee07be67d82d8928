"""Polling: API requests the stacks screen really makes over an hour, time-compressed.

The real app (in this process, headless at 120x40) watches a loopback sandbox with 50
stacks, nothing deploying, for one hour of *app time*, compressed ``--speed`` times (30 by
default: the hour takes two minutes). Everything the poll plan reads is scaled by the
same factor, so the plan itself is unchanged: the list interval (30 s -> 1 s), the idle
pause (10 min -> 20 s) and the API's hourly rate limit (the sandbox grants ``3,600 x
speed`` requests per real hour, which is 3,600 per compressed hour). The requests are
counted in the sandbox's request log. Two hours are run one after the other:

* **someone at the keyboard**: the idle pause never comes (as if a key were pressed
  every few minutes); the list refreshes at its interval all hour;
* **nobody at the keyboard**: no key is pressed after start-up, so the list pauses after
  ten (compressed) minutes.

Each figure is the count against the rate limit the API announced in the same run
(target: under 30 %). Compression makes each refresh's own duration (a few tens of ms on
loopback) weigh ``speed`` times more in the poll period, so the counts err low by that
share (printed as a note).

Prints JSON lines, one per figure (see ``run.py``). ``--quick`` compresses 60 times.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench_stacks import build_app, figure, wait  # noqa: E402

from c66tui.ops.polling import IDLE_AFTER  # noqa: E402

STACKS = 50
NORMAL_SECONDS = 30.0
"""The default list interval (``preferences.refresh_seconds``)."""
HOUR = 3600.0
LIMIT = 3600
"""The API's documented hourly limit, per compressed hour."""


async def one_hour(speed: float, someone_at_keyboard: bool) -> dict:
    """Run the app for one compressed hour; return the requests it made and what it saw."""
    from c66tui.sandbox import SandboxConfig
    from c66tui.sandbox.server import SandboxServer
    from c66tui.ui.screens.stacks import StacksScreen

    config = SandboxConfig(seed=66, stacks=STACKS, rate_limit=int(LIMIT * speed))
    with (
        tempfile.TemporaryDirectory(prefix="c66bench-") as tmp,
        SandboxServer(config=config) as server,
    ):
        server.sandbox.finish_all()  # nothing deploying: only the list is polled
        app = build_app(server, Path(tmp))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait(pilot, lambda: isinstance(app.screen, StacksScreen))
            screen = app.screen
            started = time.perf_counter()
            requests_before = len(server.sandbox.request_log)
            scheduler = screen.scheduler
            scheduler.normal_seconds = NORMAL_SECONDS / speed
            scheduler.idle_after = float("inf") if someone_at_keyboard else IDLE_AFTER / speed
            screen.schedule_polls()
            await wait(pilot, lambda: screen.loaded and not screen.refreshing)
            durations: list[float] = []
            paused_at = None
            end = started + HOUR / speed
            refreshing_since = None
            while (now := time.perf_counter()) < end:
                if screen.refreshing and refreshing_since is None:
                    refreshing_since = now
                elif not screen.refreshing and refreshing_since is not None:
                    durations.append(now - refreshing_since)
                    refreshing_since = None
                if paused_at is None and screen.plan is not None and screen.plan.mode == "idle":
                    paused_at = (now - started) * speed
                await pilot.pause(0.01)
            log = server.sandbox.request_log[requests_before:]
            limit = app.services.api.rate_limit.limit
    return {
        "requests": len(log),
        "list_requests": sum(1 for entry in log if entry["path"].rstrip("/").endswith("/stacks")),
        "limit_per_hour": (limit or 0) / speed,
        "paused_after": paused_at,
        "refresh_seconds": statistics.median(durations) if durations else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    """Run both compressed hours and print one JSON line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=30.0, help="time compression factor")
    parser.add_argument("--quick", action="store_true", help="compress 60 times")
    args = parser.parse_args(argv)
    speed = 60.0 if args.quick else args.speed
    active = asyncio.run(one_hour(speed, someone_at_keyboard=True))
    idle = asyncio.run(one_hour(speed, someone_at_keyboard=False))
    label = f"{STACKS} stacks, 1 h compressed {speed:g}x"
    rows = [
        figure(
            f"polling, {label}, someone at the keyboard: requests in the hour"
            " (baseline: the API's hourly limit)",
            active["requests"],
            "req",
            round(active["limit_per_hour"]),
            "< 0.30x",
        ),
        figure(
            f"polling, {label}, no key pressed: requests in the hour"
            " (baseline: the API's hourly limit)",
            idle["requests"],
            "req",
            round(idle["limit_per_hour"]),
            "< 0.30x",
        ),
    ]
    for row in rows:
        print(json.dumps(row), flush=True)
    paused = idle["paused_after"]
    print(
        "no key pressed: list refresh paused after "
        + (f"{paused / 60:.1f} min of app time" if paused is not None else "never (!)")
        + f"; list requests {idle['list_requests']} of {idle['requests']}"
    )
    share = active["refresh_seconds"] * speed / NORMAL_SECONDS
    print(
        f"one refresh took {active['refresh_seconds'] * 1000:.0f} ms (median), "
        f"{share:.0%} of the compressed {NORMAL_SECONDS / speed:g} s interval: "
        "the counts err low by about that share"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
