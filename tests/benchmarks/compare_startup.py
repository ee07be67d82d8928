"""Start-up of this checkout against another version of c66tui, in one alternating run.

Usage::

    git archive OTHER_BRANCH c66tui | tar -x -C /tmp/other
    python tests/benchmarks/compare_startup.py /tmp/other [--runs 5]

Times, alternately, the bare Textual app, the other version (``/tmp/other`` put first on
``sys.path``) and this environment's ``c66tui``, each started with a warm cache against the
sandbox, as a demo started again and as a first demo; prints the median wall time to the
first frame that shows a stack and the CPU time the process had used by then, each also as a
ratio to the bare app. Not part of ``run.py``: it compares versions, it is not a figure of
one. On a shared machine alternation is what makes the two versions comparable.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

import bench_startup as bench


def other_argv(source: Path) -> list[str]:
    """Run the c66tui package found under ``source`` with this interpreter."""
    code = (
        f"import sys; sys.path.insert(0, {str(source)!r}); "
        "from c66tui.cli import main; raise SystemExit(main())"
    )
    return [sys.executable, "-c", code]


def start(argv: list[str], env: dict[str, str], seen) -> tuple[float, float]:
    """One start: (wall seconds, CPU seconds) at the first frame with a stack."""
    proc = bench.PtyProcess(argv, env)
    try:
        wall = proc.wait_for(seen, timeout=60)
        return wall, proc.cpu_seconds()
    finally:
        proc.close()


def main() -> int:
    """Measure and print one line per program."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="a folder holding another c66tui package")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="c66cmp-") as tmp:
        work = Path(tmp)
        with bench.sandbox(logdir=work) as box:
            stacks = box.stacks()
            seen = bench.name_matcher(stacks)
            data = work / "stacks.json"
            data.write_text(json.dumps(stacks))
            programs = {
                "bare app": ([sys.executable, str(bench.BASELINE), str(data)], bench.app_env(work)),
            }
            for tag, argv in (("other", other_argv(args.other)), ("this", bench.c66tui_argv())):
                live = [*argv, "--api-url", box.api_url]
                live_env = bench.app_env(work / f"live-{tag}", CLOUD66_TOKEN=bench.DEMO_TOKEN)
                bench.warm_cache(live, live_env, seen)
                again_env = bench.app_env(work / f"again-{tag}")
                bench.warm_cache([*argv, "--demo"], again_env, seen)
                programs[f"{tag}: warm cache"] = (live, live_env)
                programs[f"{tag}: demo again"] = ([*argv, "--demo"], again_env)
                fresh_env = bench.app_env(work / f"fresh-{tag}")
                programs[f"{tag}: first demo"] = ([*argv, "--demo", "--fresh"], fresh_env)
            start(*programs["bare app"], seen)  # warm the OS file cache
            results: dict[str, list[tuple[float, float]]] = {name: [] for name in programs}
            for _ in range(args.runs):
                for name, (argv, env) in programs.items():
                    results[name].append(start(argv, env, seen))
    base_wall = statistics.median(wall for wall, _ in results["bare app"])
    base_cpu = statistics.median(cpu for _, cpu in results["bare app"])
    for name, found in results.items():
        wall = statistics.median(w for w, _ in found)
        cpu = statistics.median(c for _, c in found)
        print(
            f"{name:18s} wall {wall:.3f} s ({wall / base_wall:.2f}x)  "
            f"cpu {cpu:.2f} s ({cpu / base_cpu:.2f}x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
