"""Keys typed in one burst land where the user meant them: :func:`route_fast_typing`.

For screens and dialogs whose keys move the focus into a field (a chooser, a filter, an
arguments box): the keys typed right behind such a key belong to that field.
"""

from __future__ import annotations

from textual.events import Key
from textual.screen import Screen
from textual.widgets import Input


async def route_fast_typing(screen: Screen, event: Key, focusing: frozenset[str]) -> bool:
    """Keep a burst of keys together: ``s`` then ``shop-px`` must filter, not pause and run.

    Textual hands every key to the widget that had the focus when the key was *read*; a
    fast typist (or a laggy SSH link) delivers ``s``, ``h``, ``o``, ``p`` in one read, so
    all four reach the table before the ``s`` binding has moved the focus to a field, and
    ``p`` then fires the table's pause key. Call this first in the screen's ``on_key``:

    * a key bound on ``screen`` to one of the ``focusing`` actions (those that move the
      focus into a field, e.g. ``choose_stack``, ``filter``) runs its action right away,
      so the keys behind it see the new focus;
    * a printable key that reaches the screen while an ``Input`` has the focus (an
      ``Input`` never lets one bubble, so it was meant for the field) is typed into it.

    Returns whether the key was taken.
    """
    focused = screen.focused
    if isinstance(focused, Input):
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            focused.insert_text_at_cursor(event.character)
            return True
        return False
    active = screen.active_bindings.get(event.key)
    if active is None or not active.enabled or active.node is not screen:
        return False
    if active.binding.action not in focusing:
        return False
    event.stop()
    event.prevent_default()
    await screen.run_action(active.binding.action)
    return True
