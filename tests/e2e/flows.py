"""Small keyboard flows and file checks shared by the end-to-end tests."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from tests.e2e.harness import POLL_INTERVAL, Terminal
from tests.waiting import until_sync

STACK_COUNT = re.compile(r"\b\d+ stacks\b")


def filter_to(term: Terminal, name: str) -> str:
    """On the stack list: ``/``, type ``name``, Enter; wait until it is the only match."""
    term.wait_for_text(STACK_COUNT, timeout=30)
    term.press("/")
    term.type(name)
    term.press("Enter")
    return term.wait_for_text(f"1 match /{name}")


def journal(state_dir: Path) -> list[dict]:
    """The raw journal records (begin and complete lines)."""
    path = state_dir / "journal.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def outcomes(state_dir: Path, kind: str) -> list[tuple[dict, str | None]]:
    """Each journalled write of ``kind`` with its last recorded outcome (``None``: none)."""
    records = journal(state_dir)
    result = []
    for begin in (r for r in records if r.get("type") == "begin" and r.get("kind") == kind):
        done = [r for r in records if r.get("type") == "complete" and r.get("id") == begin["id"]]
        result.append((begin, done[-1]["outcome"] if done else None))
    return result


def wait_for(check: Callable[[], object], timeout: float = 10.0, what: str = "condition"):
    """Poll ``check()`` every 0.1 s until it returns something truthy; return that."""
    return until_sync(check, timeout=timeout, what=what, step=POLL_INTERVAL)
