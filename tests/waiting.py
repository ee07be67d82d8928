"""Waiting in tests: until a condition holds, or until the app has nothing left to do.

Every wait is event-based with a deadline (never a fixed sleep before an assertion):

* :func:`until` (async, in Pilot and asyncio tests) and :func:`until_sync` (end-to-end
  tests) poll a condition and fail with a message naming what was awaited;
* :func:`until_idle` waits until the app is idle: no worker running, no request in flight
  in the sandbox, and no timer of the app due within ``horizon`` seconds (its poll and
  reload timers are one-shot ``set_timer`` calls, its re-plan a repeating ``set_interval``;
  :data:`TIMERS` watches both). A check
  that "nothing more was sent" belongs after :func:`until_idle`, not after a time window:
  a late duplicate request would be a worker, an answer in flight or a due timer.

The deadlines are generous (a busy two-core machine): they bound a failure, they are never
what a passing test waits for.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TIMEOUT = 20.0
"""Seconds before a wait fails the test (reached only when the awaited thing never comes)."""

STEP = 0.01
"""Seconds between two looks at the condition."""

IDLE_HORIZON = 2.0
"""A timer due within this many seconds keeps the app from counting as idle."""


def _describe(condition: Callable[[], Any], what: str) -> str:
    return what or getattr(condition, "__name__", "") or repr(condition)


async def until(
    pilot, condition: Callable[[], Any], *, timeout: float = DEFAULT_TIMEOUT, what: str = ""
) -> None:
    """Let the app (or, with ``pilot=None``, the event loop) run until ``condition()``
    holds; fail the test with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached in {timeout:g} s: {_describe(condition, what)}")
        if pilot is None:
            await asyncio.sleep(STEP)
        else:
            await pilot.pause(STEP)


