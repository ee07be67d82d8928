"""Maintenance mode on or off: the one write the Settings screen's toggle and
``c66tui maintenance`` both send (journalled, single flight, never resent).

The request is :meth:`~c66tui.api.client.Cloud66Client.set_maintenance_mode`: on an
``/api/3`` base a ``maintenance_mode`` stack action to follow, on a legacy ``/api/2``
base the legacy ``POST /stacks/{uid}/maintenance_mode``, applied at once.
"""

from __future__ import annotations

from typing import Any

from c66tui.api.models import Stack
from c66tui.ops.setting_writes import Write

MAINTENANCE_KEY = "maintenance.mode"
"""The stack setting that holds the mode (its single-flight key names it)."""
MAINTENANCE_SCOPE = "redeploy"
"""The scope the change needs (the documented scope of the stack actions)."""


def flight_key(stack: Stack) -> str:
    """The single-flight key of a maintenance change on ``stack`` (as the settings tab)."""
    return f"setting:{stack.uid}:{MAINTENANCE_KEY}"


def maintenance_write(stack: Stack, turn_on: bool) -> Write:
    """The journalled write that turns maintenance mode of ``stack`` on or off."""
    state = "on" if turn_on else "off"

    async def send(api: Any) -> Any:
        return await api.set_maintenance_mode(stack.uid, turn_on)

    return Write(
        kind="maintenance",
        flight_key=flight_key(stack),
        stack=stack,
        what=f"maintenance mode {state} for {stack.name}",
        send=send,
        params={"maintenance_mode": turn_on},
    )
