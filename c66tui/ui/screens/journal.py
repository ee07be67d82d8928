"""The journal viewer: every write sent from this machine, newest first.

Each row is one journal entry: when, what (redeploy, cancel, job run, ...), which stack,
the outcome as a word and a symbol (``✓ ok``, ``✗ failed``, ``? unknown``, ``… pending``),
the local ``user@host`` and the profile. The line below the table shows the highlighted
entry in full, with what the start-up check found for entries whose outcome is unknown.
``enter`` checks a redeploy or cancel entry against the stack's deployments now. ``/``
narrows the rows by any column (stack, action, outcome word, who, profile, parameters);
``enter`` keeps the filter, ``esc`` clears it (and, with no filter, goes back).
"""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from c66tui.ops.redeploy import controller_for, journal_checks_for
from c66tui.text import sanitize
from c66tui.ui.base import MainScreen
from c66tui.ui.widgets.filter_bar import FilterBar, matches

OUTCOME_LOOK = {
    "ok": "✓ ok",
    "failed": "✗ failed",
    "unknown": "? unknown",
    None: "… pending",
}


def _t(value: Any, style: str = "") -> Text:
    return Text(sanitize(value), style=style, no_wrap=True, overflow="ellipsis", end="")


def params_text(params: dict) -> str:
    """``key=value`` pairs of an entry's parameters."""
    return " ".join(f"{k}={v}" for k, v in params.items() if v not in (None, "", []))


