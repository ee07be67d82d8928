"""The "Env vars" tab: environment variables of the stack in focus.

Password values are masked until revealed one at a time with ``v``; they are never
copied by accident: ``y`` copies a name, ``c`` copies a plain value, and a password value
only once it is revealed and a confirmation says so. Read-only and generated variables
cannot be changed. ``a``/``e``/``d`` add, change and delete with an apply strategy, after
a confirmation naming the stack and environment. ``/`` narrows the list by name, flags and
the values on show: a masked password is never matched by its hidden value. Cloud 66
only lists variables to tokens with the admin scope; without it the tab says so instead
of showing a list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from c66tui.api.errors import Cloud66Error, MissingScopeError
from c66tui.api.models import EnvVar, Stack
from c66tui.api.redaction import register_secret
from c66tui.text import sanitize
from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.key_reasons import greyed
from c66tui.ui.widgets.settings_tabs.common import (
    api_text,
    ascii_only,
    clip,
    mask_for,
    row_key,
    separator,
    value_width,
    words,
)
from c66tui.ui.widgets.settings_tabs.env_changes import EnvChanges
from c66tui.ui.widgets.settings_tabs.list_filter import FILTER_BINDINGS, FilteredTab

WRITE_SCOPE = "admin"
DENIED_TEXT = (
    "Environment variables need the admin scope: Cloud 66 refuses to list them to this "
    "login. Log in again and grant the admin scope to see and change them."
)


class EnvVarsTab(EnvChanges, FilteredTab):
    """Environment variables of one stack."""

    TABLE_ID = "env-table"
    COLUMNS = (("key", "Key"), ("value", "Value"), ("flags", "Flags"))

    BINDINGS = [
        Binding("a", "add", "Add", id="settings.env.add", tooltip="Add a variable"),
        Binding("e", "edit", "Edit", id="settings.env.edit", tooltip="Change the value"),
        Binding("d", "delete", "Delete", id="settings.env.delete", tooltip="Delete it"),
        Binding("v", "reveal", "Reveal", id="settings.env.reveal", tooltip="Show/hide"),
        Binding("y", "copy_key", "Copy name", id="settings.env.copy_key"),
        Binding("c", "copy_value", "Copy value", id="settings.env.copy_value"),
        *FILTER_BINDINGS,
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.vars: dict[str, EnvVar] = {}
        """The variables shown, by key."""
        self.revealed: set[str] = set()
        """Password variables whose value is shown."""
        self.denied: str | None = None
        """Why the list cannot be shown (missing scope), when it cannot."""
        self.loaded = False

    def compose_below(self) -> ComposeResult:
        yield Static(DENIED_TEXT, id="env-denied", markup=False)

    def on_mount(self) -> None:
        self.query_one("#env-denied").display = False
        self.set_status("Choose a stack to see its environment variables.")

    def stack_changed(self) -> None:
        self.revealed.clear()
        self.vars = {}
        self.loaded = False
        if self.is_mounted:
            self.table.clear()

    def deactivate(self) -> None:
        super().deactivate()
        self.hide_all()

    def hide_all(self) -> None:
        """Mask every revealed value again."""
        if self.revealed:
            self.revealed.clear()
            self.render_rows()

    # -- loading ----------------------------------------------------------------------

    @work(exclusive=True, group="env-load", exit_on_error=False)
    async def reload(self) -> None:
        """Fetch the variables of the current stack and show them."""
        stack = self.stack
        if stack is None:
            self.set_status("Choose a stack to see its environment variables.")
            return
        table = self.table
        table.loading = True
        try:
            env = await self.services.read(lambda api: api.list_env_vars(stack.uid))
        except MissingScopeError as err:
            self.services.note_missing_scope(err)
            self._deny()
            return
        except Cloud66Error as err:
            self.set_status(Text(sanitize(f"Could not load the variables: {err}")))
            return
        finally:
            table.loading = False
        if not self.shows(stack):
            return
        self.denied = None
        self.loaded = True
        self.query_one("#env-denied").display = False
        table.display = True
        self.vars = {v.key: v for v in env}
        self.revealed &= set(self.vars)
        self.render_rows()
        self.set_status(self.status_text())
        self.settle_focus()

    def _deny(self) -> None:
        self.denied = DENIED_TEXT
        self.vars = {}
        self.table.clear()
        self.table.display = False
        self.query_one("#env-denied").display = True
        self.set_status("Environment variables: needs the admin scope")
        self.set_detail("")
        self.refresh_bindings()

    def status_text(self) -> Text:
        count = len(self.vars)
        secret = sum(1 for v in self.vars.values() if v.is_password)
        text = Text(f"{count} variables ({secret} passwords, masked)")
        reason = self.services.permission(WRITE_SCOPE)
        if reason:
            text.append(separator(self.app))
            text.append(f"changes disabled: {reason}", style="bold")
        return self.append_unknown(self.append_filter(text))

    def refresh_status(self) -> None:
        if self.loaded and not self.denied:
            self.set_status(self.status_text())

    def render_rows(self) -> None:
        """(Re)draw the table from :attr:`vars`."""
        if not self.is_mounted:
            return
        self.show_rows((var.key, self._cells(var)) for var in self.vars.values())
        self.update_detail()
        self.refresh_bindings()

    def is_masked(self, var: EnvVar) -> bool:
        """Whether the value of ``var`` is hidden (a password not revealed)."""
        return var.is_password and var.key not in self.revealed

    def filter_fields(self, key: str, cells: tuple[Any, ...]) -> Iterable[str]:
        """Name, flags and the whole value, unless the value is a masked password: the
        filter must not find a secret the table hides."""
        var = self.vars.get(key)
        if var is None:
            return ()
        flags = cells[2].plain if isinstance(cells[2], Text) else str(cells[2])
        if self.is_masked(var):
            return (var.key, flags)
        return (var.key, sanitize(var.display_value), flags)

    def shown_value(self, var: EnvVar) -> str:
        """The value as the table shows it: masked for hidden passwords."""
        if self.is_masked(var):
            return mask_for(self.app)
        return clip(
            sanitize(var.display_value), value_width(self.app, 48), ascii=ascii_only(self.app)
        )

    def _cells(self, var: EnvVar) -> tuple[Text, Text, Text]:
        flags = []
        if var.is_password:
            flags.append("password (shown)" if var.key in self.revealed else "password")
        if var.readonly:
            flags.append("read-only")
        if var.is_generated:
            flags.append("generated")
        if self.stack and self.services.is_in_flight(self.flight_key(self.stack, var.key)):
            flags.append("applying")
        return api_text(var.key), api_text(self.shown_value(var)), Text(words(flags))

    # -- the highlighted variable -----------------------------------------------------

    def current(self) -> EnvVar | None:
        """The variable under the cursor."""
        if self.denied or not self.table.display:
            return None
        key = row_key(self.table)
        return self.vars.get(key) if key is not None else None

    def update_detail(self) -> None:
        """Show the whole (or masked) value and why changes are not possible."""
        var = self.current()
        if var is None:
            self.set_detail(self.no_match_text())
            return
        text = Text()
        text.append_text(api_text(var.key, "bold"))
        text.append(" = ")
        if var.is_password and var.key not in self.revealed:
            text.append(mask_for(self.app))
            text.append("  (password: v reveals it)", style="italic")
        else:
            text.append_text(api_text(var.display_value or "(empty)"))
        reason = self.change_block_reason(var)
        if reason:
            text.append(f"\nCannot change: {reason}", style="italic")
        self.set_detail(text)

    def flight_key(self, stack: Stack, key: str) -> str:
        return f"env_var:{stack.uid}:{key}"

    def write_block_reason(self) -> str | None:
        """Why no variable can be added or changed right now."""
        if self.stack is None:
            return "choose a stack first"
        if self.denied:
            return "needs the admin scope"
        reason = self.services.permission(WRITE_SCOPE)
        if reason:
            return reason
        if not self.loaded:
            return "the variables are not loaded yet"
        return None

    def change_block_reason(self, var: EnvVar | None, action: str = "edit") -> str | None:
        """Why ``var`` cannot be edited (or, for ``action="delete"``, deleted): a
        generated variable can be changed unless it is read-only, but not deleted."""
        reason = self.write_block_reason()
        if reason:
            return reason
        if var is None:
            return "no variable selected"
        if var.readonly:
            return "read-only: Cloud 66 manages this variable"
        if var.is_generated and action == "delete":
            return "generated by Cloud 66: it can be changed but not deleted"
        if self.stack and self.services.is_in_flight(self.flight_key(self.stack, var.key)):
            return "a change to it is being applied"
        return None

    def _key_block(self, action: str) -> str | None:
        """Why the key of ``action`` does nothing now (``None``: it works)."""
        var = self.current()
        if action == "add":
            return self.write_block_reason()
        if action in ("edit", "delete"):
            return self.change_block_reason(var, action)
        if var is None:
            return "no variable selected"
        if action == "reveal" and not var.is_password:
            return "only password values are hidden"
        if action == "copy_value" and var.is_password and var.key not in self.revealed:
            return "reveal the password with v first"
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "edit", "delete", "reveal", "copy_key", "copy_value"):
            return greyed(self, action, self._key_block(action))
        return super().check_action(action, parameters)

    # -- reveal and copy --------------------------------------------------------------

    def action_reveal(self) -> None:
        """Show or hide the highlighted password value."""
        var = self.current()
        if var is None or not var.is_password:
            return
        if var.key in self.revealed:
            self.revealed.discard(var.key)
        else:
            self.revealed.add(var.key)
            # Shown in its cell on purpose; masked everywhere else text leaves the app.
            register_secret(var.display_value)
        self.render_rows()

    def action_copy_key(self) -> None:
        """Copy the highlighted variable's name."""
        var = self.current()
        if var is None:
            return
        self.app.copy_to_clipboard(var.key)
        self.app.notify(f"Copied the name {sanitize(var.key)}.", markup=False)

    def action_copy_value(self) -> None:
        """Copy the value; a password only when revealed and after a confirmation."""
        var = self.current()
        if var is None:
            return
        if not var.is_password:
            self.app.copy_to_clipboard(var.display_value)
            self.app.notify(f"Copied the value of {sanitize(var.key)}.", markup=False)
            return
        if var.key not in self.revealed:
            self.app.notify(
                "Password values are copied only after revealing them with v.",
                severity="warning",
                markup=False,
            )
            return
        self._copy_password(var)

    @work(group="env-copy", exit_on_error=False)
    async def _copy_password(self, var: EnvVar) -> None:
        line = Text("Variable: ")
        line.append_text(api_text(var.key, "bold"))
        confirm = ConfirmDialog(
            "Copy a password?",
            [
                line,
                "This puts the secret value on the clipboard, where other programs "
                "(and this terminal's scrollback tools) can read it.",
            ],
            confirm_label="Copy",
            danger=True,
            effect="puts a secret on the clipboard",
        )
        if await self.app.push_screen_wait(confirm):
            self.app.copy_to_clipboard(var.display_value)
            self.app.notify(f"Copied the password value of {sanitize(var.key)}.", markup=False)
