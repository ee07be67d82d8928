"""The sandbox's virtual clock.

Time runs with the real monotonic clock (unless frozen) plus a manual offset that tests
and the control endpoints move forward with :meth:`VirtualClock.advance`. Timestamps are
plain epoch seconds (floats); :mod:`c66tui.sandbox.envelope` formats them.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime


class VirtualClock:
    """Real elapsed time (optional) plus a manual offset, starting at ``start``."""

    def __init__(self, start: float | None = None, *, realtime: bool = True) -> None:
        self.start = float(int(time.time())) if start is None else float(start)
        self.realtime = realtime
        self._mono0 = time.monotonic()
        self.offset = 0.0

    def now(self) -> float:
        """Current virtual time in epoch seconds."""
        elapsed = time.monotonic() - self._mono0 if self.realtime else 0.0
        return self.start + elapsed + self.offset

    def advance(self, seconds: float) -> None:
        """Move virtual time forward (negative values are refused)."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        self.offset += float(seconds)

    def advance_to(self, moment: float) -> None:
        """Move virtual time forward to at least ``moment``."""
        gap = moment - self.now()
        if gap > 0:
            self.offset += gap


def to_epoch(value: datetime | float | int | None) -> float | None:
    """Epoch seconds for a datetime (naive means UTC) or a number."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.timestamp()
    return float(value)
