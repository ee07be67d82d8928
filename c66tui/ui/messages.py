"""Messages that cross screen boundaries."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from c66tui.api.models import Stack


@dataclass
class StackFocused(Message):
    """The stack under the cursor changed (or became ``None``).

    Screens post it so the identity bar can show the environment an action would touch,
    and the jobs and settings screens can default to the same stack.
    """

    stack: Stack | None


class ApiConnected(Message):
    """The app has an API client now.

    At start-up the app paints the first screen (with the cached list) before it builds
    the client; a screen that found ``services.api`` empty loads when this arrives.
    """
