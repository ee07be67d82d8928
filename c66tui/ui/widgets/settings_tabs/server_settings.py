"""The "Servers" tab: pick a server of the stack, then list and edit its settings.

The server list is read once per stack; the chooser above the table switches between
servers. Editing works exactly like the stack settings tab (see :mod:`.setting_list`).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Select

from c66tui.api.models import Server, Setting, Stack
from c66tui.text import sanitize
from c66tui.ui.widgets.settings_tabs.common import separator, words
from c66tui.ui.widgets.settings_tabs.list_filter import FILTER_BINDINGS
from c66tui.ui.widgets.settings_tabs.setting_list import SettingListTab


class ServerSettingsTab(SettingListTab):
    """Settings of one server of the stack in focus."""

    TABLE_ID = "server-settings-table"

    BINDINGS = [
        Binding("e", "edit", "Edit", id="settings.server.edit", tooltip="Change this setting"),
        *FILTER_BINDINGS,
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.servers: list[Server] = []
        """Servers of the current stack."""
        self.server_uid: str | None = None
        """The chosen server."""
        self._servers_for: str | None = None

    def compose_top(self) -> ComposeResult:
        yield Select[str](
            [], prompt="Choose a server", id="server-select", allow_blank=True, compact=True
        )

    @property
    def server(self) -> Server | None:
        """The chosen server, if any."""
        return next((s for s in self.servers if s.uid == self.server_uid), None)

    def stack_changed(self) -> None:
        self.servers = []
        self.server_uid = None
        self._servers_for = None
        self.settings = {}
        if self.is_mounted:
            self.query_one("#server-select", Select).set_options([])
            self.table.clear()

    def server_label(self, server: Server) -> Text:
        """``name (roles) · health`` for the chooser."""
        sep = separator(self.app)
        text = Text(sanitize(server.name), style="bold")
        text.append(f" ({sanitize(words(server.server_roles, 'no roles'))})")
        text.append(f"{sep}{server.health_name}")
        return text

    # -- loading ----------------------------------------------------------------------

    def hard_reload(self) -> None:
        self._servers_for = None
        self.reload()

    async def fetch(self, stack: Stack) -> list[Setting] | None:
        if self._servers_for != stack.uid:
            servers = await self.services.read(lambda api: api.list_servers(stack.uid))
            if not self.shows(stack):
                return None
            self.servers = list(servers)
            self._servers_for = stack.uid
            if self.server is None:
                self.server_uid = self.servers[0].uid if self.servers else None
            select = self.query_one("#server-select", Select)
            select.set_options([(self.server_label(s), s.uid) for s in self.servers])
            if self.server_uid is not None:
                select.value = self.server_uid
        server = self.server
        if server is None:
            return []
        return await self.services.read(lambda api: api.list_server_settings(stack.uid, server.uid))

    async def send(self, api: Any, stack: Stack, setting: Setting, value: str) -> Any:
        server_uid = self.server_uid or ""
        return await api.update_server_setting(stack.uid, server_uid, setting.path_id, value)

    def flight_key(self, stack: Stack, setting: Setting) -> str:
        return f"setting:{self.server_uid}:{setting.key}"

    def target_name(self) -> str | None:
        server = self.server
        return server.name if server is not None else None

    def describe(self, count: int) -> str:
        if not self.servers:
            return "This stack has no servers."
        return f"{count} settings of server {sanitize(self.target_name() or '')}"

    @on(Select.Changed, "#server-select")
    def _server_chosen(self, event: Select.Changed) -> None:
        value = event.value
        if value is Select.NULL or value == self.server_uid:
            return
        self.server_uid = str(value)
        self.settings = {}
        self.table.clear()
        self.reload()

    def edit_block_reason(self, setting: Setting | None) -> str | None:
        if self.stack is not None and self.server is None:
            return "choose a server first"
        return super().edit_block_reason(setting)
