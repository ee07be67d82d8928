"""Keys typed ahead into a dialog that is still opening.

When a dialog is pushed from a key's handler, the keys behind that key in the same burst
(``r``, the stack's name and ``enter`` sent at once over a laggy link, or pasted) reach
the dialog before anything in it has the focus: Textual hands them to the screen itself,
where no field sees them. :class:`TypeAhead` remembers which keys came that way and, once
the dialog is open, delivers them to the field that has the focus, in order: letters are
typed into it, ``backspace`` deletes, ``enter`` submits it. Keys that reach the dialog
from a focused widget are left alone.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input


class TypeAhead:
    """Mixin for a dialog screen (listed before the screen class); call
    :meth:`deliver_typed_ahead` first in ``on_key``.

    It is a plain class, not a ``Screen``: Textual takes a screen's CSS and type names
    from the first widget class among its bases, which must be the screen's own.
    """

    _typed_ahead: set[int]
    focused: Any

    def _forward_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            if not hasattr(self, "_typed_ahead"):
                self._typed_ahead = set()
            self._typed_ahead.add(id(event))
        super()._forward_event(event)  # type: ignore[misc]

    async def deliver_typed_ahead(self, event: events.Key) -> bool:
        """Give a key that reached the screen itself to the focused field.

        Returns whether the key was used (the event is then stopped).
        """
        pending = getattr(self, "_typed_ahead", None)
        if not pending or id(event) not in pending:
            return False
        pending.discard(id(event))
        field = self.focused
        if not isinstance(field, Input) or field.disabled:
            return False
        if event.is_printable and event.character:
            field.insert_text_at_cursor(event.character)
        elif event.key == "backspace":
            field.action_delete_left()
        elif event.key == "enter":
            await field.action_submit()
        else:
            return False
        event.stop()
        event.prevent_default()
        return True
