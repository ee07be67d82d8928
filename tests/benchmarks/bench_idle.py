"""Idle: bytes written to the terminal and CPU time while nothing changes.

c66tui (against a loopback sandbox whose pending work has been finished) and the bare
Textual baseline run side by side in pseudo-terminals. Once both have shown their stacks
and gone quiet, the benchmark counts, over the same window of ``--seconds`` (60 by
default, 10 with ``--quick``): the bytes each wrote, the CPU time each used (utime + stime
from /proc), and the API requests c66tui made (from the sandbox's request log).

Prints JSON lines, one per figure (see ``bench_startup``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

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


def measure(seconds: float, work: Path) -> list[dict]:
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
            written = {id(base): 0, id(app): 0}
            end = time.perf_counter() + seconds
            while (left := end - time.perf_counter()) > 0:
                for proc in (base, app):
                    written[id(proc)] += proc.read(min(0.1, max(left, 0) / 2))
            cpu = {id(p): p.cpu_seconds() - cpu_before[id(p)] for p in (base, app)}
            requests = box.request_count() - requests_before
        finally:
            app.close()
            base.close()
    window = f"{seconds:g} s"
    return [
        figure(
            f"idle {window}: bytes written",
            written[id(app)],
            "B",
            written[id(base)],
            "polling only",
        ),
        figure(f"idle {window}: CPU time", cpu[id(app)], "s", cpu[id(base)], "near zero"),
        figure(f"idle {window}: API requests", requests, "req", None, "< 30% of rate limit"),
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the idle benchmark and print one JSON line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--quick", action="store_true", help="a 10 second window")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="c66bench-") as tmp:
        for row in measure(10.0 if args.quick else args.seconds, Path(tmp)):
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
