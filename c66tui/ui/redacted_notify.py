"""The one redaction point of every toast: :class:`RedactedNotify`, mixed into the app.

``App.notify`` and every widget's ``notify`` end here, so a server answer that echoes the
token, a code or a revealed value never reaches the screen.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.markup import MarkupError
from textual.markup import escape as escape_markup

from c66tui.text import MASK, redact


def mask_for_screen(text: str, markup: bool = False) -> str:
    """``text`` redacted; with ``markup`` the result is still valid markup.

    When something had to be masked in markup, the plain text is redacted and escaped
    (the styling is dropped): a short secret such as ``b`` inside ``[b]`` must neither
    show nor break the markup.
    """
    masked = redact(str(text)) if text else ""
    if not markup or masked == str(text):
        return masked
    try:
        plain = Content.from_markup(str(text)).plain
    except MarkupError:
        plain = str(text)
    return escape_markup(redact(plain)).replace(MASK, "\\" + MASK)  # a tag to Textual


class RedactedNotify:
    """``notify`` with the message and title redacted (mixed into the App)."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a toast, redacted (see :func:`mask_for_screen`)."""
        message = mask_for_screen(message, markup)
        title = mask_for_screen(title, markup)
        super().notify(  # type: ignore[misc]
            message, title=title, severity=severity, timeout=timeout, markup=markup
        )
