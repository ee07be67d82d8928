"""The list-and-edit flow shared by the stack settings and server settings tabs.

A table of key, value and access ("editable" / "read-only"), narrowed with ``/`` by key,
value or access (see :mod:`.list_filter`); ``e`` opens the edit dialog (warning text,
stack and environment shown), then a confirmation, then the journalled write, whose
action is followed to its outcome before the list reloads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import work

from c66tui.api.errors import Cloud66Error, MissingScopeError
from c66tui.api.models import Setting, Stack
from c66tui.ops.setting_writes import Write, perform_write
from c66tui.text import sanitize
from c66tui.ui.dialogs.confirm import FOLLOW_UP_GUARD, ConfirmDialog
from c66tui.ui.dialogs.edit_setting import EditSettingDialog, target_lines
from c66tui.ui.key_reasons import greyed
from c66tui.ui.widgets.settings_tabs.common import (
    api_text,
    ascii_only,
    clip,
    row_key,
    separator,
    value_width,
)
from c66tui.ui.widgets.settings_tabs.list_filter import FilteredTab

READ_ONLY_REASON = "read-only: Cloud 66 does not allow changing it through the API"



def access_word(setting: Setting) -> str:
    """``read-only``, ``editable``, or ``not stated`` when the answer carried no
    ``readonly`` flag (the legacy v2 settings list has only keys and values)."""
    if setting.readonly:
        return "read-only"
    return "editable" if "readonly" in setting.raw else "not stated"

class SettingListTab(FilteredTab):
    """Base of the stack and server settings tabs (subclasses fetch and send)."""

    TABLE_ID = "settings-table"
    COLUMNS = (("key", "Key"), ("value", "Value"), ("access", "Access"))
    """Id of the table (each subclass has its own)."""
    WRITE_SCOPE = "admin"
    """The API scope setting writes need."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings: dict[str, Setting] = {}
        """The settings shown, by key."""
        self.load_error: str | None = None
        """Why the list could not be loaded, when it could not."""

    # -- layout -----------------------------------------------------------------------

    def on_mount(self) -> None:
        self.set_status("Choose a stack to see its settings.")

    # -- what subclasses provide ------------------------------------------------------

    async def fetch(self, stack: Stack) -> list[Setting] | None:
        """Read the settings (``None`` when there is nothing to read yet)."""
        raise NotImplementedError

    async def send(self, api: Any, stack: Stack, setting: Setting, value: str) -> Any:
        """Send the one update request; returns the action."""
        raise NotImplementedError

    def flight_key(self, stack: Stack, setting: Setting) -> str:
        """Single-flight key of a change of ``setting``."""
        return f"setting:{stack.uid}:{setting.key}"

    def target_name(self) -> str | None:
        """The server the settings belong to (``None`` for stack settings)."""
        return None

    def describe(self, count: int) -> str:
        """Status line once loaded."""
        return f"{count} settings"

    # -- loading ----------------------------------------------------------------------

    @work(exclusive=True, group="settings-load", exit_on_error=False)
    async def reload(self) -> None:
        """Fetch the settings of the current stack (and server) and show them."""
        stack = self.stack
        if stack is None:
            self.set_status("Choose a stack to see its settings.")
            return
        table = self.table
        table.loading = True
        try:
            settings = await self.fetch(stack)
        except MissingScopeError as err:
            self.services.note_missing_scope(err)
            self._show_error(f"Not allowed: {err}")
            return
        except Cloud66Error as err:
            self._show_error(f"Could not load the settings: {err}")
            return
        finally:
            table.loading = False
        if settings is None or not self.shows(stack):
            return
        self.load_error = None
        self.show_settings(settings)
        self.settle_focus()

    def _show_error(self, message: str) -> None:
        self.load_error = message
        self.set_status(Text(sanitize(message)))
        self.refresh_bindings()

    def show_settings(self, settings: list[Setting]) -> None:
        """Fill the table with ``settings``, keeping the cursor where it was."""
        self.settings = {s.key: s for s in settings}
        self.render_rows()
        self.set_status(self.status_text(len(settings)))

    def render_rows(self) -> None:
        """(Re)draw the table from :attr:`settings`."""
        plain = ascii_only(self.app)
        width = value_width(self.app, 36)
        rows = []
        for setting in self.settings.values():
            access = access_word(setting)
            if self._in_flight(setting):
                access = "applying"
            rows.append(
                (
                    setting.key,
                    (
                        api_text(setting.key),
                        api_text(clip(sanitize(setting.display_value), width, ascii=plain)),
                        Text(access, style="italic" if setting.readonly else ""),
                    ),
                )
            )
        self.show_rows(rows)
        self.update_detail()
        self.refresh_bindings()

    def _in_flight(self, setting: Setting) -> bool:
        return bool(self.stack) and self.services.is_in_flight(self.flight_key(self.stack, setting))

    def filter_fields(self, key: str, cells: tuple[Any, ...]) -> Iterable[str]:
        """Key, whole value (the table may cut it short) and access word."""
        setting = self.settings.get(key)
        if setting is None:
            return ()
        access = access_word(setting)
        if self._in_flight(setting):
            access = "applying"
        return (setting.key, sanitize(setting.display_value), access)

    def refresh_status(self) -> None:
        if self.load_error is None and self.settings:
            self.set_status(self.status_text(len(self.settings)))

    def status_text(self, count: int) -> Text:
        """The status line: count, and why writes are off when they are."""
        text = Text(self.describe(count))
        reason = self.services.permission(self.WRITE_SCOPE)
        if reason:
            text.append(separator(self.app))
            text.append(f"editing disabled: {reason}", style="bold")
        return self.append_unknown(self.append_filter(text))

    # -- the highlighted setting ------------------------------------------------------

    def current(self) -> Setting | None:
        """The setting under the cursor."""
        key = row_key(self.table)
        return self.settings.get(key) if key is not None else None

    def update_detail(self) -> None:
        """Show the whole value, the warning and why editing is not possible."""
        setting = self.current()
        if setting is None:
            self.set_detail(self.no_match_text())
            return
        text = Text()
        text.append_text(api_text(setting.key, "bold"))
        text.append(" = ")
        text.append_text(api_text(setting.display_value or "(empty)"))
        if setting.warning_text:
            text.append("\nWarning: ", style="bold")
            text.append_text(api_text(setting.warning_text))
        reason = self.edit_block_reason(setting)
        if reason:
            text.append(f"\nCannot edit: {reason}", style="italic")
        self.set_detail(text)

    def edit_block_reason(self, setting: Setting | None) -> str | None:
        """Why ``e`` is disabled for ``setting`` (``None`` when it works)."""
        if self.stack is None:
            return "choose a stack first"
        if setting is None:
            return "no setting selected"
        if setting.readonly:
            return READ_ONLY_REASON
        reason = self.services.permission(self.WRITE_SCOPE)
        if reason:
            return reason
        if self.services.is_in_flight(self.flight_key(self.stack, setting)):
            return "a change to it is being applied"
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit":
            return greyed(self, action, self.edit_block_reason(self.current()))
        return super().check_action(action, parameters)

    # -- editing ----------------------------------------------------------------------

    def action_edit(self) -> None:
        """Edit the highlighted setting: dialog, confirmation, write, follow."""
        setting = self.current()
        if self.stack is None or setting is None or self.edit_block_reason(setting):
            return
        self._edit(self.stack, setting)

    @work(group="settings-write", exit_on_error=False)
    async def _edit(self, stack: Stack, setting: Setting) -> None:
        sep = separator(self.app)
        dialog = EditSettingDialog(stack, setting, server_name=self.target_name(), sep=sep)
        value = await self.app.push_screen_wait(dialog)
        if value is None:
            return
        lines: list[Text | str] = list(target_lines(stack, self.target_name(), sep))
        line = Text("Setting: ")
        line.append_text(api_text(setting.key, "bold"))
        lines.append(line)
        lines.append(Text("From: ").append_text(api_text(setting.display_value or "(empty)")))
        lines.append(Text("To:   ").append_text(api_text(value, "bold")))
        if setting.warning_text:
            lines.append(
                Text("Warning: ", style="bold").append_text(api_text(setting.warning_text))
            )
        confirm = ConfirmDialog(
            "Change this setting?",
            lines,
            confirm_label="Apply",
            danger=stack.is_production,
            guard=FOLLOW_UP_GUARD,  # it follows the edit dialog
        )
        if not await self.app.push_screen_wait(confirm):
            self.set_status("Nothing was changed.")
            return
        reason = self.edit_block_reason(setting)
        if reason:
            self.set_status(f"Not sent: {reason}")
            return
        where = self.target_name()
        what = f"{setting.key} = {clip(value, 40)} on {stack.name}"
        if where is not None:
            what += f" / {where}"
        params: dict[str, Any] = {"key": setting.key, "value": value}
        if where is not None:
            params["server"] = where
        write = Write(
            kind="setting",
            flight_key=self.flight_key(stack, setting),
            stack=stack,
            what=what,
            send=lambda api: self.send(api, stack, setting, value),
            params=params,
        )
        await self.write_and_follow(stack, write)

    async def write_and_follow(self, stack: Stack, write: Write) -> None:
        """Send ``write`` (journalled, once), say how it went, and show the result."""
        result = await perform_write(
            self.services,
            write,
            notify=self.app.notify,
            refresh_keys=self.refresh_screen_keys,
            progress=self._progress,
        )
        if result.sent:
            self.note_outcome(write.what, result.outcome)
        if self.shows(stack):
            self.reload()
        self.after_write()

    def _progress(self, message: str) -> None:
        self.set_status(Text(sanitize(message)))
        self.render_rows()

    def after_write(self) -> None:
        """Hook run after any write of this tab finished (refresh related state)."""
