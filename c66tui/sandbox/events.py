"""Timed events on the virtual clock: the part of :class:`~c66tui.sandbox.state.Sandbox`
that schedules deploy phases and async actions and settles them when they fall due.

Time is virtual (see :mod:`.clock`); an event runs once the clock has reached its due
time, whenever the world is read (:meth:`EventQueue.settle`), or at once when a test or a
replay fast-forwards (:meth:`EventQueue.finish_all`, :meth:`EventQueue.run_events_since`).
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from c66tui.sandbox.clock import VirtualClock


@dataclass(order=True)
class _Event:
    due: float
    seq: int
    fn: Callable[[float], None] = field(compare=False)


class EventQueue:
    """Pending timed events (mixed into ``Sandbox``, which sets the attributes declared
    here: the clock, the lock, an empty ``_events`` heap and ``_next_seq`` at 0)."""

    clock: VirtualClock
    lock: threading.RLock
    _events: list[_Event]
    _next_seq: int

    def now(self) -> float:
        """Current virtual time, after settling every event that is due."""
        with self.lock:
            self._settle()
            return self.clock.now()

    def advance(self, seconds: float) -> float:
        """Move virtual time forward and settle what became due; returns the new time."""
        with self.lock:
            self.clock.advance(seconds)
            return self.now()

    def finish_all(self) -> float:
        """Fast-forward the clock through every pending event (deploys, queued deploys,
        actions) so nothing is left running; returns the new time."""
        with self.lock:
            guard = 0
            while self._events and guard < 100_000:
                self.clock.advance_to(self._events[0].due)
                self._settle()
                guard += 1
            return self.clock.now()

    def event_mark(self) -> int:
        """A mark for :meth:`run_events_since`: events scheduled after it are newer."""
        return self._next_seq

    def run_events_since(self, mark: int) -> None:
        """Run at once, at the current time, the events scheduled since ``mark`` (and the
        ones they schedule): a replayed change finishes without waiting."""
        for _ in range(1000):
            newer = sorted(e for e in self._events if e.seq >= mark)
            if not newer:
                return
            self._events = [e for e in self._events if e.seq < mark]
            heapq.heapify(self._events)
            for event in newer:
                event.fn(min(event.due, self.clock.now()))

    def _schedule(self, due: float, fn: Callable[[float], None]) -> None:
        heapq.heappush(self._events, _Event(due, self._next_seq, fn))
        self._next_seq += 1

    def settle(self) -> None:
        """Run every event that is due (call with the lock held)."""
        self._settle()

    def _settle(self) -> None:
        now = self.clock.now()
        while self._events and self._events[0].due <= now:
            event = heapq.heappop(self._events)
            event.fn(event.due)

    @property
    def pending(self) -> int:
        """Number of timed events still waiting."""
        return len(self._events)
