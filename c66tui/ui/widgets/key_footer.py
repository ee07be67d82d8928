"""The footer: the keys that matter on this screen, whole, in the width there is.

Textual's footer lays every shown key out in a row and lets the terminal cut the row
off, so at 80 columns the last keys (help, quit) were lost or cut in half. This one
decides what to show before laying out: the screen's own keys first, then help and quit
(always), then the keys that move between screens (all three, or none), the palette and
refresh, dropping from the least important end until the row fits. Whatever is left out
is still listed by ``?``. A greyed-out key carries its reason as its tooltip
(:mod:`c66tui.ui.key_reasons`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from c66tui.ui.key_reasons import greyed_reason

ALWAYS_SHOWN = ("help", "quit")
"""Actions of the app kept in every footer, at its end."""

PALETTE_WIDTH = 11
"""Cells taken by the command palette key docked at the right (``▏^p palette``)."""

SCREEN, ESSENTIAL, MODES, PALETTE, OTHER = range(5)
"""Kinds of footer keys, most important first."""

DROP_ORDER = (OTHER, PALETTE, MODES, SCREEN)
"""Which kind goes first when the row is too narrow (help and quit never go)."""


@dataclass(frozen=True)
class FooterEntry:
    """One key as the footer will show it."""

    binding: Binding
    key_display: str
    enabled: bool
    tooltip: str
    kind: int

    @property
    def width(self) -> int:
        """Cells taken in the compact footer (key, space, label)."""
        label = f" {self.binding.description}" if self.binding.description else ""
        return len(self.key_display) + len(label)


def short_key_display(display: str, ascii_only: bool, key: str) -> str:
    """The first of several keys (``?/f1`` -> ``?``); key names instead of glyphs in
    ASCII-only mode (``⏎`` -> ``enter``)."""
    if "/" in display[1:]:
        display = display.split("/", 1)[0]
    if ascii_only and not display.isascii():
        display = key.split(",", 1)[0].replace("_", " ")
    return display


def row_width(entries: list[FooterEntry], palette: bool) -> int:
    """Cells the entries take, each followed by a space, plus the palette key."""
    width = sum(entry.width + 1 for entry in entries)
    return width + (PALETTE_WIDTH if palette else 0)


def fit_entries(
    entries: list[FooterEntry], width: int, palette: bool
) -> tuple[list[FooterEntry], bool]:
    """Drop keys (see :data:`DROP_ORDER`) until the row fits ``width`` cells.

    Returns the kept entries, in order, and whether the palette key still fits. The
    keys that switch screens go together: half of them would read as all there is.
    """
    kept = list(entries)
    if width <= 0:
        return kept, palette
    for kind in DROP_ORDER:
        if row_width(kept, palette) <= width:
            break
        if kind == PALETTE:
            palette = False
            continue
        if kind == MODES:
            kept = [entry for entry in kept if entry.kind != MODES]
            continue
        while row_width(kept, palette) > width:
            last = next((e for e in reversed(kept) if e.kind == kind), None)
            if last is None:
                break
            kept.remove(last)
    return kept, palette


class KeyFooter(Footer):
    """A compact footer that never cuts a key in half (see the module docstring)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(**kwargs)
        self._laid_out: tuple | None = None
        """What the keys were last built from: bindings ready, ASCII-only, then the plan
        (:meth:`_plan`)."""
        self._next_plan: tuple[int, list[FooterEntry], Any] | None = None
        """The plan :meth:`recompose` made, for the :meth:`compose` it runs."""

    @property
    def ascii_only(self) -> bool:
        return bool(getattr(self.app, "ascii_only", False))

    def entries(self, active_bindings: dict[str, Any] | None = None) -> list[FooterEntry]:
        """Every key the footer would like to show, in display order (from the screen's
        ``active_bindings`` when given: reading them checks every binding's action)."""
        app = self.app
        if active_bindings is None:
            active_bindings = self.screen.active_bindings
        current_mode = f"switch_mode({app.current_mode!r})"
        ascii_only = self.ascii_only
        seen: set[str] = set()
        screen_keys: list[FooterEntry] = []
        app_keys: list[FooterEntry] = []
        for node, binding, enabled, tooltip in active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            if binding.action == current_mode:
                continue  # the key of the screen already shown does nothing here
            if not isinstance(node, App):
                kind = SCREEN
            elif binding.action in ALWAYS_SHOWN:
                kind = ESSENTIAL
            elif binding.action.startswith("switch_mode("):
                kind = MODES
            else:
                kind = OTHER
            display = short_key_display(app.get_key_display(binding), ascii_only, binding.key)
            if not enabled:  # a greyed-out key says why on hover (key_reasons)
                tooltip = greyed_reason(node, binding.action) or tooltip
            entry = FooterEntry(binding, display, enabled, tooltip or "", kind)
            (screen_keys if kind == SCREEN else app_keys).append(entry)
        order = {MODES: 0, OTHER: 1, ESSENTIAL: 2}
        app_keys.sort(key=lambda entry: order[entry.kind])
        return screen_keys + app_keys

    def _plan(self) -> tuple[int, list[FooterEntry], Any]:
        """What fits now: the width, the keys kept and the palette's active binding (or
        ``None`` when the palette key is left out)."""
        active_bindings = self.screen.active_bindings
        palette = bool(self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE)
        palette_binding = active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        palette = palette and palette_binding is not None
        width = self.size.width
        kept, palette = fit_entries(self.entries(active_bindings), width, palette)
        return width, kept, palette_binding if palette else None

    async def recompose(self) -> None:
        """Rebuild the keys only when what they show changed.

        Textual asks for a rebuild on every binding refresh (focus, cursor and worker
        changes); at start-up that rebuilt the same keys several times before the first
        frame.
        """
        if self.is_attached and not self._pruning:
            plan = self._plan()
            laid_out = (self._bindings_ready, self.ascii_only, *plan)
            if laid_out == self._laid_out:
                return
            self._laid_out = laid_out
            self._next_plan = plan
        try:
            await super().recompose()
        finally:
            self._next_plan = None

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        plan, self._next_plan = self._next_plan or self._plan(), None
        _width, kept, palette_binding = plan
        for entry in kept:
            yield FooterKey(
                entry.binding.key,
                entry.key_display,
                entry.binding.description,
                entry.binding.action,
                disabled=not entry.enabled,
                tooltip=entry.tooltip,
            ).data_bind(compact=Footer.compact)
        if palette_binding is not None:
            _node, binding, enabled, tooltip = palette_binding
            yield FooterKey(
                binding.key,
                short_key_display(self.app.get_key_display(binding), self.ascii_only, binding.key),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
            )

    def on_resize(self, event: events.Resize) -> None:
        laid_out_width = self._laid_out[2] if self._laid_out else 0
        if event.size.width != laid_out_width and self._bindings_ready:
            self.call_after_refresh(self.recompose)
