"""One stack in detail: deployments, servers by group, recent actions, settings.

Opened with ``enter`` on the stacks list. The header repeats what an action would touch
(name, environment, status, health, branch, account). Recent deployments show who
deployed, through what, the short git hash, the outcome, the duration and which one is
live. Keys: ``r`` redeploy, ``c`` cancel the running deploy, ``w`` watch, ``s`` log in to the
highlighted server (:mod:`c66tui.ui.ssh_flow`), ``y`` copy (the
highlighted deployment's git hash, the highlighted server's address, else the stack uid),
``n``/``l`` copy the stack's name/dashboard link, ``ctrl+r`` reload, ``esc`` back.
"""

from __future__ import annotations

import asyncio
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
from c66tui.api.models import (
    Action,
    Deployment,
    Server,
    ServerGroup,
    Setting,
    Stack,
)
from c66tui.ops import clock
from c66tui.ops.deploy_state import (
    CANCELLED,
    DEPLOYING,
    FAILED,
    QUEUED,
    SUCCESS,
    DeployWatch,
    deployment_phase,
    typical_seconds,
    watch_book_for,
)
from c66tui.ops.polling import PollScheduler
from c66tui.ops.redeploy import controller_for
from c66tui.ops.stack_clipboard import copy_dashboard_link, copy_stack_name
from c66tui.text import relative_time, sanitize, short_duration
from c66tui.ui import ssh_flow
from c66tui.ui.base import MainScreen
from c66tui.ui.dialogs.redeploy import (
    cancel_flow,
    explain_disabled_key,
    open_redeploy_dialog,
    redeploy_flow,
    skip_when_typing,
)
from c66tui.ui.messages import StackFocused
from c66tui.ui.widgets.column_fit import FitColumn, FitTable, FittedColumns
from c66tui.ui.widgets.deploy_watch import DeployWatchPanel
from c66tui.ui.widgets.stack_columns import HEALTH_LOOK, STATUS_LOOK, UNICODE_SYMBOLS

PHASE_LOOK = {
    SUCCESS: "✓ success",
    FAILED: "✗ failed",
    CANCELLED: "⊘ cancelled",
    DEPLOYING: "▶ deploying",
    QUEUED: "… queued",
}
SETTINGS_SHOWN = 12
TABLE_COLUMNS = {
    "deployments": [
        FitColumn("Outcome", 11, shrink_to=9),
        FitColumn("Started", 8),
        FitColumn("Took", 8),
        FitColumn("Hash", 7),
        FitColumn("By", 22, shrink_to=8),
        FitColumn("Via", 13, shrink_to=6),
        FitColumn("Live", 6),
        FitColumn("Id", 5),
        FitColumn("Type", 34, shrink_to=10),
    ],
    "servers": [
        FitColumn("Group", 18, shrink_to=8),
        FitColumn("Server", 12, shrink_to=8),
        FitColumn("Address", 7),
        FitColumn("Health", 10, shrink_to=9),
        FitColumn("Roles", 20, shrink_to=6),
        FitColumn("Region", 12, shrink_to=6),
        FitColumn("Type", 12, shrink_to=6),
    ],
    "actions": [
        FitColumn("Action", 22, shrink_to=10),
        FitColumn("Outcome", 9),
        FitColumn("When", 8),
        FitColumn("By", 22, shrink_to=8),
        FitColumn("Via", 9, shrink_to=5),
        FitColumn("Message", 30, shrink_to=10),
    ],
}
"""The detail tables' columns, most important first (:mod:`c66tui.ui.widgets.column_fit`:
text is cut with an ellipsis, hashes, ids and addresses never; what does not fit is
dropped from the right)."""


def _t(value: Any, style: str = "") -> Text:
    return Text(sanitize(value), style=style, no_wrap=True, overflow="ellipsis", end="")


def header_text(stack: Stack) -> Text:
    """Two lines: name, environment, status, health, flags; then branch, host, account."""
    sym = UNICODE_SYMBOLS
    status_symbol, _ = STATUS_LOOK.get(stack.status, ("unknown", ""))
    health_symbol, _ = HEALTH_LOOK.get(stack.health, ("unknown", ""))
    text = Text(end="")
    text.append(sanitize(stack.name), style="bold")
    text.append("  ")
    if stack.is_production:
        text.append(f"▲ {sanitize(stack.environment).upper()}", style="bold reverse")
    elif stack.environment:
        text.append(sanitize(stack.environment), style="bold")
    text.append(f"  {sym[status_symbol]} {sanitize(stack.status_name)}")
    text.append(f"  {sym[health_symbol]} {sanitize(stack.health_name)}")
    if stack.maintenance_mode:
        text.append("  ▲ maintenance on", style="bold")
    text.append("\n")
    parts = [
        f"branch {sanitize(stack.git_branch) or '—'}",
        sanitize(stack.fqdn) or "",
        sanitize(stack.cloud) or "",
        sanitize(stack.framework) or "",
        sanitize(stack.account_name) or "",
    ]
    text.append(" · ".join(p for p in parts if p))
    return text


