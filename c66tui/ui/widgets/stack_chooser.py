"""A one-line stack picker with type-to-filter, for screens that work on one stack.

Closed, it shows the chosen stack (name, environment, account) on one line. Focus it and
press ``enter``/``space`` or just start typing, or call :meth:`StackChooser.open`: a filter
field and a list of matching stacks drop down over the content below. ``up``/``down``/
``pageup``/``pagedown`` move in the list, ``enter`` picks, ``esc`` closes without a change.
Each of these keys has an id (``stack_chooser.open``, ``.up``, ``.page_down``...) and can
be remapped in ``config.toml``.

Interface::

    chooser = StackChooser(id="stack-chooser")
    chooser.set_stacks(stacks, selected_uid=uid)   # list[Stack]; keeps the choice if present
    chooser.stack                                   # the chosen Stack, or None
    chooser.select(uid)                             # choose programmatically (no message)
    chooser.open(initial="sh")                      # drop the list down, filter pre-filled

    @on(StackChooser.Changed)                       # the user picked another stack
    def _stack_changed(self, event): event.stack

    @on(StackChooser.Closed)                        # the list closed (picked or not)
    def _chooser_closed(self, event): ...           # e.g. focus the table again

Stack names, environments and accounts are shown literally (sanitised, never markup).
The filter matches every word of the query against name, environment and account
(:func:`c66tui.ops.stack_search.filter_stacks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Key
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from c66tui.api.models import Stack
from c66tui.ops.stack_search import filter_stacks
from c66tui.text import sanitize

MAX_SHOWN = 200
"""Matches listed at once; typing more narrows the rest down."""


def stack_label(stack: Stack, *, name_width: int = 0, env_width: int = 0) -> Text:
    """``name  environment  account`` as literal text; production is marked in words.

    ``name_width``/``env_width`` pad (or cut) the first two parts so a list lines up.
    """
    text = Text(no_wrap=True, overflow="ellipsis")
    name = sanitize(stack.name)
    if name_width:
        name = name[: name_width - 1] + "…" if len(name) > name_width else name.ljust(name_width)
    text.append(name, style="bold")
    env = sanitize(stack.environment)
    env = env.upper() if stack.is_production else env
    if env or env_width:
        text.append("  ")
        text.append(env.ljust(env_width))
    if stack.account_name:
        text.append("  ")
        text.append(sanitize(stack.account_name), style="dim")
    return text


class _ChooserList(OptionList, can_focus=False):
    """The drop-down list; the filter field keeps the focus while it is open."""


class _ChooserInput(Input):
    """The filter field; shows its keys in the footer while the list is open."""

    BINDINGS = [Binding("enter", "submit", "Choose", id="stack_chooser.choose")]


class StackChooser(Widget, can_focus=True):
    """Pick one stack from a list, filtering as you type."""

    DEFAULT_CSS = """
    StackChooser {
        height: 1;
        width: 1fr;
        background: $panel;
        padding: 0 1;
        &:focus { background: $primary 30%; }
        /* Open, the list covers the screen's full width: nothing of the table behind
           it shows at its edges. */
        &.-open { height: 1; padding: 0; }
        & > #stack-chooser-current { width: 1fr; height: 1; }
        & > #stack-chooser-input {
            display: none;
            height: 1;
            border: none;
            padding: 0 1;
            background: $surface;
        }
        & > #stack-chooser-list {
            display: none;
            overlay: screen;
            constrain: none inside;
            width: 1fr;
            height: auto;
            max-height: 12;
            border: tall $primary;
            background: $surface;
        }
        &.-open > #stack-chooser-current { display: none; }
        &.-open > #stack-chooser-input { display: block; }
        &.-open > #stack-chooser-list { display: block; }
    }
    """

    # Every key has an id, so [preferences.keymap] in config.toml can remap it.
    BINDINGS = [
        Binding("enter,space", "open", "Choose stack", show=False, id="stack_chooser.open"),
        Binding("escape", "close", "Close", id="stack_chooser.close"),
        Binding("up", "move(-1)", "Up", show=False, id="stack_chooser.up"),
        Binding("down", "move(1)", "Down", show=False, id="stack_chooser.down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="stack_chooser.page_up"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="stack_chooser.page_down"),
    ]

    is_open: reactive[bool] = reactive(False, toggle_class="-open", bindings=True)
    """Whether the filter field and list are showing."""

    @dataclass
    class Changed(Message):
        """The user chose another stack."""

        chooser: StackChooser
        stack: Stack

        @property
        def control(self) -> StackChooser:
            return self.chooser

    @dataclass
    class Closed(Message):
        """The drop-down closed, with or without a new choice."""

        chooser: StackChooser

        @property
        def control(self) -> StackChooser:
            return self.chooser

    def __init__(
        self,
        stacks: Sequence[Stack] = (),
        *,
        selected_uid: str | None = None,
        placeholder: str = "type to filter stacks",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._stacks: list[Stack] = list(stacks)
        self._stack: Stack | None = None
        self._shown: list[Stack] = []
        self._placeholder = placeholder
        self._status = "loading stacks…"
        if selected_uid:
            self._stack = next((s for s in self._stacks if s.uid == selected_uid), None)

    def compose(self) -> ComposeResult:
        yield Static(id="stack-chooser-current", markup=False)
        yield _ChooserInput(
            placeholder=self._placeholder,
            id="stack-chooser-input",
            compact=True,
            select_on_focus=False,
        )
        yield _ChooserList(id="stack-chooser-list", markup=False)

    def on_mount(self) -> None:
        self._show_current()

    # -- public interface ---------------------------------------------------------

    @property
    def stacks(self) -> list[Stack]:
        """Every stack that can be chosen."""
        return list(self._stacks)

    @property
    def stack(self) -> Stack | None:
        """The chosen stack (``None`` until one is chosen)."""
        return self._stack

    def set_stacks(self, stacks: Sequence[Stack], *, selected_uid: str | None = None) -> None:
        """Replace the choices; keeps ``selected_uid`` (or the current choice) when present."""
        self._stacks = list(stacks)
        wanted = selected_uid or (self._stack.uid if self._stack else None)
        self._stack = next((s for s in self._stacks if s.uid == wanted), None)
        if not self._stacks:
            self._status = "no stacks"
        self._show_current()
        if self.is_open:
            self._refilter()

    def set_status(self, status: str) -> None:
        """Text shown while nothing is chosen (e.g. ``"could not load stacks"``)."""
        self._status = status
        self._show_current()

    def select(self, uid: str) -> bool:
        """Choose the stack with ``uid`` without posting :class:`Changed`."""
        found = next((s for s in self._stacks if s.uid == uid), None)
        if found is None:
            return False
        self._stack = found
        self._show_current()
        return True

    def open(self, initial: str = "") -> None:
        """Show the filter field (pre-filled with ``initial``) and the list."""
        field = self.query_one("#stack-chooser-input", Input)
        field.value = initial
        self.is_open = True
        self._refilter()
        # Focus now, not after the queued events: keys typed right behind the one that
        # opened the list must land in the filter, not in whatever had the focus.
        self.screen.set_focus(field)
        field.cursor_position = len(initial)

    def close(self) -> None:
        """Hide the list without changing the choice."""
        if not self.is_open:
            return
        self.is_open = False
        self.screen.set_focus(self)
        self.post_message(self.Closed(self))

    # -- actions ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return not self.is_open
        if action in {"close", "move"}:
            return self.is_open
        return True

    def action_open(self) -> None:
        self.open()

    def action_close(self) -> None:
        self.close()

    def action_move(self, delta: int) -> None:
        options = self.query_one("#stack-chooser-list", _ChooserList)
        if not self._shown:
            return
        current = options.highlighted if options.highlighted is not None else -1
        options.highlighted = max(0, min(len(self._shown) - 1, current + delta))

    # -- internals ----------------------------------------------------------------

    def _show_current(self) -> None:
        if not self.is_mounted:
            return
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Stack ", style="dim")
        if self._stack is None:
            text.append(self._status, style="italic")
        else:
            text.append_text(stack_label(self._stack))
        text.append("  ▾", style="dim")
        self.query_one("#stack-chooser-current", Static).update(text)

    def _refilter(self) -> None:
        query = self.query_one("#stack-chooser-input", Input).value
        matches = filter_stacks(self._stacks, query)
        self._shown = matches[:MAX_SHOWN]
        options = self.query_one("#stack-chooser-list", _ChooserList)
        name_width = min(32, max((len(s.name) for s in self._shown), default=0))
        env_width = min(16, max((len(s.environment) for s in self._shown), default=0))
        with self.app.batch_update():
            options.clear_options()
            options.add_options(
                Option(stack_label(s, name_width=name_width, env_width=env_width), id=s.uid)
                for s in self._shown
            )
            if len(matches) > MAX_SHOWN:
                more = Text(f"… {len(matches) - MAX_SHOWN} more, keep typing", style="dim")
                options.add_option(Option(more, disabled=True))
            if not matches:
                options.add_option(Option(Text("no stack matches", style="italic"), disabled=True))
        if self._shown:
            index = 0
            if not query and self._stack is not None:
                index = next((i for i, s in enumerate(self._shown) if s.uid == self._stack.uid), 0)
            options.highlighted = index

    def _choose_highlighted(self) -> None:
        options = self.query_one("#stack-chooser-list", _ChooserList)
        index = options.highlighted
        if index is None or not (0 <= index < len(self._shown)):
            self.app.bell()
            return
        self._pick(self._shown[index])

    def _pick(self, stack: Stack) -> None:
        changed = self._stack is None or stack.uid != self._stack.uid
        self._stack = stack
        self._show_current()
        self.is_open = False
        self.screen.set_focus(self)
        if changed:
            self.post_message(self.Changed(self, stack))
        self.post_message(self.Closed(self))

    @on(Input.Changed, "#stack-chooser-input")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.is_open:
            self._refilter()

    @on(Input.Submitted, "#stack-chooser-input")
    def _query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose_highlighted()

    @on(OptionList.OptionSelected, "#stack-chooser-list")
    def _option_clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        if 0 <= index < len(self._shown):
            self._pick(self._shown[index])

    def on_key(self, event: Key) -> None:
        """Typing on the closed chooser opens it with that character as the filter."""
        if not self.is_open and self.has_focus and event.is_printable and event.character:
            if event.character.strip():
                event.stop()
                event.prevent_default()
                self.open(initial=event.character)

    def on_descendant_blur(self) -> None:
        # Focus moved elsewhere (tab, mouse): fold the list away.
        self.call_after_refresh(self._close_if_unfocused)

    def _close_if_unfocused(self) -> None:
        if self.is_open and not self.has_focus_within and not self.has_focus:
            self.is_open = False
            self.post_message(self.Closed(self))
