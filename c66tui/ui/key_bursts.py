"""Keys typed ahead land where the user meant them, in order.

Textual hands a key to the widget that has the focus when the app *reads* the key. A fast
typist, a paste or a laggy SSH link delivers ``/shop⏎s`` in one read: all six keys are
handed out before ``/`` has opened the filter, ``⏎`` has closed it again, or a screen
pushed by a key has taken the focus. The letters then run list keys, or ``s`` lands in
the filter.

:class:`KeyBursts` (mixed into the app) delivers one key at a time: a key is handed to
the focused widget, and the keys behind it wait until it has been handled all the way up
the widget tree (bindings included), a screen it pushed or switched to has been set up
and has its focus, and no screen is still *opening* (:meth:`KeyBursts.hold_keys`). Then
the next key is read against the focus that is there by then. A key that nothing settles
for :data:`SETTLE_TIMEOUT` seconds lets the next one through, so keys are never stuck.

Screens that open something after an await (a dialog shown once its data is loaded) call
``self.app.hold_keys()`` first and the returned ``release()`` once it is up (or did not
open); keys typed meanwhile go to it.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any

from textual import events
from textual.message_pump import MessagePump

SETTLE_TIMEOUT = 1.0
"""Seconds a key may take to settle before the next key is let through anyway."""

HOLD_TIMEOUT = 10.0
"""Seconds a :meth:`KeyBursts.hold_keys` holds keys at most (a release that never comes)."""


class _Settled(events.Event):
    """The key in flight has been handled; deliver the next one."""

    bubble = False

    def __init__(self, generation: int) -> None:
        super().__init__()
        self.generation = generation


class KeyBursts:
    """App mixin: keys are delivered one at a time (see the module docstring)."""

    _held: deque[events.Event] | None = None
    _in_flight = False
    _generation = 0
    _holds = 0

    def _held_keys(self) -> deque[events.Event]:
        if self._held is None:
            self._held = deque()
        return self._held

    @property
    def keys_waiting(self) -> int:
        """How many typed-ahead keys are waiting for their turn."""
        return len(self._held or ())

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            held = self._held_keys()
            if self._in_flight or self._holds or held:
                held.append(event)
                return
            await self._deliver(event)
            return
        if isinstance(event, _Settled):
            if event.generation == self._generation:
                self._in_flight = False
                await self._deliver_held()
            return
        await super().on_event(event)  # type: ignore[misc]

    async def _deliver(self, event: events.Event) -> None:
        app: Any = self
        before = app.screen if app._screen_stacks else None
        await super().on_event(event)  # type: ignore[misc]
        if not event.is_forwarded:
            return  # a priority binding took it, on the app's own turn
        self._in_flight = True
        self._generation += 1
        generation = self._generation
        target = app.focused or app.screen
        app.run_worker(
            self._settle(event, target, before, generation),
            group="key-bursts",
            exit_on_error=False,
        )

    async def _deliver_held(self) -> None:
        held = self._held_keys()
        while held and not self._in_flight and not self._holds:
            await self._deliver(held.popleft())

    async def _settle(
        self, event: events.Event, target: MessagePump, before: Any, generation: int
    ) -> None:
        """Wait until ``event`` has been through every node from ``target`` up to the app,
        and a screen it opened is ready; then tell the app to deliver the next key."""
        app: Any = self
        try:
            async with asyncio.timeout(SETTLE_TIMEOUT):
                node: MessagePump | None = target
                while node is not None:
                    await _turn(node)
                    node = node._parent
                for _ in range(4):  # a pushed screen mounts, then takes the focus
                    screen = app.screen
                    await _turn(screen)
                    await _turn(app)
                    if app.screen is screen and (screen is before or screen.is_mounted):
                        break
                await _idle_screen(app)
        except TimeoutError:
            pass
        finally:
            app.post_message(_Settled(generation))

    def hold_keys(self) -> Callable[[], None]:
        """Hold every key typed from now on until the returned ``release()`` is called
        (at most :data:`HOLD_TIMEOUT` seconds): for a screen that opens after an await."""
        app: Any = self
        self._holds += 1
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            self._holds -= 1
            app.post_message(_Settled(self._generation if not self._in_flight else -1))

        app.set_timer(HOLD_TIMEOUT, release)
        return release


async def _turn(node: MessagePump) -> None:
    """Wait until ``node`` has handled every message queued on it so far."""
    done = asyncio.Event()
    if node.call_later(done.set):
        await done.wait()


async def _idle_screen(app: Any) -> None:
    """Wait until every widget of the current screen has handled its queued messages."""
    nodes = list(app.screen.walk_children(with_self=True))
    events_done = []
    for node in nodes:
        done = asyncio.Event()
        if node.call_later(done.set):
            events_done.append(done.wait())
    if events_done:
        await asyncio.gather(*events_done)
