"""Responsiveness: key to screen change while 5,000 stacks load and refresh, and the
requests one refresh sends.

A loopback sandbox (``c66tui sandbox --stacks 5000 --latency-ms 50``) serves the list.
c66tui starts against it with nothing cached, in a pseudo-terminal; from its first frame
``s`` (sort by the next column) is pressed every ``--interval`` seconds while the list
loads (until a second after the last page was asked for). Each key's latency is the time
from writing it to the pseudo-terminal until the status line shows the new sort column
(``sort env``, ``sort status``...). Once it is quiet, ``ctrl+r`` refreshes the list and
the same keys are pressed during the refresh. The baseline is the bare Textual app
(``baseline_app.py``) with the same 5,000 rows already in its table, sorting by its next
column on the same key at the same rate (latency: until its first output after the key).

The sandbox's request log gives the list requests of the first start and of the refresh,
against the page count (167 pages of 30).

Prints JSON lines, one per figure (see ``run.py``), and each key's latency in ms on
standard error. The machine may be shared: the figures are medians and 95th percentiles
over every key pressed. Usage: ``python bench_responsiveness.py [--stacks N]
[--latency-ms MS] [--interval S]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs

from bench_startup import (
    BASELINE,
    DEMO_TOKEN,
    PtyProcess,
    app_env,
    c66tui_argv,
    figure,
    name_matcher,
    sandbox,
)

KEY_TIMEOUT = 3.0
"""A key whose change is not seen within this many seconds counts as this long."""
SORT_LABEL = re.compile(rb"sort (name|env|state|health|activity|account)")
TARGET = "<= 100 ms and <= 2x"


def percentile(values: list[float], share: float) -> float:
    """The ``share`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def press(proc: PtyProcess, key: bytes, changed) -> float:
    """Write ``key`` and return the seconds until ``changed(new_output)`` holds."""
    while select.select([proc.master], [], [], 0)[0]:  # what the last key still drew
        try:
            proc.output += os.read(proc.master, 65536)
        except OSError:
            break
    start = len(proc.output)
    os.write(proc.master, key)
    sent = time.perf_counter()
    deadline = sent + KEY_TIMEOUT
    while not changed(bytes(proc.output[start:])):
        left = deadline - time.perf_counter()
        if left <= 0:
            return KEY_TIMEOUT
        ready, _, _ = select.select([proc.master], [], [], left)
        if ready:
            try:
                proc.output += os.read(proc.master, 65536)
            except OSError:
                return KEY_TIMEOUT
    return time.perf_counter() - sent


def sort_changed(previous: list[bytes]):
    """A predicate: the status line shows a sort column other than the last one seen."""

    def changed(new: bytes) -> bool:
        labels = SORT_LABEL.findall(new)
        if labels and labels[-1] != previous[0]:
            previous[0] = labels[-1]
            return True
        return False

    return changed


def list_pages(box) -> list[int]:
    """The page numbers of the stack-list requests in the sandbox's log."""
    pages = []
    for entry in box.requests():
        if re.search(r"/stacks(\.json)?$", str(entry.get("path", ""))):
            query = parse_qs(str(entry.get("query") or ""))
            pages.append(int((query.get("page") or ["1"])[0]))
    return pages


def keys_while(proc: PtyProcess, box, interval: float, previous: list[bytes], pages: int):
    """Press ``s`` every ``interval`` s until a second after the last page was asked for
    (and at least until every page was); return the latencies."""
    latencies: list[float] = []
    all_asked_at: float | None = None
    while all_asked_at is None or time.perf_counter() - all_asked_at < 1.0:
        began = time.perf_counter()
        latencies.append(press(proc, b"s", sort_changed(previous)))
        if all_asked_at is None and len(set(list_pages(box))) >= pages:
            all_asked_at = time.perf_counter()
        if len(latencies) > 200:
            break
        proc.read(max(0.0, interval - (time.perf_counter() - began)))
    return latencies


def baseline_keys(data: Path, work: Path, seen, count: int, interval: float) -> list[float]:
    """The same key on the bare app with the rows already in its table."""
    proc = PtyProcess([sys.executable, str(BASELINE), str(data)], app_env(work / "base"))
    try:
        proc.wait_for(seen, timeout=120)
        proc.settle(quiet=1.0, limit=30)
        latencies = []
        for _ in range(count):
            began = time.perf_counter()
            latencies.append(press(proc, b"s", lambda new: len(new) > 0))
            proc.read(max(0.0, interval - (time.perf_counter() - began)))
        return latencies
    finally:
        proc.close()


def measure(count: int, latency_ms: int, interval: float, work: Path) -> list[dict]:
    """Every figure of the benchmark (see the module docstring)."""
    with sandbox("--stacks", str(count), "--latency-ms", str(latency_ms), logdir=work) as box:
        stacks = box.stacks()
        data = work / "stacks.json"
        data.write_text(json.dumps(stacks))
        pages = -(-len(stacks) // 30)
        box.clear_requests()
        proc = PtyProcess(
            [*c66tui_argv(), "--api-url", box.api_url],
            app_env(work / "app", CLOUD66_TOKEN=DEMO_TOKEN),
        )
        try:
            proc.wait_for(lambda out: SORT_LABEL.search(out) is not None, timeout=120)
            previous = [SORT_LABEL.findall(bytes(proc.output))[-1]]
            first_load = keys_while(proc, box, interval, previous, pages)
            proc.wait_for(name_matcher(stacks), timeout=120)
            proc.settle(quiet=2.0, limit=60)
            first_requests = len(list_pages(box))
            box.clear_requests()
            os.write(proc.master, b"\x12")  # ctrl+r
            refresh = keys_while(proc, box, interval, previous, pages)
            proc.settle(quiet=2.0, limit=60)
            refresh_requests = len(list_pages(box))
        finally:
            proc.close()
        base = baseline_keys(data, work, name_matcher(stacks), len(first_load), interval)
    ms = 1000.0
    for phase, values in (("first load", first_load), ("refresh", refresh), ("baseline", base)):
        print(phase, " ".join(f"{v * ms:.0f}" for v in values), file=sys.stderr)
    base_median, base_p95 = statistics.median(base) * ms, percentile(base, 0.95) * ms
    label = f"{len(stacks):,} stacks at {latency_ms} ms"
    rows = []
    for phase, values in (("first load", first_load), ("refresh", refresh)):
        median, p95 = statistics.median(values) * ms, percentile(values, 0.95) * ms
        keys = f"{len(values)} keys"
        rows.append(
            figure(
                f"key to screen, {phase} of {label}, median ({keys})",
                median,
                "ms",
                base_median,
                TARGET,
            )
        )
        rows.append(
            figure(f"key to screen, {phase} of {label}, p95 ({keys})", p95, "ms", base_p95, TARGET)
        )
    rows.append(
        figure(
            f"list requests, first start of {label} (baseline: pages)",
            first_requests,
            "req",
            pages,
            "1.00x",
        )
    )
    rows.append(
        figure(
            f"list requests, one refresh of {label} (baseline: pages)",
            refresh_requests,
            "req",
            pages,
            "1.00x",
        )
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the responsiveness benchmark and print one JSON line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stacks", type=int, default=5000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--interval", type=float, default=0.15, help="seconds between keys")
    parser.add_argument("--quick", action="store_true", help="accepted; the run is short")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="c66bench-") as tmp:
        for row in measure(args.stacks, args.latency_ms, args.interval, Path(tmp)):
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
