"""The cells of one stack row: words plus symbols, theme colours, sanitised server text.

Every state is shown as a word plus a symbol (``✓ deployed``, ``✗ deploy failed``), never
by colour alone; colours come from the active theme (:func:`theme_styles`). Server text
is sanitised and shown as ``rich.text.Text`` so a stack named ``[bold]x`` is displayed
literally. :func:`sort_key` is the order of the list for each sortable column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual.color import Color

from c66tui.api.models import Stack
from c66tui.text import relative_time, sanitize
from c66tui.ui.widgets.stack_columns import (
    HEALTH_LOOK,
    HEALTH_RANK,
    STATUS_LOOK,
    STATUS_RANK,
    env_text,
    health_text,
    state_text,
)


class KeyedText(Text):
    """A ``Text`` that remembers which row it belongs to (lets ``sort`` use our order)."""

    row_key: str = ""


def cell_text(value: str, style: Style | str = "", row_key: str | None = None) -> Text:
    """One cell: a single line cut with ``…`` when its column is narrower."""
    text = KeyedText(value, style=style, no_wrap=True, overflow="ellipsis", end="")
    if row_key is not None:
        text.row_key = row_key
    return text


def column_label(label: str) -> Text:
    """A column header that ends in ``…`` when its column is narrower than it."""
    return Text(label, no_wrap=True, overflow="ellipsis", end="")


def sort_key(column: str, stack: Stack) -> tuple:
    """The sort key of ``stack`` for ``column`` (ties broken by name, then uid)."""
    name = stack.name.casefold()
    if column == "env":
        primary: tuple = (stack.environment.casefold(),)
    elif column == "status":
        primary = (STATUS_RANK.get(stack.status, 9), not stack.maintenance_mode)
    elif column == "health":
        primary = (HEALTH_RANK.get(stack.health, 9),)
    elif column == "activity":
        moment = stack.last_activity
        primary = (-(moment.timestamp()) if moment else float("inf"),)
    elif column == "account":
        primary = (stack.account_name.casefold(),)
    else:
        primary = ()
    return (*primary, name, stack.uid)


def theme_styles(variables: Mapping[str, str]) -> dict[str, Style]:
    """The cell styles of each role (success, error, ...) from the theme's variables."""
    styles: dict[str, Style] = {}
    for role, name in (
        ("success", "success"),
        ("error", "error"),
        ("warning", "warning"),
        ("muted", "text-muted"),
        ("accent", "accent"),
    ):
        try:
            color = Color.parse(variables[name])
            styles[role] = Style(color=color.rich_color)
        except Exception:  # noqa: BLE001 - odd theme values: words still carry the state
            styles[role] = Style()
    styles["prod"] = styles["error"] + Style(bold=True)
    return styles


@dataclass
class RowLook:
    """What a row's cells depend on besides the stack itself."""

    symbols: dict[str, str]
    styles: dict[str, Style]
    favourites: set[str]
    marks: set[str]
    short_env: bool = False
    show_account: bool = False
    dropped: frozenset[str] = frozenset()

    def env_style(self, stack: Stack) -> Style | str:
        """Production environments stand out (bold, in the theme's error colour)."""
        return self.styles.get("prod", "") if stack.is_production else ""

    def env_cell(self, stack: Stack) -> Text:
        return cell_text(env_text(stack, self.short_env), self.env_style(stack))

    def cells(self, stack: Stack, now: datetime) -> dict[str, Text]:
        """The cells of one row (keyed by column)."""
        sym = self.symbols
        style = self.styles.get
        uid = stack.uid
        flag = ""
        if uid in self.favourites:
            flag += sym["fav"]
        if uid in self.marks:
            flag += sym["mark"]
        _, status_role = STATUS_LOOK.get(stack.status, ("unknown", "muted"))
        _, health_role = HEALTH_LOOK.get(stack.health, ("unknown", "muted"))
        if stack.maintenance_mode and status_role == "success":
            status_role = "warning"
        cells = {
            "mark": cell_text(flag, style("accent") or ""),
            "name": cell_text(
                sanitize(stack.name), Style(bold=uid in self.favourites), row_key=uid
            ),
            "env": self.env_cell(stack),
            "status": cell_text(state_text(stack, sym), style(status_role) or ""),
            "health": cell_text(health_text(stack, sym), style(health_role) or ""),
            "activity": cell_text(relative_time(stack.last_activity, now)),
        }
        if self.show_account:
            cells["account"] = cell_text(sanitize(stack.account_name))
        for key in self.dropped:
            cells.pop(key, None)
        return cells
