"""Run every benchmark in this folder and print one table.

Usage::

    python tests/benchmarks/run.py            # full run (idle window of 60 s)
    python tests/benchmarks/run.py --quick    # shorter idle window and fewer repeats
    python tests/benchmarks/run.py --markdown # the table as Markdown (for the README)
    python tests/benchmarks/run.py startup idle   # only bench_startup.py and bench_idle.py

Names: idle, jobs, memory, pagination (network), polling (requests over a time-compressed
hour), responsiveness (keys during a load and a refresh of 5,000 stacks; requests per
refresh), sandbox (building and serving a large world), stacks, startup.

Each ``bench_*.py`` runs as its own process (so one benchmark's imports and memory never
colour another's). A benchmark reports figures as JSON lines on stdout; the keys the
runner understands are ``figure`` (or ``name``), ``value``, ``unit``, ``baseline``,
``ratio`` and ``target``; a plain line such as ``speed-up: 5.3x (target >= 5x)`` also
becomes a row. Every other output line is shown under the table as a note, so a
benchmark that prints plain text is never silently dropped.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIMEOUT = 1800
RATIO_LINE = re.compile(
    r"(?P<label>[^:{]+): (?P<ratio>\d+(?:\.\d+)?)x \(target (?P<target>[^)]*)\)"
)
"""A plain-text figure such as ``speed-up: 5.3x (target >= 5x)``."""


def machine() -> str:
    """A one-line description of the machine the figures were taken on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} CPUs{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def benchmarks(selected: list[str]) -> list[Path]:
    """The bench_*.py files to run, in name order (all of them when none selected)."""
    found = sorted(HERE.glob("bench_*.py"))
    if not selected:
        return found
    wanted = {s.removeprefix("bench_").removesuffix(".py") for s in selected}
    return [p for p in found if p.stem.removeprefix("bench_") in wanted]


def run_one(script: Path, quick: bool) -> tuple[list[dict], list[str], float]:
    """Run one benchmark; return its figures, its other output lines and its run time."""
    argv = [sys.executable, str(script)]
    if quick and "--quick" in script.read_text():
        argv.append("--quick")
    started = time.perf_counter()
    try:
        done = subprocess.run(
            argv, cwd=HERE, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return [], [f"{script.name}: timed out after {TIMEOUT} s"], time.perf_counter() - started
    elapsed = time.perf_counter() - started
    rows: list[dict] = []
    notes: list[str] = []
    for line in done.stdout.splitlines():
        parsed = None
        if line.lstrip().startswith("{"):
            try:
                parsed = json.loads(line)
            except json.JSONDecodeError:
                parsed = None
        ratio_line = RATIO_LINE.match(line.strip())
        if isinstance(parsed, dict) and ("figure" in parsed or "name" in parsed):
            rows.append(parsed)
        elif ratio_line:
            rows.append(
                {
                    "figure": f"{script.stem.removeprefix('bench_')}: {ratio_line['label']}",
                    "ratio": float(ratio_line["ratio"]),
                    "target": ratio_line["target"],
                }
            )
            notes.append(f"{script.name}: {line.rstrip()}")
        elif line.strip():
            notes.append(f"{script.name}: {line.rstrip()}")
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-5:]
        notes.append(f"{script.name}: FAILED (exit {done.returncode})")
        notes.extend(f"{script.name}:   {t}" for t in tail)
    return rows, notes, elapsed


def _fmt(value: object, unit: str = "") -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, float):
        text = f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        text = str(value)
    return f"{text} {unit}".strip()


def table_rows(rows: list[dict]) -> list[list[str]]:
    """Rows of text: figure, c66tui, baseline, ratio, target."""
    out = []
    for row in rows:
        unit = str(row.get("unit", "") or "")
        ratio = row.get("ratio")
        if ratio is None and row.get("baseline") and isinstance(row.get("value"), int | float):
            ratio = row["value"] / row["baseline"]
        out.append(
            [
                str(row.get("figure") or row.get("name")),
                _fmt(row.get("value"), unit),
                _fmt(row.get("baseline"), unit if row.get("baseline") is not None else ""),
                f"{ratio:.2f}x" if isinstance(ratio, int | float) else "-",
                str(row.get("target") or ""),
            ]
        )
    return out


HEADER = ["Figure", "c66tui", "Baseline", "Ratio", "Target"]


def render_text(rows: list[list[str]]) -> str:
    """A plain aligned table."""
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(HEADER, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(lines)


def render_markdown(rows: list[list[str]]) -> str:
    """The same table in Markdown."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines.extend("| " + " | ".join(r) + " |" for r in rows)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the table; exit 1 when one of them failed."""
    parser = argparse.ArgumentParser(description="Run every c66tui benchmark.")
    parser.add_argument("only", nargs="*", help="benchmark names (startup, idle, memory, ...)")
    parser.add_argument("--quick", action="store_true", help="shorter runs")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)
    scripts = benchmarks(args.only)
    if not scripts:
        print("no benchmark matches", args.only, file=sys.stderr)
        return 2
    all_rows: list[dict] = []
    all_notes: list[str] = []
    failed = False
    for script in scripts:
        print(f"running {script.name} ...", file=sys.stderr, flush=True)
        rows, notes, elapsed = run_one(script, args.quick)
        print(f"  {script.name}: {len(rows)} figures in {elapsed:.0f} s", file=sys.stderr)
        failed |= any("FAILED" in n or "timed out" in n for n in notes)
        all_rows.extend(rows)
        all_notes.extend(notes)
    text = table_rows(all_rows)
    print(render_markdown(text) if args.markdown else render_text(text))
    print()
    print(f"Machine: {machine()}")
    if all_notes:
        print()
        print("Notes:")
        for note in all_notes:
            print(f"  {note}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
