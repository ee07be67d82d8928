"""Memory: peak RSS of c66tui listing 5,000 stacks against the bare app holding the same data.

A loopback sandbox serves ``--stacks`` stacks (5,000 by default). c66tui runs against it in
a pseudo-terminal until the list is loaded and the program is quiet; the baseline gets the
same stacks, as the API returned them, from a JSON file and shows them in a ``DataTable``.
The figure is each process's VmHWM from /proc.

Prints JSON lines, one per figure (see ``bench_startup``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
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


def peak_rss(argv: list[str], env: dict[str, str], seen, box=None, pages: int = 0) -> int:
    """Run one program until it shows stacks and settles; return its VmHWM in KiB."""
    proc = PtyProcess(argv, env)
    try:
        proc.wait_for(seen, timeout=120)
        if box is not None:
            # Wait until every page of the stack list has been requested at least once.
            for _ in range(600):
                fetched = {
                    (parse_qs(str(r.get("query") or "")).get("page") or ["1"])[0]
                    for r in box.requests()
                    if re.search(r"/stacks(\.json)?$", str(r.get("path", "")))
                }
                if len(fetched) >= pages:
                    break
                proc.read(0.1)
        proc.settle(quiet=2.0, limit=60)
        return proc.peak_rss_kib()
    finally:
        proc.close()


def measure(count: int, work: Path) -> list[dict]:
    """Peak RSS of both programs with ``count`` stacks."""
    with sandbox("--stacks", str(count), logdir=work) as box:
        stacks = box.stacks()
        data = work / "stacks.json"
        data.write_text(json.dumps(stacks))
        seen = name_matcher(stacks)
        base = peak_rss([sys.executable, str(BASELINE), str(data)], app_env(work / "base"), seen)
        box.post("/_sandbox/finish")
        box.clear_requests()
        pages = -(-len(stacks) // 30)
        app = peak_rss(
            [*c66tui_argv(), "--api-url", box.api_url],
            app_env(work / "app", CLOUD66_TOKEN=DEMO_TOKEN),
            seen,
            box=box,
            pages=pages,
        )
    return [figure(f"peak RSS, {len(stacks):,} stacks", app / 1024, "MiB", base / 1024, "<= 1.3x")]


def main(argv: list[str] | None = None) -> int:
    """Run the memory benchmark and print one JSON line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stacks", type=int, default=5000)
    parser.add_argument("--quick", action="store_true", help="accepted; the run is short")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="c66bench-") as tmp:
        for row in measure(args.stacks, Path(tmp)):
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
