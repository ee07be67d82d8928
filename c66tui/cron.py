"""Next-run times for plain five-field cron expressions.

``next_run("*/15 9-17 * * mon-fri", after)`` returns the first minute strictly after
``after`` that the expression matches, or ``None`` when the expression is not a plain
cron (six fields, ``L``/``W``/``#``, ``@reboot``...), is invalid, or never fires (``0 0 30 2 *``).

Fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12 or ``jan``-``dec``),
day of week (0-7 or ``sun``-``sat``; 0 and 7 are Sunday). Each field is a comma list of
``*``, ``N``, ``A-B``, optionally followed by ``/STEP`` (``N/STEP`` means ``N-max/STEP``).
The ``@yearly``, ``@annually``, ``@monthly``, ``@weekly``, ``@daily``, ``@midnight`` and
``@hourly`` shorthands are accepted.

Day matching follows Vixie cron: when both day fields are restricted (neither starts with
``*``) a day matches if *either* matches; otherwise both must.

The expression is evaluated in ``tz`` (UTC by default: Cloud 66 servers keep UTC); the
result is an aware datetime in that zone, ready for ``astimezone()`` into local time.
No Textual, no third-party dependency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache

MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
DAYS = {
    name: number for number, name in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))
}

MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}

SEARCH_YEARS = 5
"""How far ahead to look before deciding an expression never fires (covers leap days)."""


@dataclass(frozen=True, slots=True)
class CronSpec:
    """A parsed expression: the allowed values of each field."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    """0 = Sunday ... 6 = Saturday (7 folded into 0)."""
    days_restricted: bool
    weekdays_restricted: bool

    def day_matches(self, moment: datetime) -> bool:
        """Whether the date of ``moment`` is a day the expression runs on."""
        in_days = moment.day in self.days
        in_weekdays = (moment.isoweekday() % 7) in self.weekdays
        if self.days_restricted and self.weekdays_restricted:
            return in_days or in_weekdays
        return in_days and in_weekdays


def _number(text: str, names: dict[str, int] | None) -> int:
    lowered = text.lower()
    if names and lowered in names:
        return names[lowered]
    if not text.isdigit():
        raise ValueError(text)
    return int(text)


def _field(text: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    """Values allowed by one field; ``ValueError`` when it is not plain cron."""
    values: set[int] = set()
    for part in text.split(","):
        base, slash, step_text = part.partition("/")
        step = 1
        if slash:
            if not step_text.isdigit() or int(step_text) == 0:
                raise ValueError(part)
            step = int(step_text)
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start, end = _number(first, names), _number(last, names)
        else:
            start = _number(base, names)
            end = high if slash else start
        if not (low <= start <= high and low <= end <= high) or start > end:
            raise ValueError(part)
        values.update(range(start, end + 1, step))
    return frozenset(values)


def parse(expression: str) -> CronSpec | None:
    """Parse a plain cron expression, or ``None`` when it is not one."""
    if not isinstance(expression, str):
        return None
    return _parse(expression)


@lru_cache(maxsize=1024)
def _parse(expression: str) -> CronSpec | None:
    text = expression.strip()
    text = MACROS.get(text.lower(), text)
    fields = text.split()
    if len(fields) != 5:
        return None
    minute, hour, day, month, weekday = fields
    try:
        weekdays = _field(weekday, 0, 7, DAYS)
        return CronSpec(
            minutes=_field(minute, 0, 59),
            hours=_field(hour, 0, 23),
            days=_field(day, 1, 31),
            months=_field(month, 1, 12, MONTHS),
            weekdays=frozenset(value % 7 for value in weekdays),
            days_restricted=not day.startswith("*"),
            weekdays_restricted=not weekday.startswith("*"),
        )
    except ValueError:
        return None


def is_plain(expression: str) -> bool:
    """Whether ``expression`` is a plain cron expression this module understands."""
    return parse(expression) is not None


def next_run(expression: str, after: datetime, tz: tzinfo = UTC) -> datetime | None:
    """The first time strictly after ``after`` that ``expression`` fires, in ``tz``.

    ``after`` may be naive (taken as being in ``tz``) or aware. Returns ``None`` for
    anything that is not a plain cron expression or that never fires.
    """
    if not isinstance(expression, str):
        return None
    if after.tzinfo is not None:
        after = after.astimezone(tz)
    # A table refresh asks for many jobs at the same instant; most share a schedule.
    return _next_run(expression, after.replace(second=0, microsecond=0), tz)


@lru_cache(maxsize=4096)
def _next_run(expression: str, after: datetime, tz: tzinfo) -> datetime | None:
    spec = parse(expression)
    if spec is None:
        return None
    # Walk in wall-clock time of ``tz``, skipping whole months, days and hours at once.
    moment = after.replace(tzinfo=None, second=0, microsecond=0) + timedelta(minutes=1)
    limit = moment + timedelta(days=366 * SEARCH_YEARS)
    while moment < limit:
        if moment.month not in spec.months:
            year, month = (
                (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
            )
            moment = datetime(year, month, 1)
            continue
        if not spec.day_matches(moment):
            moment = datetime(moment.year, moment.month, moment.day) + timedelta(days=1)
            continue
        if moment.hour not in spec.hours:
            moment = moment.replace(minute=0) + timedelta(hours=1)
            continue
        if moment.minute not in spec.minutes:
            moment += timedelta(minutes=1)
            continue
        return moment.replace(tzinfo=tz)
    return None
