"""The "Stack" tab: settings of the stack in focus, and its maintenance mode.

``e`` edits a writable setting (see :mod:`.setting_list`); ``m`` turns maintenance mode
on or off through a stack action, after a confirmation that says what visitors will
see, and follows the action until the stack reports the new state.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.binding import Binding

from c66tui.api.errors import Cloud66Error
from c66tui.api.models import Setting, Stack
from c66tui.ops.setting_writes import Write
from c66tui.text import sanitize
from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.dialogs.edit_setting import target_lines
from c66tui.ui.key_reasons import greyed
from c66tui.ui.widgets.settings_tabs.common import StackRefreshed, separator
from c66tui.ui.widgets.settings_tabs.list_filter import FILTER_BINDINGS
from c66tui.ui.widgets.settings_tabs.setting_list import SettingListTab

MAINTENANCE_KEY = "maintenance.mode"
MAINTENANCE_SCOPE = "redeploy"
"""Stack actions (maintenance mode among them) need the redeploy scope."""


class StackSettingsTab(SettingListTab):
    """Settings of one stack, plus the maintenance-mode switch."""

    TABLE_ID = "stack-settings-table"

    BINDINGS = [
        Binding("e", "edit", "Edit", id="settings.stack.edit", tooltip="Change this setting"),
        Binding(
            "m",
            "maintenance",
            "Maintenance",
            id="settings.stack.maintenance",
            tooltip="Turn the maintenance page on or off",
        ),
        *FILTER_BINDINGS,
    ]

    async def fetch(self, stack: Stack) -> list[Setting] | None:
        return await self.services.read(lambda api: api.list_stack_settings(stack.uid))

    async def send(self, api: Any, stack: Stack, setting: Setting, value: str) -> Any:
        return await api.update_stack_setting(stack.uid, setting.path_id, value)

    def describe(self, count: int) -> str:
        state = "on" if self.maintenance_on() else "off"
        return f"{count} settings · maintenance {state}"

    # -- maintenance mode -------------------------------------------------------------

    def maintenance_on(self) -> bool:
        """The stack's maintenance state (the setting when listed, else the stack flag)."""
        setting = self.settings.get(MAINTENANCE_KEY)
        if setting is not None:
            value = setting.value
            if isinstance(value, str):
                return value.strip().lower() in {"true", "1", "on", "yes"}
            return bool(value)
        return bool(self.stack and self.stack.maintenance_mode)

    def maintenance_block_reason(self) -> str | None:
        """Why ``m`` is disabled (``None`` when it works)."""
        if self.stack is None:
            return "choose a stack first"
        reason = self.services.permission(MAINTENANCE_SCOPE)
        if reason:
            return reason
        if self.services.is_in_flight(self._maintenance_key(self.stack)):
            return "maintenance mode is being changed"
        return None

    def _maintenance_key(self, stack: Stack) -> str:
        return f"setting:{stack.uid}:{MAINTENANCE_KEY}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "maintenance":
            return greyed(self, action, self.maintenance_block_reason())
        return super().check_action(action, parameters)

    def action_maintenance(self) -> None:
        """Turn maintenance mode on or off (confirmed, then followed)."""
        if self.stack is None or self.maintenance_block_reason():
            return
        self._toggle_maintenance(self.stack, not self.maintenance_on())

    @work(group="settings-write", exit_on_error=False)
    async def _toggle_maintenance(self, stack: Stack, turn_on: bool) -> None:
        sep = separator(self.app)
        state = "ON" if turn_on else "OFF"
        lines: list[Text | str] = list(target_lines(stack, sep=sep))
        lines.append(Text(f"Maintenance mode: {'off' if turn_on else 'on'} -> {state}"))
        if turn_on:
            lines.append("Visitors will see the maintenance page instead of the app.")
        else:
            lines.append("The app will serve visitors again.")
        confirm = ConfirmDialog(
            f"Turn maintenance mode {state}?",
            lines,
            confirm_label=f"Turn {state.lower()}",
            danger=turn_on or stack.is_production,
            # On production the stack's name is typed, as for a redeploy.
            require_typed=sanitize(stack.name) if stack.is_production else None,
        )
        if not await self.app.push_screen_wait(confirm):
            self.set_status("Nothing was changed.")
            return
        reason = self.maintenance_block_reason()
        if reason:
            self.set_status(f"Not sent: {reason}")
            return
        write = Write(
            kind="maintenance",
            flight_key=self._maintenance_key(stack),
            stack=stack,
            what=f"maintenance mode {state.lower()} for {stack.name}",
            send=lambda api: api.set_maintenance_mode(stack.uid, turn_on),
            params={"maintenance_mode": turn_on},
        )
        await self.write_and_follow(stack, write)

    def after_write(self) -> None:
        self._refresh_stack()

    @work(exclusive=True, group="stack-refresh", exit_on_error=False)
    async def _refresh_stack(self) -> None:
        """Fetch the stack again so the header and other screens show its new state."""
        stack = self.stack
        if stack is None:
            return
        try:
            fresh = await self.services.read(lambda api: api.get_stack(stack.uid))
        except Cloud66Error:
            return
        self.post_message(StackRefreshed(fresh))
