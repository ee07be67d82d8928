"""The settings screen (mode ``settings``, key ``3``).

A stack chooser on top (it starts on the stack in focus elsewhere in the app) and five
tabs: the stack's settings and maintenance mode, its servers' settings, its environment
variables, c66tui's preferences and its profiles. ``]`` and ``[`` move between tabs,
``s`` opens the stack chooser, ``ctrl+r`` reloads the visible tab. Each tab lives in
:mod:`c66tui.ui.widgets.settings_tabs`.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Key
from textual.widgets import Input, Static, TabbedContent, TabPane

from c66tui.api.errors import Cloud66Error
from c66tui.api.models import Stack
from c66tui.text import sanitize
from c66tui.ui.base import MainScreen
from c66tui.ui.key_reasons import explain_greyed_key
from c66tui.ui.messages import StackFocused
from c66tui.ui.widgets.settings_tabs.common import SettingsTab, StackRefreshed
from c66tui.ui.widgets.settings_tabs.env_vars import EnvVarsTab
from c66tui.ui.widgets.settings_tabs.preferences import PreferencesTab
from c66tui.ui.widgets.settings_tabs.profiles import ProfilesTab
from c66tui.ui.widgets.settings_tabs.server_settings import ServerSettingsTab
from c66tui.ui.widgets.settings_tabs.stack_settings import StackSettingsTab
from c66tui.ui.widgets.stack_chooser import StackChooser

TABS: tuple[tuple[str, str, type[SettingsTab]], ...] = (
    ("stack", "Stack", StackSettingsTab),
    ("servers", "Servers", ServerSettingsTab),
    ("env", "Env vars", EnvVarsTab),
    ("prefs", "Preferences", PreferencesTab),
    ("profiles", "Profiles", ProfilesTab),
)
"""Tab id, title and widget class, in display order."""
FOCUSING_ACTIONS = frozenset({"choose_stack"})
"""Actions that move the focus into a field (keys typed right behind them follow)."""


class SettingsTabs(TabbedContent):
    """The settings tabs; a pane's late "a child got the focus" message cannot pull the
    view back to it once the focus has moved on (``]]`` in one burst passes a tab whose
    table had the focus for a moment)."""

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        focused = self.screen.focused
        if focused is None or event.tab_pane not in focused.ancestors_with_self:
            event.stop()
            event.prevent_default()  # Textual's own handler would switch back to the pane


class SettingsScreen(MainScreen):
    """Stack, server and environment settings, and c66tui's own preferences."""

    CSS_PATH = "settings.tcss"
    AUTO_FOCUS = ""
    """The visible tab focuses its own table (not the stack chooser, the first widget)."""

    BINDINGS = [
        # Priority, so the tab (and the focus) has changed before the keys typed right
        # behind are handed on: "]]a" in one burst adds a variable on the Env vars tab.
        Binding(
            "right_square_bracket",
            "next_tab",
            "Next tab",
            key_display="]",
            priority=True,
            id="settings.next_tab",
        ),
        Binding(
            "left_square_bracket",
            "previous_tab",
            "Previous tab",
            key_display="[",
            show=False,
            priority=True,
            id="settings.previous_tab",
        ),
        Binding("s", "choose_stack", "Stack", id="settings.choose_stack"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stacks: dict[str, Stack] = {}
        """Stacks offered by the chooser, by uid."""
        self.stack: Stack | None = None
        """The stack the stack-bound tabs show."""
        self._active_tab: SettingsTab | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="settings-stack-bar"):
            yield StackChooser(id="settings-stack")
            yield Static("", id="settings-stack-info", markup=False)
        with SettingsTabs(id="settings-tabs", initial="tab-stack"):
            for tab_id, title, cls in TABS:
                with TabPane(title, id=f"tab-{tab_id}"):
                    yield cls(id=f"{tab_id}-tab")

    # -- start-up ---------------------------------------------------------------------

    def on_mount(self) -> None:
        focused = self.services.focused_stack
        if focused is not None:
            self.use_stack(focused)
        else:
            self._show_stack_info()
        self.load_stacks()
        self.call_after_refresh(self._activate, self.tab("stack"))

    def tab(self, tab_id: str) -> SettingsTab:
        """The tab widget with id ``tab_id`` (``"stack"``, ``"env"``...)."""
        return self.query_one(f"#{tab_id}-tab", SettingsTab)

    def tabs(self) -> list[SettingsTab]:
        return [self.tab(tab_id) for tab_id, _title, _cls in TABS]

    @work(exclusive=True, group="settings-stacks", exit_on_error=False)
    async def load_stacks(self) -> None:
        """Fill the stack chooser (the stacks screen's list when it has one)."""
        known = list(getattr(self.services, "known_stacks", []) or [])
        if known:
            self._take_stacks(known)
        if self.services.api is None:
            return
        try:
            stacks = await self.services.read(lambda api: api.list_stacks())
        except Cloud66Error as err:
            if not self.stacks:
                self._stack_info(Text(sanitize(f"Could not list stacks: {err}")))
            return
        self._take_stacks(stacks)

    def _take_stacks(self, stacks: list[Stack]) -> None:
        self.stacks = {s.uid: s for s in stacks}
        if self.stack is not None and self.stack.uid not in self.stacks:
            self.stacks[self.stack.uid] = self.stack
        self._set_options()
        if self.stack is None and stacks:
            self.use_stack(stacks[0])

    @property
    def chooser(self) -> StackChooser:
        return self.query_one("#settings-stack", StackChooser)

    def _set_options(self) -> None:
        uid = self.stack.uid if self.stack is not None else None
        self.chooser.set_stacks(list(self.stacks.values()), selected_uid=uid)

    # -- the chosen stack -------------------------------------------------------------

    def use_stack(self, stack: Stack) -> None:
        """Show ``stack`` in every stack-bound tab."""
        changed = self.stack is None or self.stack.uid != stack.uid
        known = stack.uid in self.stacks
        self.stack = stack
        self.stacks[stack.uid] = stack
        if not known:
            self._set_options()
        self.chooser.select(stack.uid)
        self._show_stack_info()
        for tab in self.tabs():
            tab.set_stack(stack)
        if changed:
            self.post_message(StackFocused(stack))

    def _show_stack_info(self) -> None:
        if self.stack is None:
            self._stack_info(Text("Loading stacks…"))
            return
        # The chooser already names the stack and its environment.
        info = Text()
        if self.stack.maintenance_mode:
            info.append("maintenance ON", style="bold reverse")
        else:
            info.append("maintenance off")
        self._stack_info(info)

    def _stack_info(self, text: Text) -> None:
        self.query_one("#settings-stack-info", Static).update(text)

    @on(StackChooser.Changed, "#settings-stack")
    def _stack_chosen(self, event: StackChooser.Changed) -> None:
        event.stop()
        if self.stack is None or event.stack.uid != self.stack.uid:
            self.use_stack(event.stack)

    @on(StackChooser.Closed, "#settings-stack")
    def _chooser_closed(self, event: StackChooser.Closed) -> None:
        event.stop()
        if self._active_tab is not None:
            self._active_tab.focus_main()

    @on(StackRefreshed)
    def _stack_refreshed(self, event: StackRefreshed) -> None:
        event.stop()
        fresh = event.stack
        self.stacks[fresh.uid] = fresh
        if self.stack is not None and self.stack.uid == fresh.uid:
            self.stack = fresh
            for tab in self.tabs():
                tab.stack = fresh
            self._show_stack_info()
            self._set_options()
        self.services.focused_stack = fresh
        self.post_message(StackFocused(fresh))

    def on_screen_resume(self) -> None:
        focused = self.services.focused_stack
        if focused is not None and (self.stack is None or focused.uid != self.stack.uid):
            self.use_stack(focused)
        for tab_id in ("prefs", "profiles"):
            self.tab(tab_id).mark_stale()

    # -- tabs -------------------------------------------------------------------------

    @on(TabbedContent.TabActivated, "#settings-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane_id = event.pane.id or ""
        if pane_id != self.query_one("#settings-tabs", TabbedContent).active:
            return  # a tab shown for a moment in a burst of "]" (already activated)
        self._activate(self.tab(pane_id.removeprefix("tab-")))

    @property
    def active_tab(self) -> SettingsTab | None:
        """The tab shown now (``None`` before the first is shown)."""
        return self._active_tab

    def _activate(self, tab: SettingsTab) -> None:
        if self._active_tab is tab:
            # The tab's late "activated" message (after "]" showed it at once) must not pull
            # the focus back from a field the keys typed behind "]" opened ("]/abc").
            focused = self.focused
            if focused is None or tab not in focused.ancestors_with_self:
                tab.focus_main()
            return
        if self._active_tab is not None:
            self._active_tab.deactivate()
        self._active_tab = tab
        self.query_one("#settings-stack-bar").display = tab.NEEDS_STACK
        tab.activate()

    def show_tab(self, tab_id: str) -> None:
        """Switch to tab ``tab_id`` (``"stack"``, ``"servers"``, ``"env"``...), focus
        included, at once (not when the tab's activation message comes round)."""
        self.query_one("#settings-tabs", TabbedContent).active = f"tab-{tab_id}"
        self._activate(self.tab(tab_id))

    def _move_tab(self, step: int) -> None:
        ids = [tab_id for tab_id, _title, _cls in TABS]
        current = self.query_one("#settings-tabs", TabbedContent).active or "tab-stack"
        index = ids.index(current.removeprefix("tab-")) if current else 0
        self.show_tab(ids[(index + step) % len(ids)])

    def action_next_tab(self) -> None:
        """Show the next tab."""
        self._move_tab(1)

    def action_previous_tab(self) -> None:
        """Show the previous tab."""
        self._move_tab(-1)

    def action_choose_stack(self) -> None:
        """Open the stack chooser."""
        if self._active_tab is not None and not self._active_tab.NEEDS_STACK:
            self.show_tab("stack")
        self.chooser.open()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose_stack":
            return not self.chooser.is_open
        if action in ("next_tab", "previous_tab") and isinstance(self.focused, Input):
            return None  # a bracket typed into a field stays there
        return True

    def on_key(self, event: Key) -> None:
        """A greyed-out key says why it does nothing (:mod:`c66tui.ui.key_reasons`; the
        binding itself cannot: it is off). Keys typed right behind ``s`` reach the
        chooser's filter: the app delivers a burst one key at a time
        (:mod:`c66tui.ui.key_bursts`)."""
        explain_greyed_key(self, event)

    def action_refresh(self) -> None:
        """Reload the visible tab (``ctrl+r``)."""
        if self._active_tab is not None:
            self._active_tab.hard_reload()
