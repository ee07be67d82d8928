"""The stacks screen: every stack at a glance, found in a few keys, redeployed safely.

What it shows comes first from the last-known-state cache (with an age badge), then from
the API. Polling is adaptive (:mod:`c66tui.ops.polling`): deploying and watched stacks are
polled often, the list at the configured interval, less when the screen is not in view,
not at all after ten idle minutes, and always within 30 % of the API's hourly budget.

Keys: ``enter`` details, ``r`` redeploy (marked stacks: a queue), ``/`` filter, ``s``/``S``
sort column/direction, ``f`` favourite, ``space`` mark, ``w`` watch, ``c`` cancel a
running deploy, ``n``/``l`` copy the name/dashboard link, ``J`` journal, ``ctrl+r``
refresh now, ``esc`` clear filter/marks.
"""

from __future__ import annotations

import asyncio
import gc
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Key, ScreenResume
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker

from c66tui.api.models import Stack
from c66tui.ops.deploy_state import (
    watch_book_for,
)
from c66tui.ops.polling import PollPlan, PollScheduler
from c66tui.ops.redeploy import (
    controller_for,
    journal_checks_for,
)
from c66tui.ops.stack_clipboard import copy_dashboard_link, copy_stack_name
from c66tui.text import sanitize
from c66tui.ui.base import MainScreen
from c66tui.ui.messages import ApiConnected, StackFocused
from c66tui.ui.screens.stacks_journal_check import StacksJournalCheck
from c66tui.ui.screens.stacks_polling import StacksPolling, settle_long_lived
from c66tui.ui.screens.stacks_status import StacksStatus
from c66tui.ui.screens.stacks_writes import StacksWrites
from c66tui.ui.widgets.deploy_watch import DeployWatchPanel
from c66tui.ui.widgets.filter_bar import FilterBar
from c66tui.ui.widgets.stack_table import StackTable
from c66tui.ui.write_keys import explain_disabled_key


