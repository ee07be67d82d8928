"""Idle: bytes written to the terminal and CPU time while nothing changes.

c66tui (against a loopback sandbox whose pending work has been finished) and the bare
Textual baseline (``baseline_app.py``: the same header, table and footer) run side by side
in pseudo-terminals. Once both have shown their stacks and gone quiet, the benchmark
counts, over the same window of ``--seconds`` (60 by default, 10 with ``--quick``): the
bytes each wrote, the CPU time each used (utime + stime from /proc) and the API requests
c66tui made (from the sandbox's request log).

"No bytes beyond what polling must show" is made checkable with a model of the terminal
screen (:class:`tests.terminal_screen.Screen`): every write (from one cursor move to the
next) is applied to it, and a write that leaves every cell it touches as it was (same
character, same attributes) changed nothing a user could see. The figure is the bytes
written against the bytes of the writes that did change the screen, with the cursor
placement that ends each update (target 1.00x: every byte changes something). What the
changing writes were (the identity bar's API budget counter, a "last activity" cell that
aged) is printed as a note.

Prints JSON lines, one per figure (see ``bench_startup``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench_startup import (  # noqa: E402
    BASELINE,
    DEMO_TOKEN,
    SIZE,
    PtyProcess,
    app_env,
    c66tui_argv,
    figure,
    name_matcher,
    sandbox,
)

from tests.terminal_screen import Screen, Write  # noqa: E402

RATE_LIMIT = 3600
"""The sandbox's hourly rate limit (Cloud 66's documented one)."""
CPU_TARGET = 0.01
"""Idle CPU target: at most 1 % of one CPU."""


def measure(seconds: float, work: Path) -> tuple[list[dict], list[str]]:
    """Run both programs, let them settle, then watch them for ``seconds``."""
    with sandbox(logdir=work) as box:
        box.post("/_sandbox/finish")
        stacks = box.stacks()
        data = work / "stacks.json"
        data.write_text(json.dumps(stacks))
        seen = name_matcher(stacks)
        base = PtyProcess([sys.executable, str(BASELINE), str(data)], app_env(work / "base"))
        app = PtyProcess(
            [*c66tui_argv(), "--api-url", box.api_url],
            app_env(work / "app", CLOUD66_TOKEN=DEMO_TOKEN),
        )
        try:
            base.wait_for(seen, timeout=60)
            app.wait_for(seen, timeout=60)
            for proc in (base, app):
                proc.settle(quiet=2.0, limit=20)
            requests_before = box.request_count()
            cpu_before = {id(p): p.cpu_seconds() for p in (base, app)}
            start = {id(p): len(p.output) for p in (base, app)}
            end = time.perf_counter() + seconds
            while (left := end - time.perf_counter()) > 0:
                for proc in (base, app):
                    proc.read(min(0.1, max(left, 0) / 2))
            cpu = {id(p): p.cpu_seconds() - cpu_before[id(p)] for p in (base, app)}
            requests = box.request_count() - requests_before
        finally:
            app.close()
            base.close()
    written = {id(p): len(p.output) - start[id(p)] for p in (base, app)}
    screen = Screen(*SIZE)
    screen.feed(bytes(app.output[: start[id(app)]]))
    writes = screen.feed(bytes(app.output[start[id(app)] :]))
    idle = [w for w in writes if w.wasted]
    needed = written[id(app)] - sum(w.size for w in idle)
    window = f"{seconds:g} s"
    rows = [
        figure(
            f"idle {window}: bytes written (baseline: the bytes that changed the screen)",
            written[id(app)],
            "B",
            needed,
            "1.00x",
        ),
        figure(
            f"idle {window}: bytes of writes that changed nothing on screen",
            sum(w.size for w in idle),
            "B",
            None,
            "0 B",
        ),
        figure(
            f"idle {window}: bytes written, bare Textual app (same widgets, no polling)",
            written[id(base)],
            "B",
            None,
            "",
        ),
        figure(
            f"idle {window}: CPU time (baseline: bare Textual app)",
            cpu[id(app)],
            "s",
            cpu[id(base)],
            f"<= {CPU_TARGET * seconds:g} s (1% of a CPU)",
        ),
        figure(
            f"idle {window}: API requests (baseline: the rate limit for {window})",
            requests,
            "req",
            RATE_LIMIT * seconds / 3600,
            "< 0.30x",
        ),
    ]
    return rows, [describe(writes, screen)]


def describe(writes: list[Write], screen: Screen) -> str:
    """Which rows the writes touched, with their bytes, and what those rows show now."""
    by_row: dict[int, list[Write]] = {}
    for write in writes:
        if write.chars:
            by_row.setdefault(write.row, []).append(write)
    parts = []
    for row, group in sorted(by_row.items()):
        text = "".join(screen.cells.get((row, col), (" ", ""))[0] for col in range(screen.width))
        unchanged = sum(1 for w in group if w.wasted)
        parts.append(
            f"row {row + 1}: {len(group)} writes, {sum(w.size for w in group):,} B"
            f" ({unchanged} changed nothing), now {' '.join(text.split())[:60]!r}"
        )
    return "c66tui's writes: " + ("; ".join(parts) if parts else "none")


def main(argv: list[str] | None = None) -> int:
    """Run the idle benchmark and print one JSON line per figure, then a note."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--quick", action="store_true", help="a 10 second window")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="c66bench-") as tmp:
        rows, notes = measure(10.0 if args.quick else args.seconds, Path(tmp))
    for row in rows:
        print(json.dumps(row), flush=True)
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
