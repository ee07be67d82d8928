"""Textual's floor: a bare app with the same header, stacks table and footer as c66tui.

Reads the stacks (as the API returns them) from a JSON file and shows one row per stack in
a ``DataTable`` between a ``Header`` and a ``Footer``. It keeps the parsed list in memory,
so its peak RSS is "Textual holding the same data". The benchmarks run it in a
pseudo-terminal next to c66tui and report c66tui's figures as ratios against it.

Usage: ``python baseline_app.py STACKS.json``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

COLUMNS = ("Name", "Environment", "Status", "Health", "Maint.", "Last activity")


class BaselineApp(App):
    """Header, a table of stacks, footer: nothing else."""

    TITLE = "baseline"
    BINDINGS = [
        Binding("1", "noop", "Stacks"),
        Binding("2", "noop", "Jobs"),
        Binding("3", "noop", "Settings"),
        Binding("slash", "noop", "Filter", key_display="/"),
        Binding("r", "noop", "Redeploy"),
        Binding("question_mark", "noop", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("s", "sort", "Sort", show=False),
    ]

    def __init__(self, stacks: list[dict]) -> None:
        super().__init__()
        self.stacks = stacks
        """The raw stack dicts, kept like c66tui keeps its data."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        for stack in self.stacks:
            table.add_row(
                Text(str(stack.get("name", ""))),
                Text(str(stack.get("environment", ""))),
                Text(str(stack.get("status", ""))),
                Text(str(stack.get("health", ""))),
                Text("yes" if stack.get("maintenance_mode") else "no"),
                Text(str(stack.get("last_activity", "") or "")),
                key=str(stack.get("uid")),
            )
        table.focus()

    def action_sort(self) -> None:
        """Sort the table by the next column (c66tui's ``s``; bench_responsiveness)."""
        table = self.query_one(DataTable)
        keys = list(table.columns)
        self.sort_index = (getattr(self, "sort_index", -1) + 1) % len(keys)
        table.sort(keys[self.sort_index], key=lambda cell: cell.plain)

    def action_noop(self) -> None:
        """Stand-in for c66tui's actions."""


def main(argv: list[str]) -> int:
    """Run the baseline on the stacks in ``argv[0]``."""
    stacks = json.loads(Path(argv[0]).read_text())
    BaselineApp(stacks).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
