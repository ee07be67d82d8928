"""The help overlay: every key that works on the screen below it, grouped by where it
applies. ``esc``, ``?`` or ``q`` close it.

The keys are read from ``screen.active_bindings`` when ``?`` is pressed, so remapped keys
(``[preferences.keymap]``) and keys disabled right now are shown as they really are.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static


@dataclass(frozen=True)
class HelpRow:
    """One line of the overlay."""

    group: str
    keys: str
    description: str
    enabled: bool = True


EXTRA_ROWS = (
    HelpRow("Everywhere", "^p", "Palette: go to stack, profiles, log in/out, theme"),
    HelpRow("Everywhere", "tab / shift+tab", "Move between fields and panels"),
)

SKIPPED_ACTIONS = {
    "app.focus_next",
    "app.focus_previous",
    "focus_next",
    "focus_previous",
    "screen.copy_text",
    "command_palette",
    "app.command_palette",
    "screen.maximize",
    "screen.minimize",
}
"""Textual's own plumbing keys; the generic rows in :data:`EXTRA_ROWS` cover them."""


def _group_name(node: object, screen: Screen) -> str:
    if isinstance(node, App):
        return "Everywhere"
    if node is screen:
        return "This screen"
    if isinstance(node, Widget):
        return getattr(node, "HELP_GROUP", "") or "In the focused panel"
    return "This screen"


def collect_rows(app: App, screen: Screen) -> list[HelpRow]:
    """The rows for ``screen`` (called before the overlay is pushed)."""
    merged: dict[tuple[str, str], HelpRow] = {}
    order: list[tuple[str, str]] = []
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.action in SKIPPED_ACTIONS or binding.system:
            continue
        group = _group_name(active.node, screen)
        # A focused widget's hidden keys (cursor moves in an input) are noise here.
        if not isinstance(active.node, (App, Screen)) and not binding.show:
            continue
        key = binding.key_display or app.get_key_display(binding)
        ident = (group, binding.description)
        if ident in merged:
            row = merged[ident]
            if key not in row.keys.split(" / "):
                merged[ident] = HelpRow(
                    group, f"{row.keys} / {key}", row.description, row.enabled or active.enabled
                )
            continue
        merged[ident] = HelpRow(group, key, binding.description, active.enabled)
        order.append(ident)
    rows = [merged[ident] for ident in order]
    known = {(row.group, row.keys) for row in rows}
    for extra in EXTRA_ROWS:
        if (extra.group, extra.keys) not in known and app.ENABLE_COMMAND_PALETTE:
            rows.append(extra)
    rank = {"This screen": 1, "Everywhere": 2}
    return sorted(rows, key=lambda row: rank.get(row.group, 0))


def render_rows(rows: list[HelpRow]) -> Table:
    """A two-column table with a heading per group; unavailable keys say so in words."""
    table = Table.grid(padding=(0, 2), expand=True)
    widest = max((len(row.keys) for row in rows), default=8)
    table.add_column("key", no_wrap=True, width=min(max(widest, 8), 20) + 2)
    table.add_column("action", ratio=1)
    group = None
    for row in rows:
        if row.group != group:
            if group is not None:
                table.add_row("", "")
            table.add_row(Text(row.group, style="bold underline"), "")
            group = row.group
        description = Text(row.description)
        if not row.enabled:
            description.append("  (not available now)", style="italic")
        table.add_row(Text(row.keys, style="bold"), description)
    return table


class HelpScreen(ModalScreen[None]):
    """The keys of the screen below, in one scrollable box."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        background: $background 60%;
    }
    HelpScreen > #help-box {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-color: $primary;
        border-title-style: bold;
        background: $surface;
    }
    HelpScreen #help-body {
        height: auto;
        max-height: 100%;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    HelpScreen #help-hint {
        color: $text-muted;
        padding: 0 1;
        height: 1;
    }
    """

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, rows: list[HelpRow], title: str = "") -> None:
        """Show ``rows`` (see :func:`collect_rows`); ``title`` names the screen below."""
        super().__init__()
        self.rows = rows
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box") as box:
            box.border_title = f"Keys: {self.title_text}" if self.title_text else "Keys"
            with VerticalScroll(id="help-body"):
                yield Static(render_rows(self.rows), id="help-table")
            yield Static("esc closes", id="help-hint", markup=False)

    def on_mount(self) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.focus()
        self.watch(body, "scroll_y", self._show_position)
        self.call_after_refresh(self._show_position)

    def _show_position(self, *_: object) -> None:
        """The hint says when more keys are below (or above) the visible part."""
        body = self.query_one("#help-body", VerticalScroll)
        hint = "esc closes"
        if body.max_scroll_y > 0:
            below = body.scroll_y < body.max_scroll_y
            above = body.scroll_y > 0
            if below and above:
                where = "▼ more below, ▲ more above"
            elif below:
                where = "▼ more below"
            else:
                where = "▲ more above"
            hint = f"{where} · ↑↓ j k scroll · esc closes"
        self.query_one("#help-hint", Static).update(hint)

    def action_close(self) -> None:
        """Close the overlay."""
        self.dismiss(None)
