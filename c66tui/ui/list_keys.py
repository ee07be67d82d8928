"""List keys on every list: ``j``/``k`` move the cursor, ``g``/``Home`` go to the first row
and ``G``/``End`` to the last (sideways scrolling stays on ``←``/``→``).

The bindings are the app's, with priority, so they reach a table before its own ``Home``
and ``End`` (which scroll sideways); when the focus is not on a list (a field, a button,
a check box) the action steps aside (:class:`~textual.actions.SkipAction`) and the key is
typed or handled as usual. Scrolling panes (the help) scroll instead.
"""

from __future__ import annotations

from typing import Any

from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.widgets import DataTable, OptionList

LIST_BINDINGS = [
    Binding("j", "list_move('down')", "Down", show=False, priority=True, id="list.down"),
    Binding("k", "list_move('up')", "Up", show=False, priority=True, id="list.up"),
    Binding(
        "g,home",
        "list_move('first')",
        "First row",
        key_display="g/home",
        show=False,
        priority=True,
        id="list.first",
    ),
    Binding(
        "G,end",
        "list_move('last')",
        "Last row",
        key_display="G/end",
        show=False,
        priority=True,
        id="list.last",
    ),
]
"""Added to the app's bindings."""


def move_in_list(widget: Any, where: str) -> bool:
    """Move ``widget``'s cursor (``down``, ``up``, ``first``, ``last``); False when it is
    not a list or scrolling pane."""
    if isinstance(widget, DataTable):
        if not widget.row_count:
            return True
        if where == "down":
            widget.action_cursor_down()
        elif where == "up":
            widget.action_cursor_up()
        else:
            row = 0 if where == "first" else widget.row_count - 1
            widget.move_cursor(row=row, column=widget.cursor_column, animate=False)
        return True
    if isinstance(widget, OptionList):
        actions = {"down": "cursor_down", "up": "cursor_up", "first": "first", "last": "last"}
        getattr(widget, f"action_{actions[where]}")()
        return True
    if isinstance(widget, ScrollableContainer):
        actions = {"down": "scroll_down", "up": "scroll_up", "first": "scroll_home"}
        getattr(widget, f"action_{actions.get(where, 'scroll_end')}")()
        return True
    return False


class ListKeys:
    """App mixin: the action behind :data:`LIST_BINDINGS`."""

    def action_list_move(self, where: str) -> None:
        app: Any = self
        if app.screen.focused is None or not move_in_list(app.screen.focused, where):
            raise SkipAction()
