"""Sandbox: build, reset and serve a world of 5,000 stacks; start and stop the server.

The ordinary tests check what these steps produce; the times are measured here (targets:
each step under 2 s on a two-core machine). Prints JSON lines (see ``run.py``) and a
``MISSED:`` note for a target missed.

Run: ``python tests/benchmarks/bench_sandbox.py [--stacks N]``.
"""

from __future__ import annotations

import argparse
import json
import time

import httpx

from c66tui.sandbox import Sandbox, SandboxConfig
from c66tui.sandbox.server import SandboxServer

TARGET_SECONDS = 2.0


def timed(step) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def measure(stacks: int) -> dict[str, float]:
    """Seconds for each step, by name."""
    figures: dict[str, float] = {}
    holder: dict[str, Sandbox] = {}
    figures["build"] = timed(
        lambda: holder.setdefault("world", Sandbox(SandboxConfig(stacks=stacks)))
    )
    world = holder["world"]
    figures["reset"] = timed(world.reset)
    with SandboxServer(sandbox=world) as srv:
        headers = {"Authorization": "Bearer sandbox-demo-token"}
        with httpx.Client(base_url=srv.api_url, headers=headers) as client:
            last_page = -(-stacks // 30)
            figures["first and last page"] = timed(
                lambda: (client.get("/stacks"), client.get("/stacks", params={"page": last_page}))
            )

    def start_and_stop() -> None:
        with SandboxServer(config=SandboxConfig(stacks=1)) as srv:
            httpx.get(f"{srv.base_url}/_sandbox/info")

    figures["server start and stop"] = timed(start_and_stop)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stacks", type=int, default=5000)
    parser.add_argument("--quick", action="store_true", help="accepted for run.py")
    args = parser.parse_args()
    for name, seconds in measure(args.stacks).items():
        print(
            json.dumps(
                {
                    "figure": f"sandbox {name}",
                    "value": round(seconds, 3),
                    "unit": "s",
                    "target": f"< {TARGET_SECONDS:g}",
                }
            )
        )
        if seconds >= TARGET_SECONDS:
            print(f"MISSED: sandbox {name} took {seconds:.2f} s (target < {TARGET_SECONDS:g} s)")


if __name__ == "__main__":
    main()
