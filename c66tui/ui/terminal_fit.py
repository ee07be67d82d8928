"""How the app adapts to the terminal it runs in (jump hosts: small, plain, remote).

:class:`TerminalFit` is mixed into the app class. In ASCII-only mode it puts the
``-ascii-only`` class on the app (ASCII borders in ``app.tcss``) and adds
:class:`~c66tui.ui.ascii_filter.AsciiFilter` to the line filters. Over SSH it suggests
low-bandwidth mode once (:mod:`c66tui.ops.low_bandwidth`). Below the usable size it covers every
screen (dialogs included) with a :class:`~c66tui.ui.widgets.too_small.TooSmallNotice`
and holds back keys and mouse input, so nothing can be changed blind; only ``q`` /
``ctrl+q`` (quit) and ``ctrl+l`` (redraw) still work. When the terminal grows the notices
go and the app is exactly as it was: nothing below them was touched.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

from textual import events
from textual.filter import LineFilter
from textual.screen import Screen

from c66tui.ops import low_bandwidth
from c66tui.ui.ascii_filter import AsciiFilter
from c66tui.ui.widgets.too_small import TooSmallNotice, is_too_small

KEYS_WHILE_TOO_SMALL = {"ctrl+q", "ctrl+l"}
"""Keys handled as usual while the terminal is too small (``q`` quits too)."""


ASCII_CLASS = "-ascii-only"
"""Class on the app in ASCII-only mode; ``app.tcss`` draws ASCII borders under it."""


class TerminalFit:
    """App mixin: ASCII-only output, the SSH suggestion and the too-small guard (see the
    module docstring)."""

    terminal_too_small = False
    """True while the terminal is below the usable size."""

    ascii_only = False
    """ASCII-only output for this run (``--ascii`` or the preference, read at start)."""

    _ascii_filter: AsciiFilter | None = None

    def on_load(self) -> None:
        # Before the first screen is composed, so nothing is drawn the other way first.
        app: Any = self
        preferences = getattr(getattr(app, "services", None), "preferences", None)
        self.ascii_only = bool(getattr(preferences, "ascii_only", False))
        if self.ascii_only:
            self._ascii_filter = AsciiFilter()
            app.add_class(ASCII_CLASS)

    def get_line_filters(self) -> Sequence[LineFilter]:
        filters = super().get_line_filters()  # type: ignore[misc]
        if self._ascii_filter is None:
            return filters
        return [*filters, self._ascii_filter]

    def on_mount(self) -> None:
        app: Any = self
        app.screen_change_signal.subscribe(app, self._screen_changed)
        self._fit_to(app.size.width, app.size.height)
        app.run_worker(
            self._suggest_low_bandwidth,
            thread=True,
            group="low-bandwidth-hint",
            exit_on_error=False,
        )

    def _suggest_low_bandwidth(self) -> None:
        """Over SSH, say once how to turn low-bandwidth mode on (never turn it on)."""
        app: Any = self
        preferences = getattr(getattr(app, "services", None), "preferences", None)
        if not low_bandwidth.ssh_hint_due(preferences):
            return
        app.call_from_thread(
            app.notify, low_bandwidth.SSH_HINT, title="Slow link?", timeout=20, markup=False
        )
        low_bandwidth.remember_hint_shown()

    def on_resize(self, event: events.Resize) -> None:
        # Runs before Textual resizes the screens; the notice is in place for that frame.
        self._fit_to(event.size.width, event.size.height)

    def _screen_changed(self, screen: Screen) -> None:
        if self.terminal_too_small:
            size = self.size  # type: ignore[attr-defined]
            self._fit_to(size.width, size.height)

    def _fit_to(self, width: int, height: int) -> None:
        """Cover the current screen while ``width`` x ``height`` is too small; else uncover."""
        notices = self._too_small_notices()
        if not width or not height:
            return
        self.terminal_too_small = is_too_small(width, height)
        if not self.terminal_too_small:
            for notice in list(notices):
                if notice.is_attached:
                    notice.remove()
            notices.clear()
            return
        for notice in notices:
            if notice.is_attached:
                notice.show_size(width, height)
        try:
            screen: Screen = self.screen  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - no screen yet: the first screen change covers it
            return
        if not screen.query_children(TooSmallNotice) and not screen._pruning:
            notice = TooSmallNotice(width, height)
            notices.add(notice)
            screen.mount(notice)

    def _too_small_notices(self) -> weakref.WeakSet[TooSmallNotice]:
        notices = self.__dict__.get("_too_small")
        if notices is None:
            notices = self.__dict__["_too_small"] = weakref.WeakSet()
        return notices

    async def on_event(self, event: events.Event) -> None:
        """Hold back input aimed at a screen the user cannot see (see the module docstring)."""
        held = isinstance(event, (events.InputEvent, events.Paste)) and not getattr(
            event, "is_forwarded", False
        )
        if self.terminal_too_small and held:
            if isinstance(event, events.Key) and event.key == "q":
                await self.run_action("quit")  # type: ignore[attr-defined]
            elif isinstance(event, events.Key) and event.key in KEYS_WHILE_TOO_SMALL:
                await super().on_event(event)  # type: ignore[misc]
            return
        await super().on_event(event)  # type: ignore[misc]
