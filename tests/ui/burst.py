"""Keys delivered the way a fast typist or a laggy SSH link delivers them: all at once.

Textual hands every key to the widget that had the focus when the key was read, so keys
queued together (not pressed one by one with pauses, as ``pilot.press`` does) show whether
a key that moves the focus lets the keys behind it follow.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from textual import events
from textual.keys import ASCII_KEY_NAMES, KEY_NAME_REPLACEMENTS


def key_of(char: str) -> tuple[str, str]:
    """The (key name, character) of one typed character, named as Textual names it: the
    character itself, else its Unicode name in snake case (``-`` is ``minus``)."""
    if char.isalnum():
        return char, char
    try:
        name = unicodedata.name(char).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        name = ASCII_KEY_NAMES.get(char, char)
    return KEY_NAME_REPLACEMENTS.get(name, name), char


def queue_keys(app, keys: Iterable[tuple[str, str]]) -> None:
    """Put every (key name, character) into the app's input at once."""
    for name, char in keys:
        event = events.Key(name, char)
        event.set_sender(app)
        app.post_message(event)


async def type_fast(app, pilot, text: str) -> None:
    """Type ``text`` in one burst, then let the app handle it."""
    queue_keys(app, (key_of(char) for char in text))
    await pilot.pause()
    await pilot.pause()
