"""The cells of one stack row: words plus symbols, theme colours, sanitised server text.

Every state is shown as a word plus a symbol (``✓ deployed``, ``✗ deploy failed``), never
by colour alone; colours come from the active theme (:func:`theme_styles`). Server text
is sanitised and shown as ``rich.text.Text`` so a stack named ``[bold]x`` is displayed
literally. :func:`sort_key` is the order of the list for each sortable column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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

    __slots__ = ("row_key",)

    def __init__(self, value: str, style: Style | str = "", row_key: str = "") -> None:
        super().__init__(value, style=style, no_wrap=True, overflow="ellipsis", end="")
        self.row_key = row_key


def cell_text(value: str, style: Style | str = "", row_key: str | None = None) -> Text:
    """One cell: a single line cut with ``…`` when its column is narrower."""
    if row_key is not None:
        return KeyedText(value, style, row_key)
    return Text(value, style=style, no_wrap=True, overflow="ellipsis", end="")


MAX_SHARED_CELLS = 4096
"""Distinct shared cells kept before the pool starts afresh."""


def shared_cell(pool: dict[tuple, Text], value: str, style: Style | str = "") -> Text:
    """The one ``Text`` for ``value`` in ``style``, from ``pool``.

    Most cells repeat (``✓ deployed``, ``production``, ``3d ago``): rows share one
    object per distinct cell instead of holding a copy each (about 11 MiB for 5,000
    rows). ``DataTable`` never changes a cell it renders; a changed cell is a new one.
    """
    key = (value, style)
    cell = pool.get(key)
    if cell is None:
        if len(pool) >= MAX_SHARED_CELLS:
            pool.clear()
        cell = pool[key] = cell_text(value, style)
    return cell


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


BOLD = Style(bold=True)
PLAIN = Style(bold=False)


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
    pool: dict[tuple, Text] = field(default_factory=dict)
    """Shared cells (:func:`shared_cell`); the table keeps one pool for all its rows."""

    def env_style(self, stack: Stack) -> Style | str:
        """Production environments stand out (bold, in the theme's error colour)."""
        return self.styles.get("prod", "") if stack.is_production else ""

    def env_cell(self, stack: Stack) -> Text:
        return shared_cell(self.pool, env_text(stack, self.short_env), self.env_style(stack))

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
        pool = self.pool
        cells = {
            "mark": shared_cell(pool, flag, style("accent") or ""),
            "name": cell_text(sanitize(stack.name), BOLD if uid in self.favourites else PLAIN, uid),
            "env": self.env_cell(stack),
            "status": shared_cell(pool, state_text(stack, sym), style(status_role) or ""),
            "health": shared_cell(pool, health_text(stack, sym), style(health_role) or ""),
            "activity": shared_cell(pool, relative_time(stack.last_activity, now)),
        }
        if self.show_account:
            cells["account"] = shared_cell(pool, sanitize(stack.account_name))
        for key in self.dropped:
            cells.pop(key, None)
        return cells
