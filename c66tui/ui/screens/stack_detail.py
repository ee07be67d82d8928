"""One stack in detail: deployments, servers by group, recent actions, settings.

Opened with ``enter`` on the stacks list. The header repeats what an action would touch
(name, environment, status, health, branch, account). Recent deployments show who
deployed, through what, the short git hash, the outcome, the duration and which one is
live. Keys: ``r`` redeploy, ``c`` cancel the running deploy, ``w`` watch, ``s`` log in to the
highlighted server (:mod:`c66tui.ui.ssh_flow`), ``y`` copy (the
highlighted deployment's git hash, the highlighted server's address, else the stack uid),
``n``/``l`` copy the stack's name/dashboard link, ``ctrl+r`` reload, ``esc`` back. What the
header and the rows say is built in :mod:`c66tui.ui.widgets.detail_rows`.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Key
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Static

from c66tui.api.errors import Cloud66Error
from c66tui.api.models import Deployment, Server, Stack
from c66tui.ops import clock
from c66tui.ops.deploy_state import DeployWatch, typical_seconds, watch_book_for
from c66tui.ops.polling import PollScheduler
from c66tui.ops.redeploy import controller_for
from c66tui.ops.stack_clipboard import copy_dashboard_link, copy_stack_name
from c66tui.text import sanitize, short_duration
from c66tui.ui import ssh_flow
from c66tui.ui.base import MainScreen
from c66tui.ui.dialogs.redeploy import (
    cancel_flow,
    explain_disabled_key,
    open_redeploy_dialog,
    redeploy_flow,
    skip_when_typing,
    write_key_state,
)
from c66tui.ui.messages import StackFocused
from c66tui.ui.widgets.column_fit import FitTable, FittedColumns
from c66tui.ui.widgets.deploy_watch import DeployWatchPanel
from c66tui.ui.widgets.detail_rows import (
    TABLE_COLUMNS,
    action_row,
    cell,
    deployment_row,
    header_text,
    server_rows,
    settings_text,
)


class StackDetailScreen(MainScreen):
    """Everything about one stack; see the module docstring."""

    CSS_PATH = "stack_detail.tcss"
    AUTO_FOCUS = "#deployments"
    HELP_TITLE = "Stack detail"

    BINDINGS = [
        Binding("escape", "back", "Back", id="detail.back"),
        Binding("r", "redeploy", "Redeploy", priority=True, id="detail.redeploy"),
        Binding("c", "cancel_deploy", "Cancel", id="detail.cancel"),
        Binding("w", "watch", "Watch", id="detail.watch"),
        Binding("s", "ssh", "SSH", id="detail.ssh"),
        Binding("y", "copy", "Copy", show=False, id="detail.copy"),
        Binding("n", "copy_name", "Copy name", show=False, id="detail.copy_name"),
        Binding("l", "copy_link", "Copy dashboard link", show=False, id="detail.copy_link"),
    ]

    def __init__(self, stack: Stack) -> None:
        super().__init__()
        self.stack = stack
        self.deployments: list[Deployment] = []
        self.servers: dict[str, Server] = {}
        self.loaded = False
        self.poller: PollScheduler | None = None
        """Paces the background reload like the list: idle pause and API budget."""
        self._reload_timer: Timer | None = None
        self._shown: dict[str, object] = {}
        """What each part last showed, so a reload that finds nothing new paints nothing."""

    def compose_body(self) -> ComposeResult:
        yield Static(header_text(self.stack), id="detail-header", markup=False)
        with VerticalScroll(id="detail-body"):
            yield Static("Deployments", id="deployments-title", classes="section-title")
            yield FitTable(id="deployments", cursor_type="row", classes="detail-table")
            yield Static("Servers by group", classes="section-title")
            yield FitTable(id="servers", cursor_type="row", classes="detail-table")
            yield Static("Recent actions", classes="section-title")
            yield FitTable(id="actions", cursor_type="row", classes="detail-table")
            yield Static("Settings", classes="section-title")
            yield Static("loading…", id="settings", markup=False)
        yield DeployWatchPanel(id="detail-watch", only_uid=self.stack.uid)

    def on_mount(self) -> None:
        for footer in self.query(Footer):
            footer.compact = True
        self._fits = {
            table_id: FittedColumns(self.query_one(f"#{table_id}", DataTable), columns)
            for table_id, columns in TABLE_COLUMNS.items()
        }
        for fit in self._fits.values():
            fit.refit()
        self.post_message(StackFocused(self.stack))
        self.load()
        seconds = self.services.preferences.refresh_seconds or 30
        self.poller = PollScheduler(normal_seconds=float(seconds))
        self.schedule_reload()

    # -- loading ------------------------------------------------------------------

    def action_refresh(self) -> None:
        """``ctrl+r``: reload everything."""
        self.load()

    RELOAD_COST = 2
    """Requests one background reload makes (the stack and its deployments)."""

    def schedule_reload(self) -> None:
        """Reload the stack and its deployments when the poll plan says: the refresh
        interval, slower when the API budget runs low, never while the terminal is idle or
        the budget is nearly used (a key press starts it again)."""
        if self._reload_timer is not None:
            self._reload_timer.stop()
            self._reload_timer = None
        plan = self.poller.plan(list_cost=self.RELOAD_COST, rate=self.services.rate_limit)
        if plan.list_interval is not None:
            self._reload_timer = self.set_timer(plan.list_interval, self.timed_reload)

    @property
    def reload_scheduled(self) -> bool:
        """Whether a background reload is waiting for its time (none while paused)."""
        return self._reload_timer is not None

    def timed_reload(self) -> None:
        """What the reload timer runs when it fires: a light reload, then the next one
        planned (public so a test can fire it instead of waiting for the timer)."""
        self._reload_timer = None
        self.load(light=True)
        self.schedule_reload()

    @work(exclusive=True, group="detail-load", exit_on_error=False)
    async def load(self, light: bool = False) -> None:
        """Fetch the stack and its collections (``light``: stack and deployments only)."""
        services = self.services
        if services.api is None:
            return
        uid = self.stack.uid
        read = services.read
        calls = {
            "stack": read(lambda api: api.get_stack(uid)),
            "deployments": read(lambda api: api.list_deployments(uid)),
        }
        if not light:
            calls.update(
                groups=read(lambda api: api.list_server_groups(uid)),
                servers=read(lambda api: api.list_servers(uid)),
                actions=read(lambda api: api.list_actions(uid)),
                settings=read(lambda api: api.list_stack_settings(uid)),
            )
        results = await asyncio.gather(*calls.values(), return_exceptions=True)
        data = dict(zip(calls.keys(), results, strict=True))
        self._show(data)

    def _problem(self, value: Any) -> str | None:
        if isinstance(value, Cloud66Error):
            return f"could not load: {sanitize(str(value))}"
        if isinstance(value, BaseException):
            raise value
        return None

    def _show(self, data: dict[str, Any]) -> None:
        now = clock.now()
        stack = data.get("stack")
        keys_stale = not self.loaded
        if isinstance(stack, Stack):
            self.stack = stack
            header = header_text(stack)
            if self._changed("header", header):
                self.query_one("#detail-header", Static).update(header)
                keys_stale = True
        if "deployments" in data:
            self._show_deployments(data["deployments"], now)
        if "servers" in data:
            self._show_servers(data.get("groups"), data["servers"])
        if "actions" in data:
            self._show_actions(data["actions"], now)
        if "settings" in data:
            problem = self._problem(data["settings"])
            text = Text(problem) if problem else settings_text(data["settings"])
            self.query_one("#settings", Static).update(text)
        self.loaded = True
        if keys_stale:  # the footer rebuilds on every refresh: only when the stack changed
            self.refresh_bindings()

    def _show_deployments(self, value: Any, now: datetime) -> None:
        table = self.query_one("#deployments", DataTable)
        title = self.query_one("#deployments-title", Static)
        problem = self._problem(value)
        if problem:
            self._shown.pop("deployments-title", None)
            title.update(Text(f"Deployments: {problem}"))
            return
        self.deployments = list(value)
        typical = typical_seconds(self.deployments)
        label = "Deployments, newest first"
        if typical:
            label += f" · typical {short_duration(typical)}"
        if self._changed("deployments-title", label):
            title.update(Text(label))
        rows = [(str(d.id), tuple(deployment_row(d, now))) for d in self.deployments]
        if not self._changed("deployments", rows):
            return
        keep = table.cursor_row
        self._fits["deployments"].set_rows(rows)
        if self.deployments:
            table.move_cursor(row=min(keep, len(self.deployments) - 1), scroll=False)

    def _show_servers(self, groups: Any, servers: Any) -> None:
        fit = self._fits["servers"]
        problem = self._problem(servers) or (
            self._problem(groups) if isinstance(groups, BaseException) else None
        )
        if problem:
            fit.set_rows([(None, (cell(problem), *[cell("")] * 6))])
            return
        groups = groups if isinstance(groups, list) else []
        self.servers = {s.uid or s.name: s for s in servers}
        fit.set_rows(server_rows(groups, list(servers)))

    def _show_actions(self, value: Any, now: datetime) -> None:
        fit = self._fits["actions"]
        problem = self._problem(value)
        if problem:
            fit.set_rows([(None, (cell(problem), *[cell("")] * 5))])
            return
        fit.set_rows([(None, action_row(action, now)) for action in list(value)[:10]])

    # -- keys ---------------------------------------------------------------------

    def action_back(self) -> None:
        """``esc``: back to the list."""
        self.app.pop_screen()

    def on_key(self, event: Key) -> None:
        """Explain keys that are greyed out (the footer alone does not say why); a key
        press also resumes a reload paused while the terminal was idle."""
        explain_disabled_key(self, event.key, ("redeploy", "cancel_deploy"))
        if self.poller is not None:
            paused = self._reload_timer is None
            self.poller.note_activity()
            if paused:
                self.schedule_reload()

    def _changed(self, part: str, value: object) -> bool:
        """Whether ``part`` would show something new (remembering ``value`` if so)."""
        if self._shown.get(part) == value:
            return False
        self._shown[part] = value
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Redeploy and cancel are greyed out when not allowed, and while this stack has a
        write of that kind being confirmed, sent or just sent."""
        if action in ("redeploy", "cancel_deploy"):
            return write_key_state(self, action, self.stack)
        return True

    def action_redeploy(self) -> None:
        """``r``: redeploy this stack (confirmation first)."""
        skip_when_typing(self)
        services = self.services
        reason = services.permission("redeploy")
        if reason:
            self.notify(f"Redeploy is disabled: {reason}.", severity="warning", markup=False)
            return
        controller = controller_for(services)
        if not controller.claim(self.stack.uid):
            why = controller.busy_reason(self.stack.uid) or "already sending"
            self.notify(f"{sanitize(self.stack.name)}: {why}.", severity="warning", markup=False)
            return
        self.run_worker(
            redeploy_flow(self, self.stack, open_redeploy_dialog(self, self.stack)),
            group=f"redeploy-{self.stack.uid}",
            exit_on_error=False,
        )

    def action_cancel_deploy(self) -> None:
        """``c``: cancel the running deploy (confirmation first)."""
        services = self.services
        reason = services.permission("redeploy")
        if reason:
            self.notify(f"Cancel is disabled: {reason}.", severity="warning", markup=False)
            return
        controller = controller_for(services)
        if not controller.claim(self.stack.uid, "cancel"):
            return
        self.run_worker(
            cancel_flow(self, self.stack), group=f"cancel-{self.stack.uid}", exit_on_error=False
        )

    def action_watch(self) -> None:
        """``w``: follow this stack's deploy (or stop)."""
        book = watch_book_for(self.services)
        if self.stack.uid in book:
            book.remove(self.stack.uid)
        else:
            book.add(DeployWatch(self.stack.uid, self.stack.name, self.stack.environment))

    def action_ssh(self) -> None:
        """``s``: log in to the highlighted server (the only one, if there is one)."""
        table = self.query_one("#servers", DataTable)
        server = None
        if self.focused is table and table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            server = self.servers.get(key)
        elif len(self.servers) == 1:
            server = next(iter(self.servers.values()))
        ssh_flow.begin(self, self.stack, server)

    def action_copy_name(self) -> None:
        """``n``: copy this stack's name."""
        copy_stack_name(self.app.copy_to_clipboard, self.notify, self.stack)

    def action_copy_link(self) -> None:
        """``l``: copy this stack's web dashboard link."""
        copy_dashboard_link(
            self.app.copy_to_clipboard, self.notify, self.services.api_url, self.stack
        )

    def action_copy(self) -> None:
        """``y``: copy the highlighted git hash / server address, else the stack uid."""
        focused = self.focused
        value, what = self.stack.uid, "stack uid"
        if isinstance(focused, DataTable) and focused.row_count:
            key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
            if focused.id == "deployments":
                found = next((d for d in self.deployments if str(d.id) == key), None)
                if found is not None and found.git_hash:
                    value, what = found.git_hash, "git hash"
            elif focused.id == "servers" and key in self.servers:
                server = self.servers[key]
                value, what = server.address or server.ext_ipv4 or server.name, "server address"
        self.app.copy_to_clipboard(value)
        self.notify(f"Copied {what}: {sanitize(value)}", markup=False, timeout=3)
