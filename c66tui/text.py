"""Text helpers for showing server data safely and compactly.

``sanitize`` makes any value safe to put on a terminal: control characters (C0, DEL, C1)
and bidirectional overrides are replaced by visible placeholders, so an ESC sequence in a
commit message cannot clear the screen or set the window title. ``relative_time`` and
``short_duration`` format times the way the tables show them. ``redact`` masks tokens and
secrets in free text (crash reports, error messages).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from c66tui.redaction import MASK
from c66tui.redaction import redact as _redact

__all__ = ["MASK", "redact", "relative_time", "sanitize", "short_duration"]

PLACEHOLDER = "\ufffd"
"""Shown for C1 controls and bidi overrides, which have no control picture."""

_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]


def _build_tables() -> tuple[dict[int, str], dict[int, str]]:
    multi: dict[int, str] = {}
    for code in range(0x20):
        multi[code] = chr(0x2400 + code)  # U+2400 CONTROL PICTURES: ESC -> ␛
    multi[0x7F] = "\u2421"  # ␡
    for code in range(0x80, 0xA0):
        multi[code] = PLACEHOLDER
    for code in _BIDI:
        multi[code] = PLACEHOLDER
    multi[ord("\t")] = "\t"
    multi[ord("\n")] = "\n"
    single = dict(multi)
    for code in (ord("\t"), ord("\n"), 0x2028, 0x2029):
        single[code] = " "
    multi[0x2028] = "\n"
    multi[0x2029] = "\n"
    return single, multi


_SINGLE_LINE, _MULTI_LINE = _build_tables()


def sanitize(text: Any, single_line: bool = True) -> str:
    """Return ``text`` (any object; ``None`` gives ``""``) safe to show on a terminal.

    With ``single_line`` (the default, for table cells and titles) tabs and line breaks
    become spaces; otherwise they are kept and ``\\r\\n`` is folded to ``\\n``.
    """
    if text is None:
        return ""
    if not isinstance(text, str):
        try:
            text = str(text)
        except Exception:  # noqa: BLE001 - a broken __str__ must not break the screen
            text = f"<{type(text).__name__}>"
    if "\r" in text:
        text = text.replace("\r\n", "\n" if not single_line else " ")
    return text.translate(_SINGLE_LINE if single_line else _MULTI_LINE)


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def relative_time(dt: datetime | None, now: datetime | None = None) -> str:
    """``"just now"``, ``"42s ago"``, ``"5m ago"``, ``"3h ago"``, ``"2d ago"``, ``"in 5m"``.

    Naive datetimes are taken as UTC; ``None`` gives ``"—"``.
    """
    if dt is None:
        return "—"
    now = _as_utc(now) if now is not None else datetime.now(UTC)
    seconds = (now - _as_utc(dt)).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 5:
        return "just now"
    if seconds < 60:
        amount = f"{int(seconds)}s"
    elif seconds < 3600:
        amount = f"{int(seconds // 60)}m"
    elif seconds < 86400:
        amount = f"{int(seconds // 3600)}h"
    elif seconds < 365 * 86400:
        amount = f"{int(seconds // 86400)}d"
    else:
        amount = f"{int(seconds // (365 * 86400))}y"
    return f"in {amount}" if future else f"{amount} ago"


def short_duration(seconds: float | None) -> str:
    """``"42s"``, ``"4m 05s"``, ``"1h 02m"``, ``"2d 03h"``; ``None`` gives ``"—"``."""
    if seconds is None:
        return "—"
    total = max(0, int(seconds))
    if total < 60:
        return f"{total}s"
    if total < 3600:
        return f"{total // 60}m {total % 60:02d}s"
    if total < 86400:
        return f"{total // 3600}h {total % 3600 // 60:02d}m"
    return f"{total // 86400}d {total % 86400 // 3600:02d}h"


def redact(text: str, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """Mask tokens and secrets: :func:`c66tui.redaction.redact` (the one redaction
    point, with its registry of known secrets), plus the exact ``secrets`` given."""
    return _redact(str(text), tuple(secrets))


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """``"1 stack"``, ``"3 stacks"``, ``"0 stacks"``: a count with its noun agreed."""
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"
