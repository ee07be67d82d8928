"""Reading loosely typed API objects: values, timestamps, codes, and whole models.

The Cloud 66 API sends numbers as strings or integers, flags as ``true``/``"1"``, dates in
several forms and ``{code, meaning}`` pairs where a plain string would do. The functions
here turn any of those into one Python type without raising. :class:`ApiModel` builds a
dataclass from an API object by reading each field according to its declared type, so a
model declares its fields and only the odd ones name a reader of their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

Reader = Callable[[dict, str], Any]
"""Reads the field ``name`` out of an API object."""


def code_name(table: dict[int, str], code: Any) -> str:
    """Name for a numeric code, or ``unknown (N)`` for codes we have never seen."""
    try:
        number = int(code)
    except (TypeError, ValueError):
        return "unknown" if code is None else f"unknown ({code})"
    return table.get(number, f"unknown ({number})")


_UTC_SUFFIX = re.compile(r"\s+UTC$")
_FRACTION = re.compile(r"\.(\d+)")


def parse_time(value: Any) -> datetime | None:
    """Parse any timestamp form the API uses into an aware UTC datetime.

    Accepts ``2014-08-29T17:21:47Z``, ``2014-08-14T01:46:53+00:00``,
    ``2014-08-14 00:38:14 UTC``, nanosecond fractions (``.988310784Z``), epoch numbers
    and ``None``. Anything unparseable gives ``None`` rather than an exception.
    """
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = _UTC_SUFFIX.sub("+00:00", value.strip())
    if text.endswith("Z") or text.endswith("z"):
        text = text[:-1] + "+00:00"
    # Python's fromisoformat accepts at most 6 fractional digits.
    text = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), text, count=1)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def as_text(value: Any, default: str = "") -> str:
    """``value`` as text (``None`` gives ``default``)."""
    if value is None:
        return default
    return value if isinstance(value, str) else str(value)


def as_flag(value: Any) -> bool:
    """``value`` as a flag: ``"1"``, ``"true"``, ``"yes"`` and ``"on"`` are true."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def as_int(value: Any, default: int | None = None) -> int | None:
    """``value`` as a whole number, or ``default`` when it is none."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# -- readers: (data, name) -> value ------------------------------------------------------


def text(data: dict, name: str) -> str:
    return as_text(data.get(name))


def integer(data: dict, name: str) -> int | None:
    return as_int(data.get(name))


def flag(data: dict, name: str) -> bool:
    return as_flag(data.get(name))


def optional_flag(data: dict, name: str) -> bool | None:
    """A flag that may be absent (``None``: not said yet)."""
    value = data.get(name)
    return None if value is None else as_flag(value)


def when(data: dict, name: str) -> datetime | None:
    """The first parseable of ``{name}_iso`` and ``name`` (the API sends both forms)."""
    for key in (f"{name}_iso", name):
        parsed = parse_time(data.get(key))
        if parsed is not None:
            return parsed
    return None


def meaning(data: dict, name: str) -> str:
    """The ``meaning`` of a ``{code, meaning}`` pair, tolerating plain strings."""
    value = data.get(name)
    if isinstance(value, dict):
        return as_text(value.get("meaning") or value.get("code"))
    return as_text(value)


def texts(data: dict, name: str) -> tuple[str, ...]:
    return tuple(as_text(item) for item in data.get(name) or ())


def as_given(data: dict, name: str) -> Any:
    return data.get(name)


def stripped(data: dict, name: str) -> str:
    return as_text(data.get(name)).strip()


def first_text(*names: str) -> Reader:
    """A reader of the first non-empty of ``names`` (for a field the API renamed)."""
    return lambda data, _name: as_text(next((data[n] for n in names if data.get(n)), None))


def flag_or(default: bool) -> Reader:
    """A flag reader for a field whose absence means ``default``."""
    return lambda data, name: as_flag(data.get(name, default))


BY_TYPE: dict[str, Reader] = {
    "str": text,
    "int | None": integer,
    "bool": flag,
    "bool | None": optional_flag,
    "datetime | None": when,
    "tuple[str, ...]": texts,
    "Any": as_given,
}
"""The reader of each declared field type (as written in the dataclass)."""


class ApiModel:
    """Base of the API models: ``from_api`` reads every dataclass field by its declared
    type (:data:`BY_TYPE`) unless ``READERS`` names a reader for it, and keeps the whole
    object in ``raw``. Missing and extra keys are tolerated; a field type with no reader
    is a programming error, raised on first use."""

    __slots__ = ()
    READERS: ClassVar[dict[str, Reader]] = {}

    @classmethod
    def from_api(cls, data: dict) -> Self:
        """The model read from one API object."""
        plan = _PLANS.get(cls) or _plan(cls)
        return cls(**{name: read(data, name) for name, read in plan}, raw=data)


_PLANS: dict[type, tuple[tuple[str, Reader], ...]] = {}


def _plan(cls: type) -> tuple[tuple[str, Reader], ...]:
    """Each field of ``cls`` but ``raw`` with its reader, worked out once per class."""
    plan = []
    for spec in fields(cls):
        if spec.name == "raw":
            continue
        reader = cls.READERS.get(spec.name) or BY_TYPE.get(str(spec.type))
        if reader is None:
            raise TypeError(f"{cls.__name__}.{spec.name}: no reader for {spec.type}")
        plan.append((spec.name, reader))
    _PLANS[cls] = tuple(plan)
    return _PLANS[cls]
