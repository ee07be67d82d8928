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
