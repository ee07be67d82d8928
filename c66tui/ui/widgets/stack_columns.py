"""What the stack list shows in each column, and how the columns share the width.

One *state* column carries everything that changes what a user may do with a stack: its
deploy status (``✓ deployed``, ``▶ deploying``, ``… queued``, ``✗ deploy failed``) and
maintenance mode (``▲ maint``), in words and symbols, never by colour alone. "Busy" is
the documented stack status (queued or deploying, :attr:`Stack.is_deploying`), so it
reads as those words. The filter matches the same words (and ``maintenance``, ``busy``).

:func:`fit_widths` gives the columns the table's width by priority: the state, activity
and health columns whole, the environment at least in its short form (``prod``, ``dev``),
then the name as much of it as fits, then the environment in full and the account (shown
when the stacks belong to more than one). What still does not fit is cut with ``…``; when
even that leaves a name shorter than :data:`NAME_KEEP` (60 columns), the activity and then
the health columns are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from c66tui.api.models import BUSY_STATUSES, Stack
from c66tui.text import sanitize

UNICODE_SYMBOLS = {
    "ok": "✓",
    "bad": "✗",
    "wait": "…",
    "run": "▶",
    "warn": "▲",
    "unknown": "?",
    "idle": "·",
    "fav": "★",
    "mark": "●",
}
ASCII_SYMBOLS = {
    "ok": "+",
    "bad": "x",
    "wait": ".",
    "run": ">",
    "warn": "!",
    "unknown": "?",
    "idle": "-",
    "fav": "*",
    "mark": "#",
}

STATUS_LOOK = {
    0: ("wait", "muted"),
    1: ("ok", "success"),
    2: ("bad", "error"),
    3: ("wait", "muted"),
    4: ("idle", "muted"),
    5: ("wait", "warning"),
    6: ("run", "warning"),
    7: ("bad", "error"),
}
"""Stack status code -> (symbol, colour role)."""
HEALTH_LOOK = {
    0: ("unknown", "muted"),
    1: ("wait", "warning"),
    2: ("warn", "warning"),
    3: ("ok", "success"),
    4: ("bad", "error"),
}
STATUS_RANK = {2: 0, 7: 1, 6: 2, 5: 3, 0: 4, 3: 5, 4: 6, 1: 7}
"""Worst first, for sorting by state."""
HEALTH_RANK = {4: 0, 2: 1, 1: 2, 0: 3, 3: 4}

SHORT_ENVIRONMENTS = {"production": "prod", "development": "dev", "staging": "stage"}
"""Short forms shown when the environment column is narrow."""

MAINTENANCE_WORD = "maint"


@dataclass(frozen=True)
class ColumnSpec:
    """One column: key, header, and whether ``s`` can sort by it."""

    key: str
    label: str
    sortable: bool = True


COLUMNS = (
    ColumnSpec("mark", " ", sortable=False),
    ColumnSpec("name", "Name"),
    ColumnSpec("env", "Env"),
    ColumnSpec("status", "State"),
    ColumnSpec("health", "Health"),
    ColumnSpec("activity", "Activity"),
)
ACCOUNT_COLUMN = ColumnSpec("account", "Account")
SORT_ORDER = ("name", "env", "status", "health", "activity", "account")
SORT_LABELS = {c.key: c.label.lower() for c in (*COLUMNS, ACCOUNT_COLUMN)}


def state_text(stack: Stack, symbols: dict[str, str]) -> str:
    """The state cell: deploy status, then maintenance mode, in words and symbols."""
    symbol, _ = STATUS_LOOK.get(stack.status, ("unknown", "muted"))
    text = f"{symbols[symbol]} {sanitize(stack.status_name)}"
    if stack.is_deploying and stack.status not in BUSY_STATUSES:
        text += f" {symbols['wait']} busy"
    if stack.maintenance_mode:
        text += f" {symbols['warn']} {MAINTENANCE_WORD}"
    return text


def health_text(stack: Stack, symbols: dict[str, str]) -> str:
    symbol, _ = HEALTH_LOOK.get(stack.health, ("unknown", "muted"))
    return f"{symbols[symbol]} {sanitize(stack.health_name)}"


def env_text(stack: Stack, short: bool) -> str:
    env = sanitize(stack.environment)
    return SHORT_ENVIRONMENTS.get(env.strip().lower(), env) if short else env


def filter_fields(stack: Stack) -> tuple[str, ...]:
    """What ``/`` matches: name, environment, account and the state in words."""
    words = [stack.status_name]
    if stack.is_deploying:
        words.append("busy")
    if stack.maintenance_mode:
        words.append("maintenance")
    return (stack.name, stack.environment, stack.account_name, " ".join(words))


# -- widths ------------------------------------------------------------------------------

NAME_MIN = 12
NAME_KEEP = 16
"""A name is kept to at least this many cells (when it is that long) before the activity
and health columns are left out on a narrow terminal."""
DROP_ORDER = ("activity", "health")
"""Columns left out, in this order, when the minimum widths do not fit."""
ACTIVITY_WIDTH = 8  # "just now", "17d ago"
PADDING = 2  # DataTable's cell padding, both sides


@dataclass(frozen=True)
class Widths:
    """Column widths (without padding) and whether the environment is in short form."""

    columns: dict[str, int]
    short_env: bool
    dropped: frozenset[str] = frozenset()
    """Columns left out because even their narrowest form does not fit."""


def fit_widths(total: int, stacks: list[Stack], symbols: dict[str, str], account: bool) -> Widths:
    """Share ``total`` cells (the table's inner width) between the columns by priority."""
    keys = [c.key for c in COLUMNS] + (["account"] if account else [])

    def longest(values, floor: int) -> int:
        return max([floor, *(len(v) for v in values)])

    full = {
        "mark": 2,
        "name": longest((sanitize(s.name) for s in stacks), 4),
        "env": longest((env_text(s, False) for s in stacks), 3),
        "status": longest((state_text(s, symbols) for s in stacks), 5),
        "health": longest((health_text(s, symbols) for s in stacks), 6),
        "activity": ACTIVITY_WIDTH,
        "account": min(24, longest((sanitize(s.account_name) for s in stacks), 7)),
    }
    short_env = longest((env_text(s, True) for s in stacks), 3)
    minimum = {"mark": 2, "name": min(NAME_MIN, full["name"]), "env": 3, "status": 5}
    minimum.update(health=2, activity=4, account=min(5, full["account"]))
    widths = {key: minimum[key] for key in keys}
    # A narrow terminal: leave columns out rather than cut the name short, the state or
    # the environment's short form.
    essential = dict(widths, status=full["status"], env=min(short_env, full["env"]))
    essential["name"] = min(full["name"], NAME_KEEP)
    dropped = []
    for key in DROP_ORDER:
        if total - PADDING * len(essential) - sum(essential.values()) >= 0:
            break
        essential.pop(key)
        widths.pop(key)
        dropped.append(key)
    spare = total - PADDING * len(widths) - sum(widths.values())
    order = [
        ("status", full["status"]),
        ("activity", full["activity"]),
        ("health", full["health"]),
        ("env", short_env),
        ("name", full["name"]),
        ("env", full["env"]),
        ("account", full["account"]),
    ]
    for key, wanted in order:
        if key not in widths or spare <= 0:
            continue
        grow = min(spare, max(0, wanted - widths[key]))
        widths[key] += grow
        spare -= grow
    if spare > 0:
        widths["name"] += spare
    short = "env" not in widths or widths["env"] < full["env"]
    return Widths(widths, short_env=short, dropped=frozenset(dropped))
