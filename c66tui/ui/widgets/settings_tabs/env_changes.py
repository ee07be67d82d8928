"""Adding, changing and deleting environment variables (the Env vars tab's writes).

Each change goes through the dialog (name, value, apply strategy), a confirmation that
names the stack and environment, then the journalled single-flight write. The journal
records the name and strategy, never the value.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work

from c66tui.api.models import EnvVar, Stack
from c66tui.ops.setting_writes import Write, perform_write
from c66tui.text import sanitize
from c66tui.ui.dialogs.confirm import FOLLOW_UP_GUARD, ConfirmDialog
from c66tui.ui.dialogs.edit_setting import target_lines
from c66tui.ui.dialogs.env_var import STRATEGIES, EnvVarChange, EnvVarDialog, Mode
from c66tui.ui.widgets.settings_tabs.common import api_text, clip, mask_for, separator


class EnvChanges:
    """Mixin for :class:`EnvVarsTab`: the ``a``, ``e`` and ``d`` keys."""

    # -- add, edit, delete ------------------------------------------------------------

    def action_add(self) -> None:
        """Add a variable."""
        if self.stack is not None and not self.write_block_reason():
            self._change(self.stack, "add", None)

    def action_edit(self) -> None:
        """Change the highlighted variable's value."""
        var = self.current()
        if self.stack is not None and var is not None and not self.change_block_reason(var):
            self._change(self.stack, "edit", var)

    def action_delete(self) -> None:
        """Delete the highlighted variable."""
        var = self.current()
        if (
            self.stack is not None
            and var is not None
            and not self.change_block_reason(var, "delete")
        ):
            self._change(self.stack, "delete", var)

    @work(group="env-write", exit_on_error=False)
    async def _change(self, stack: Stack, mode: Mode, var: EnvVar | None) -> None:
        sep = separator(self.app)
        dialog = EnvVarDialog(stack, mode, var, existing=set(self.vars), sep=sep)
        change: EnvVarChange | None = await self.app.push_screen_wait(dialog)
        if change is None:
            return
        secret = bool(var and var.is_password)
        if not await self.app.push_screen_wait(self._confirm(stack, mode, change, secret)):
            self.set_status("Nothing was changed.")
            return
        reason = self.write_block_reason() if mode == "add" else self.change_block_reason(var, mode)
        if reason:
            self.set_status(f"Not sent: {reason}")
            return
        verbs = {"add": "add", "edit": "change", "delete": "delete"}
        write = Write(
            kind="env_var",
            flight_key=self.flight_key(stack, change.key),
            stack=stack,
            what=f"{verbs[mode]} {change.key} on {stack.name}",
            send=lambda api: self._send(api, stack, mode, change),
            params={"op": mode, "key": change.key, "apply_strategy": change.apply_strategy},
        )
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

    def _confirm(self, stack: Stack, mode: Mode, change: EnvVarChange, secret: bool):
        sep = separator(self.app)
        lines: list[Text | str] = list(target_lines(stack, sep=sep))
        line = Text("Variable: ")
        line.append_text(api_text(change.key, "bold"))
        lines.append(line)
        if change.value is not None:
            shown = mask_for(self.app) if secret else clip(sanitize(change.value), 60)
            lines.append(Text("New value: ").append_text(api_text(shown, "bold")))
        when = dict(STRATEGIES)[change.apply_strategy]
        lines.append(f"When: {when}")
        titles = {
            "add": "Add this variable?",
            "edit": "Change this variable?",
            "delete": "Delete this variable?",
        }
        labels = {"add": "Add", "edit": "Save", "delete": "Delete"}
        return ConfirmDialog(
            titles[mode],
            lines,
            confirm_label=labels[mode],
            danger=mode == "delete" or stack.is_production,
            guard=FOLLOW_UP_GUARD,  # it follows the variable dialog
        )

    @staticmethod
    async def _send(api: Any, stack: Stack, mode: Mode, change: EnvVarChange) -> Any:
        strategy = change.apply_strategy
        if mode == "add":
            return await api.create_env_var(stack.uid, change.key, change.value, strategy)
        if mode == "edit":
            return await api.update_env_var(stack.uid, change.key, change.value, strategy)
        return await api.delete_env_var(stack.uid, change.key, strategy)

    def _progress(self, message: str) -> None:
        self.set_status(Text(sanitize(message)))
        self.render_rows()