def deployment_row(deployment: Deployment, now) -> tuple[Text, ...]:
    """Cells of one deployment: outcome, started, took, hash, who, via, live, id, type.

    The API sends no commit message; the documented ``deploy_type`` meaning is shown."""
    phase = deployment_phase(deployment)
    if phase in (DEPLOYING, QUEUED):
        elapsed = (now - deployment.started_at).total_seconds() if deployment.started_at else None
        took = f"{short_duration(elapsed)}…" if elapsed is not None else "—"
    else:
        took = short_duration(deployment.duration_seconds)
    kind = deployment.raw.get("deploy_type")
    message = str(kind.get("meaning") or "") if isinstance(kind, dict) else ""
    return (
        _t(PHASE_LOOK.get(phase, phase), "bold" if phase == FAILED else ""),
        _t(relative_time(deployment.started_at, now) if deployment.started_at else "—"),
        _t(took),
        _t(deployment.short_hash or "—"),
        _t(deployment.triggered_by or "—"),
        _t(deployment.triggered_via or "—"),
        _t("● live" if deployment.is_live else ""),
        _t(f"#{deployment.id}"),
        _t(message),
    )


def server_rows(groups: list[ServerGroup], servers: list[Server]) -> list[tuple[str, tuple]]:
    """(server uid, cells) rows ordered by group; the group name only on its first row."""
    names = {g.id: (g.name or g.type or f"group {g.id}") for g in groups}
    order = {g.id: index for index, g in enumerate(groups)}
    ordered = sorted(servers, key=lambda s: (order.get(s.server_group_id, 999), s.name.casefold()))
    rows = []
    previous = object()
    sym = UNICODE_SYMBOLS
    for server in ordered:
        group = names.get(server.server_group_id, "(no group)")
        first = server.server_group_id != previous
        previous = server.server_group_id
        symbol, _ = HEALTH_LOOK.get(server.health_state, ("unknown", ""))
        rows.append(
            (
                server.uid or server.name,
                (
                    _t(group if first else "", "bold"),
                    _t(server.name),
                    _t(server.address or server.ext_ipv4),
                    _t(f"{sym[symbol]} {server.health_name}"),
                    _t(", ".join(server.server_roles)),
                    _t(server.region),
                    _t(server.server_type),
                ),
            )
        )
    return rows


def action_row(action: Action, now) -> tuple[Text, ...]:
    """Cells of one recent action: what, outcome, when, who, via, message."""
    if not action.is_finished:
        outcome = "… running"
    elif action.finished_success:
        outcome = "✓ done"
    else:
        outcome = "✗ failed"
    return (
        _t(action.action),
        _t(outcome),
        _t(relative_time(action.started_at, now)),
        _t(action.user),
        _t(action.started_via),
        _t(action.finished_message),
    )


def settings_text(settings: list[Setting]) -> Text:
    """``key = value`` pairs (read-only ones marked), a few per line."""
    text = Text(end="")
    for index, setting in enumerate(settings[:SETTINGS_SHOWN]):
        if index:
            text.append("  ·  ")
        text.append(sanitize(setting.key), style="bold")
        text.append(f" = {sanitize(setting.display_value) or '(empty)'}")
        if setting.readonly:
            text.append(" (read-only)")
    if len(settings) > SETTINGS_SHOWN:
        text.append(f"  · … {len(settings) - SETTINGS_SHOWN} more on the settings screen (3)")
    return text


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
        seconds = getattr(self.app.services.preferences, "refresh_seconds", 30) or 30
        self.poller = PollScheduler(normal_seconds=float(seconds))
        self._schedule_reload()

    # -- loading ------------------------------------------------------------------

    def action_refresh(self) -> None:
        """``ctrl+r``: reload everything."""
        self.load()

    RELOAD_COST = 2
    """Requests one background reload makes (the stack and its deployments)."""

    def _schedule_reload(self) -> None:
        """Reload the stack and its deployments when the poll plan says: the refresh
        interval, slower when the API budget runs low, never while the terminal is idle or
        the budget is nearly used (a key press starts it again)."""
        if self._reload_timer is not None:
            self._reload_timer.stop()
            self._reload_timer = None
        api = self.app.services.api
        plan = self.poller.plan(list_cost=self.RELOAD_COST, rate=getattr(api, "rate_limit", None))
        if plan.list_interval is not None:
            self._reload_timer = self.set_timer(plan.list_interval, self._auto_reload)

    @property
    def reload_scheduled(self) -> bool:
        """Whether a background reload is waiting for its time (none while paused)."""
        return self._reload_timer is not None

    def _auto_reload(self) -> None:
        self._reload_timer = None
        self.load(light=True)
        self._schedule_reload()

    @work(exclusive=True, group="detail-load", exit_on_error=False)
    async def load(self, light: bool = False) -> None:
        """Fetch the stack and its collections (``light``: stack and deployments only)."""
        services = self.app.services
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
        api = services.api
        if api is not None:
            self.app.note_rate_limit(api.rate_limit)
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

    def _show_deployments(self, value: Any, now) -> None:
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
            fit.set_rows([(None, (_t(problem), *[_t("")] * 6))])
            return
        groups = groups if isinstance(groups, list) else []
        self.servers = {s.uid or s.name: s for s in servers}
        fit.set_rows(server_rows(groups, list(servers)))

    def _show_actions(self, value: Any, now) -> None:
        fit = self._fits["actions"]
        problem = self._problem(value)
        if problem:
            fit.set_rows([(None, (_t(problem), *[_t("")] * 5))])
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
                self._schedule_reload()

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
            from c66tui.ui.dialogs.redeploy import write_key_state

            return write_key_state(self, action, self.stack)
        return True

    def action_redeploy(self) -> None:
        """``r``: redeploy this stack (confirmation first)."""
        skip_when_typing(self)
        services = self.app.services
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
        services = self.app.services
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
        book = watch_book_for(self.app.services)
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
        copy_stack_name(self, self.stack)

    def action_copy_link(self) -> None:
        """``l``: copy this stack's web dashboard link."""
        copy_dashboard_link(self, self.stack)

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
