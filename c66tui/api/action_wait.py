"""Following an asynchronous action until it finishes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from .errors import ActionTimeoutError
from .models import Action


async def wait_for_action(
    get_action: Callable[[], Awaitable[Action]],
    *,
    interval: float = 2.0,
    max_interval: float = 10.0,
    timeout: float = 600,
    on_poll: Callable[[Action], None] | None = None,
) -> Action:
    """Poll ``get_action`` until the action finishes; the waits grow from ``interval`` by
    half each time up to ``max_interval``.

    Raises :class:`ActionTimeoutError` (with the last state) after ``timeout`` seconds.
    Cancel the awaiting task to stop early; the action itself carries on.
    """
    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeout
    wait = max(0.0, interval)
    while True:
        action = await get_action()
        if on_poll is not None:
            on_poll(action)
        if action.is_finished:
            return action
        left = give_up - loop.time()
        if left <= 0:
            raise ActionTimeoutError(
                f"The action is still running after {timeout:g} seconds. It carries on "
                "at Cloud 66; check it again later.",
                action=action,
            )
        await asyncio.sleep(min(wait, left))
        wait = min(max_interval, max(wait * 1.5, 0.01))