class StacksScreen(StacksWrites, StacksStatus, StacksJournalCheck, StacksPolling, MainScreen):
    """The list of stacks; see the module docstring."""

    CSS_PATH = "stacks.tcss"
    AUTO_FOCUS = "#stack-table"
    HELP_TITLE = "Stacks"

    # The footer keeps to the verbs a newcomer needs (at 80 columns the app's 1/2/3 and
    # ? must still fit); ? lists every key.
    BINDINGS = [
        # Priority: the dialog opens before the keys behind r in a burst are handed on.
        Binding("r", "redeploy", "Redeploy", priority=True, id="stacks.redeploy"),
        # Priority: handled before the key is queued for the list, so the rest of a burst
        # of keys ("/auth" over a laggy link) lands in the filter, not in the list.
        Binding("slash", "filter", "Filter", key_display="/", priority=True, id="stacks.filter"),
        Binding("s", "sort", "Sort", show=False, id="stacks.sort"),
        Binding("S", "reverse_sort", "Reverse sort", show=False, id="stacks.reverse"),
        Binding("f", "favourite", "Favourite", show=False, id="stacks.favourite"),
        Binding("space", "mark", "Mark", key_display="space", show=False, id="stacks.mark"),
        Binding("w", "watch", "Watch", id="stacks.watch"),
        Binding("c", "cancel_deploy", "Cancel deploy", show=False, id="stacks.cancel"),
        Binding("J", "journal", "Journal", show=False, id="stacks.journal"),
        Binding("n", "copy_name", "Copy name", show=False, id="stacks.copy_name"),
        Binding("l", "copy_link", "Copy dashboard link", show=False, id="stacks.copy_link"),
        Binding("escape", "clear", "Clear", show=False, id="stacks.clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scheduler = PollScheduler()
        self.plan: PollPlan | None = None
        self.loaded = False
        """True once the list came from the API (not only from the cache)."""
        self.cache_saved_at: datetime | None = None
        self.error = ""
        self.refreshing = False
        self._throttled_until = 0.0
        self._last_list = 0.0
        self._last_fast = 0.0
        self._list_timer: Any = None
        self._fast_timer: Any = None
        self._posted_stack: Stack | None = None
        self._notices: dict[str, Text] = {}
        self._announced: set[int] = set()
        self._queue_running = False
        self._load_requested = False
        self._list_worker: Worker | None = None
        self._user_refresh = False
        self._status_text: Text | None = None
        self._banner_text: Text | None = None

    # -- layout -------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        ascii_only = bool(getattr(self.app, "ascii_only", False))  # fixed for the run
        yield Static("", id="stacks-banner", markup=False)
        yield Static("", id="stacks-status", markup=False)
        yield FilterBar(id="stacks-filter", on_change=self._apply_filter)
        yield Static("", id="stacks-empty", markup=False)
        yield StackTable(id="stack-table", ascii_only=ascii_only)
        yield DeployWatchPanel(id="deploy-watch", ascii_only=ascii_only)

    @property
    def table(self) -> StackTable:
        return self.query_one("#stack-table", StackTable)

    @property
    def book(self):
        return watch_book_for(self.services)

    @property
    def controller(self):
        return controller_for(self.services)

    @property
    def journal_checks(self) -> dict[str, str]:
        """Journal entry id -> what the start-up check found."""
        return journal_checks_for(self.services)

    def on_mount(self) -> None:
        prefs = self.services.preferences
        normal = float(getattr(prefs, "refresh_seconds", 30) or 30)
        fast = 5.0
        if getattr(prefs, "low_bandwidth", False):
            normal, fast = max(normal, 60.0), 10.0  # fewer updates over slow links
        self.scheduler = PollScheduler(normal_seconds=normal, fast_seconds=fast)
        book = self.book
        if getattr(book, "profile", None) != self.services.profile_name:
            for watch in list(book):  # watches of another login are meaningless here
                book.remove(watch.uid)
            book.profile = self.services.profile_name
        for footer in self.query(Footer):
            footer.compact = True
        self.table.set_favourites(getattr(prefs, "favourites", None) or [])
        self.book.subscribe(self._watch_changed)
        self.set_interval(30.0, self._tick)
        self.call_after_refresh(self._start)

    def on_unmount(self) -> None:
        self.book.unsubscribe(self._watch_changed)
        gc.unfreeze()  # see settle_long_lived: what it kept out of the scans is collectable

    def _start(self) -> None:
        # The cached list is filled in after the screen's first refresh: at start-up that
        # refresh falls in Textual's start-up batch, whose frame is never shown, so rows
        # filled here are painted in the first frame that is (and no render is wasted).
        settle_long_lived()  # what start-up built lives for the run
        if not self.loaded:
            self._load_cache()
        self._ensure_loaded()
        self._render_status()

    def _ensure_loaded(self) -> None:
        """Load the list (and check the journal) once a client exists."""
        if self.services.api is None or self._load_requested:
            return
        self._load_requested = True
        self.refresh_stacks()
        self.check_journal()

    # -- activity and refresh -----------------------------------------------------

    def on_key(self, event: Key) -> None:
        """Any key counts as activity (it wakes polling up after an idle pause)."""
        was_idle = self.scheduler.idle
        self.scheduler.note_activity()
        if was_idle:
            self.schedule_polls()
        if self.focused is self.table:
            explain_disabled_key(self, event.key, ("redeploy", "cancel_deploy"))

    def on_screen_resume(self, event: ScreenResume) -> None:
        self.scheduler.note_activity()
        self._follow_shared_focus()
        self._posted_stack = None
        self.call_after_refresh(self._post_focus)
        self._ensure_loaded()
        self.schedule_polls()
        self.refresh_bindings()

    @on(ApiConnected)
    def _api_connected(self, event: ApiConnected) -> None:
        self._ensure_loaded()
        self.schedule_polls()
        self._render_status()

    def action_refresh(self) -> None:
        """``ctrl+r``: refresh the list and every watched or deploying stack now."""
        self.scheduler.note_activity()
        self.refresh_stacks(user=True)
        fast_cost, watch_cost = self._fast_costs()
        if fast_cost or watch_cost:
            self.poll_fast()

    # -- cursor -------------------------------------------------------------------

    def _post_focus(self) -> None:
        """Tell the app which stack is under the cursor (only while the list is shown)."""
        if self.app.screen is not self:
            return
        stack = self.table.cursor_stack
        if stack != self._posted_stack or (stack is None) != (self._posted_stack is None):
            self._posted_stack = stack
            self.post_message(StackFocused(stack))

    def _follow_shared_focus(self) -> None:
        """Put the cursor on the stack another screen focused (if it is shown)."""
        focused = getattr(self.services, "focused_stack", None)
        if focused is not None and focused.uid != self.table.cursor_uid:
            self.table.move_to(focused.uid)

    def show_stack(self, uid: str) -> None:
        """Put the cursor on ``uid`` (clearing a filter that hides it); the palette uses it."""
        if uid not in self.table.visible_uids:
            self.query_one("#stacks-filter", FilterBar).clear_filter()
        self.table.move_to(uid)
        self.table.focus()
        self._post_focus()

    @on(DataTable.RowHighlighted, "#stack-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._post_focus()
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#stack-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_stack()

    # -- filter, sort, favourites, marks ------------------------------------------

    def action_filter(self) -> None:
        """``/``: filter as you type (a ``/`` typed in the filter is just a character)."""
        bar = self.query_one("#stacks-filter", FilterBar)
        if bar.has_focus:
            bar.insert_text_at_cursor("/")
        else:
            bar.open()

    def _apply_filter(self, value: str) -> None:
        """Narrow the list at once (called by the filter bar on every change)."""
        self.table.set_filter(value)
        self._render_status()
        self._post_focus()

    @on(FilterBar.Closed, "#stacks-filter")
    def _filter_closed(self, event: FilterBar.Closed) -> None:
        if self.focused is not self.table:
            self.table.focus()

    def action_clear(self) -> None:
        """``esc``: clear the filter, else the marks."""
        bar = self.query_one("#stacks-filter", FilterBar)
        if bar.active:
            bar.clear_filter()
        elif self.table.marks:
            self.table.clear_marks()
        self._render_status()

    def action_sort(self) -> None:
        """``s``: sort by the next column."""
        self.table.cycle_sort()
        self._render_status()

    def action_reverse_sort(self) -> None:
        """``S``: reverse the sort direction."""
        self.table.reverse_sort()
        self._render_status()

    def action_favourite(self) -> None:
        """``f``: pin or unpin the stack under the cursor (saved in the preferences)."""
        stack = self.table.cursor_stack
        if stack is None:
            return
        favourites = set(self.table.favourites)
        if stack.uid in favourites:
            favourites.discard(stack.uid)
            word = "unpinned"
        else:
            favourites.add(stack.uid)
            word = "pinned to the top"
        self.table.set_favourites(favourites)
        self.table.move_to(stack.uid)
        ordered = sorted(favourites)
        self.services.preferences.favourites = list(ordered)
        self._save_favourites(ordered)
        self.notify(f"{sanitize(stack.name)} {word}", markup=False, timeout=2)
        self._render_status()

    @work(group="stacks-favourites", exclusive=True, exit_on_error=False)
    async def _save_favourites(self, favourites: list[str]) -> None:
        def save(config) -> None:
            config.preferences.favourites = list(favourites)

        try:
            await asyncio.to_thread(self.services.store.update, save)
        except Exception as error:  # noqa: BLE001 - ConfigError, OSError: say so, keep going
            self.notify(
                f"Could not save favourites: {sanitize(str(error))}", severity="error", markup=False
            )

    def action_mark(self) -> None:
        """``space``: mark the stack under the cursor for a redeploy queue."""
        uid = self.table.cursor_uid
        if uid is None:
            return
        self.table.toggle_mark(uid)
        row = self.table.cursor_row
        if row + 1 < self.table.row_count:
            self.table.move_cursor(row=row + 1)
        self._render_status()

    # -- navigation ---------------------------------------------------------------

    def action_open_stack(self) -> None:
        """``enter``: the stack's details."""
        stack = self.table.cursor_stack
        if stack is None:
            return
        # deferred: not needed for the first frame
        from c66tui.ui.screens.stack_detail import StackDetailScreen

        self.app.push_screen(StackDetailScreen(stack))

    def action_copy_name(self) -> None:
        """``n``: copy the name of the stack under the cursor."""
        copy_stack_name(self.app.copy_to_clipboard, self.notify, self.table.cursor_stack)

    def action_copy_link(self) -> None:
        """``l``: copy the web dashboard link of the stack under the cursor."""
        copy_dashboard_link(
            self.app.copy_to_clipboard, self.notify, self.services.api_url, self.table.cursor_stack
        )

    def action_journal(self) -> None:
        """``J``: the journal of writes sent from this machine."""
        # deferred: not needed for the first frame
        from c66tui.ui.screens.journal import JournalScreen

        self._set_notice("journal", None)
        self.app.push_screen(JournalScreen())