class JournalScreen(MainScreen):
    """The action journal; see the module docstring."""

    CSS = """
    JournalScreen #journal-table {
        height: 1fr;
    }
    JournalScreen #journal-detail {
        height: auto;
        max-height: 6;
        padding: 0 1;
        background: $panel;
    }
    JournalScreen #journal-title {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """
    AUTO_FOCUS = "#journal-table"
    HELP_TITLE = "Journal"

    BINDINGS = [
        Binding("escape", "back", "Back", id="journal.back"),
        Binding("enter", "check", "Check now", id="journal.check"),
        # Priority: handled when the key is read, so the keys typed right behind it land in
        # the filter (a "q" in "/queue" must not reach the app's quit key).
        Binding("slash", "filter", "Filter", key_display="/", priority=True, id="journal.filter"),
    ]

    def __init__(self, checks: dict[str, str] | None = None) -> None:
        super().__init__()
        self._checks = checks
        """Entry id -> what a check against the deployments found (app-wide by default)."""
        self.entries: dict[str, Any] = {}
        self._rows: list[tuple[str, tuple[Text, ...]]] = []
        """Every entry's row (key and cells), newest first; the table shows the matches."""
        self._summary = Text()

    @property
    def checks(self) -> dict[str, str]:
        if self._checks is None:
            self._checks = journal_checks_for(self.services)
        return self._checks

    def compose_body(self) -> ComposeResult:
        yield Static("", id="journal-title", markup=False)
        yield FilterBar(id="journal-filter", on_change=self._apply_filter)
        yield DataTable(id="journal-table", cursor_type="row")
        yield Static("", id="journal-detail", markup=False)

    def on_mount(self) -> None:
        for footer in self.query(Footer):
            footer.compact = True
        self.query_one(DataTable).add_columns(
            "Time (UTC)", "Action", "Stack", "Outcome", "Who", "Profile", "Parameters"
        )
        self.load()

    def action_refresh(self) -> None:
        """``ctrl+r``: read the journal again."""
        self.load()

    def action_back(self) -> None:
        """``esc``: clear the filter, else back."""
        bar = self.filter_bar
        if bar.active:
            bar.clear_filter()
            return
        self.app.pop_screen()

    # -- filter -------------------------------------------------------------------

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one("#journal-filter", FilterBar)

    def action_filter(self) -> None:
        """``/``: filter as you type (a ``/`` typed in the filter is just a character)."""
        bar = self.filter_bar
        if bar.has_focus:
            # Let the field take the key in its turn, after the keys queued before it.
            raise SkipAction()
        bar.open()

    def _apply_filter(self, value: str) -> None:
        """Narrow the list at once (called by the filter bar on every change)."""
        self._show_rows()

    @on(FilterBar.Closed, "#journal-filter")
    def _filter_closed(self, event: FilterBar.Closed) -> None:
        table = self.query_one(DataTable)
        if self.focused is not table:
            table.focus()

    @work(exclusive=True, group="journal-load", exit_on_error=False)
    async def load(self) -> None:
        """Read the journal file (off the event loop) and fill the table."""
        journal = self.services.journal
        title = self.query_one("#journal-title", Static)
        try:
            entries = await asyncio.to_thread(journal.entries)
        except Exception as error:  # noqa: BLE001 - show it, do not crash
            title.update(Text(f"The journal could not be read: {sanitize(str(error))}"))
            return
        path = getattr(journal, "path", "")
        unknown = sum(1 for e in entries if e.outcome in (None, "unknown"))
        self._summary = Text(
            f"{len(entries)} entries · {unknown} with outcome unknown · {sanitize(path)}"
        )
        self.entries = {}
        self._rows = []
        for entry in reversed(entries):
            self.entries[entry.id] = entry
            when = entry.started_at.strftime("%Y-%m-%d %H:%M:%S") if entry.started_at else "?"
            outcome = OUTCOME_LOOK.get(entry.outcome, entry.outcome or "")
            if entry.outcome is None:
                outcome = "? unknown (no outcome)"
            cells = (
                _t(when),
                _t(entry.kind),
                _t(entry.stack_name),
                _t(outcome, "bold" if entry.outcome != "ok" else ""),
                _t(entry.user),
                _t(entry.profile),
                _t(params_text(entry.params)),
            )
            self._rows.append((entry.id, cells))
        self._show_rows()

    def _show_rows(self) -> None:
        """Fill the table with the entries matching the filter; the cursor stays on the
        same entry when it is still shown."""
        table = self.query_one(DataTable)
        keep_key = self._current_key()
        keep_row = table.cursor_row
        query = self.filter_bar.value
        shown = [row for row in self._rows if matches(query, (c.plain for c in row[1]))]
        table.clear()
        for key, cells in shown:
            table.add_row(*cells, key=key)
        if shown:
            keys = [key for key, _cells in shown]
            row = keys.index(keep_key) if keep_key in keys else min(keep_row, len(shown) - 1)
            table.move_cursor(row=row)
        title = self._summary.copy()
        if query.strip():
            note = f" · {len(shown)} of {len(self._rows)} match “{sanitize(query.strip())}”"
            title.append(note, style="bold")
        self.query_one("#journal-title", Static).update(title)
        self._show_detail()

    def _current_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _current(self):
        key = self._current_key()
        return self.entries.get(key) if key is not None else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_check()

    def _show_detail(self) -> None:
        entry = self._current()
        detail = self.query_one("#journal-detail", Static)
        if entry is None:
            if self._rows:
                query = sanitize(self.filter_bar.value.strip())
                detail.update(Text(f"Nothing matches “{query}”: esc clears the filter."))
            else:
                detail.update(Text("No writes have been sent from this machine yet."))
            return
        text = Text(end="")
        text.append(f"{sanitize(entry.kind)} of {sanitize(entry.stack_name)}", style="bold")
        text.append(f" ({sanitize(entry.stack_uid)}) by {sanitize(entry.user)}")
        if entry.account:
            text.append(f" as {sanitize(entry.account)}")
        text.append("\n")
        if entry.outcome is None:
            text.append("Outcome unknown: no outcome was recorded (the app stopped).")
        else:
            text.append(f"Outcome: {entry.outcome}. {sanitize(entry.detail)}")
        check = self.checks.get(entry.id)
        if check:
            text.append(f"\nCheck against deployments: {sanitize(check)}")
        elif entry.outcome in (None, "unknown") and entry.kind in ("redeploy", "cancel"):
            text.append("\nenter checks the stack's deployments now")
        detail.update(text)

    def action_check(self) -> None:
        """``enter``: check a redeploy/cancel entry against the stack's deployments."""
        entry = self._current()
        if entry is None or entry.kind not in ("redeploy", "cancel") or not entry.stack_uid:
            return
        self._check(entry)

    @work(exclusive=True, group="journal-check", exit_on_error=False)
    async def _check(self, entry: Any) -> None:
        services = self.services
        if services.api is None:
            self.notify("Not logged in: cannot check.", severity="warning")
            return
        report = await controller_for(services).check_entry(entry)
        if report is None:
            return
        self.checks[entry.id] = report.summary
        self._show_detail()
        self.notify(f"{sanitize(entry.stack_name)}: {report.summary}", markup=False, timeout=8)
