"""Check boxes and radio buttons whose state reads without colour.

Textual draws a ticked and an unticked box with the same glyph and tells them apart by
colour alone, which ``NO_COLOR`` and monochrome terminals lose. These draw a different
glyph for each state.
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class LegibleCheckbox(Checkbox):
    """``X`` when ticked, blank when not."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - Textual reads this class attribute name
        return "X" if self.value else " "


class LegibleRadioButton(RadioButton):
    """``●`` when chosen, ``○`` when not (in ASCII-only mode the app's output filter,
    :class:`~c66tui.ui.ascii_filter.AsciiFilter`, draws them as ``*`` and ``o``)."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - Textual reads this class attribute name
        return "●" if self.value else "○"