def until_sync(
    condition: Callable[[], Any],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    what: str = "",
    step: float = 0.05,
    describe: Callable[[], str] | None = None,
) -> Any:
    """Poll ``condition()`` until it returns something true; return that value.

    Fails after ``timeout`` seconds with ``what`` and, when given, ``describe()`` (what
    the test saw last, such as the screen).
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            seen = f"; last seen:\n{describe()}" if describe else ""
            awaited = _describe(condition, what)
            raise AssertionError(f"not reached in {timeout:g} s: {awaited}{seen}")
        time.sleep(step)


@dataclass
class _Pending:
    due: float
    interval: float | None = None
    """Seconds between two calls of a repeating timer (``None``: a one-shot timer)."""
    fired: bool = False
    stopped: bool = False
    paused: bool = False

    def resume(self, now: float) -> None:
        """Resumed, a timer whose moment passed while paused fires at once."""
        self.paused = False
        self.due = max(self.due, now)

    def live(self) -> bool:
        return not self.stopped and not (self.fired and self.interval is None)


@dataclass
class TimerWatch:
    """The timers of the app's own code started since :meth:`install`, and when each is
    due next: one-shot ones (``set_timer``: the poll and reload timers) until they fire or
    are stopped, repeating ones (``set_interval``: the 30 s re-plan of the stacks screen)
    until stopped, each next due one interval after its last call, paused ones not due.
    A repeating timer whose interval is within the idle horizon is a redraw ticker (the
    deploy panel's one-second clock), which would keep the app busy for ever: polls are
    never that frequent, so it is not counted. Installed for every UI test by
    ``tests/ui/conftest.py``."""

    pending: list[_Pending] = field(default_factory=list)

    def install(self, monkeypatch, pump_class, package: str = "c66tui") -> None:
        """Watch the ``set_timer`` and ``set_interval`` calls of ``pump_class`` (Textual's
        ``MessagePump``) whose callback is ``package``'s code (Textual's own toasts,
        tooltips and cursor blinks are not polls). Only public methods are wrapped."""
        self.pending.clear()
        original_timer = pump_class.set_timer
        original_interval = pump_class.set_interval
        watch = self

        def ours(callback) -> bool:
            module = getattr(callback, "__module__", None) or ""
            return module == package or module.startswith(package + ".")

        def watched(timer, entry: _Pending):
            for name, change in (
                ("stop", lambda: setattr(entry, "stopped", True)),
                ("pause", lambda: setattr(entry, "paused", True)),
                ("resume", lambda: entry.resume(time.monotonic())),
                ("reset", lambda: setattr(entry, "due", time.monotonic() + (entry.interval or 0))),
            ):
                method = getattr(timer, name)

                def wrapper(method=method, change=change):
                    change()
                    return method()

                setattr(timer, name, wrapper)
            return timer

        def calling(entry: _Pending, callback):
            def wrapped():
                entry.fired = True
                if entry.interval is not None:
                    entry.due = time.monotonic() + entry.interval
                return callback()

            return wrapped

        def set_timer(node, delay, callback=None, *, name=None, pause=False):
            if not ours(callback):
                return original_timer(node, delay, callback, name=name, pause=pause)
            entry = _Pending(due=time.monotonic() + delay, paused=pause)
            watch.pending.append(entry)
            timer = original_timer(node, delay, calling(entry, callback), name=name, pause=pause)
            return watched(timer, entry)

        def set_interval(node, interval, callback=None, *, name=None, repeat=0, pause=False):
            if not ours(callback):
                return original_interval(
                    node, interval, callback, name=name, repeat=repeat, pause=pause
                )
            entry = _Pending(due=time.monotonic() + interval, interval=interval, paused=pause)
            watch.pending.append(entry)
            timer = original_interval(
                node, interval, calling(entry, callback), name=name, repeat=repeat, pause=pause
            )
            return watched(timer, entry)

        monkeypatch.setattr(pump_class, "set_timer", set_timer)
        monkeypatch.setattr(pump_class, "set_interval", set_interval)

    def due_within(self, horizon: float) -> list[float]:
        """Seconds until each live timer due within ``horizon`` (overdue ones count for a
        short grace, in case the loop is busy; a timer whose node went away without firing
        it stops counting after that grace)."""
        now = time.monotonic()
        self.pending[:] = [p for p in self.pending if p.live()]
        return [
            p.due - now
            for p in self.pending
            if not p.paused
            and (p.interval is None or p.interval > horizon)
            and -1.0 < p.due - now <= horizon
        ]


TIMERS = TimerWatch()
"""The watch :func:`until_idle` consults (reset and installed before each UI test)."""


def requests_in_flight(sandbox) -> list[dict]:
    """Requests the sandbox (a server fixture or a ``Sandbox``) has not answered yet."""
    world = getattr(sandbox, "sandbox", sandbox)
    with world.lock:
        return [dict(e) for e in world.request_log if not e.get("done", True)]


def busy_reasons(
    app, sandbox=None, *, horizon: float = IDLE_HORIZON, waiting: tuple[str, ...] = ()
) -> list[str]:
    """Why the app is not idle (empty when it is). Workers whose group starts with one of
    ``waiting`` are taken as waiting on the user (a dialog they opened is still up)."""
    reasons = [
        f"worker {w.name or w.group!r}"
        for w in app.workers
        if not w.is_finished and not (waiting and (w.group or "").startswith(waiting))
    ]
    if sandbox is not None:
        reasons += [f"{e['method']} {e['path']} in flight" for e in requests_in_flight(sandbox)]
    reasons += [f"timer due in {s:.2f} s" for s in TIMERS.due_within(horizon)]
    return reasons


async def until_idle(
    pilot,
    app=None,
    sandbox=None,
    *,
    horizon: float = IDLE_HORIZON,
    timeout: float = DEFAULT_TIMEOUT,
    rounds: int = 3,
    waiting: tuple[str, ...] = (),
) -> None:
    """Wait until ``app`` (the pilot's app by default) is idle for ``rounds`` looks in a
    row, each after the message queue has drained: no worker running, no request to
    ``sandbox`` in flight, no timer of the app due within ``horizon`` seconds (workers of the
    ``waiting`` groups, which wait for a dialog the test keeps open, are not counted)."""
    app = app if app is not None else pilot.app
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < rounds:
        await pilot.pause()
        reasons = busy_reasons(app, sandbox, horizon=horizon, waiting=waiting)
        if not reasons:
            quiet += 1
            continue
        quiet = 0
        if time.monotonic() > deadline:
            raise AssertionError(f"app not idle after {timeout:g} s: {', '.join(reasons)}")
        await pilot.pause(STEP)
