"""The "Profiles" tab: the Cloud 66 logins in ``config.toml``.

Lists each profile with its API host, read-only flag and whether a token is saved (the
token itself is never shown). ``a`` adds a profile, ``r`` renames one (its saved token
moves with it), ``d`` removes one (and its token), ``o`` makes a profile read-only or
writable, ``l`` logs out, and enter switches to the highlighted profile. The profile in
use cannot be renamed or removed; the default one cannot be removed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.widgets import DataTable

from c66tui.config import DEFAULT_API_URL, Profile, validate_preference
from c66tui.ops.config_writes import adopt_config, save_config
from c66tui.text import counted, sanitize
from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.dialogs.edit_preference import EditPreferenceDialog, FormField
from c66tui.ui.key_reasons import greyed
from c66tui.ui.widgets.settings_tabs.common import row_key, words
from c66tui.ui.widgets.settings_tabs.list_filter import FILTER_BINDINGS, FilteredTab


class ProfilesTab(FilteredTab):
    """List, add, rename, remove profiles; read-only per profile; log out."""

    NEEDS_STACK = False
    TABLE_ID = "profiles-table"
    COLUMNS = (
        ("name", "Profile"),
        ("host", "API host"),
        ("writes", "Writes"),
        ("login", "Login"),
        ("notes", "Notes"),
    )

    BINDINGS = [
        Binding("a", "add", "Add", id="settings.profiles.add", tooltip="Add a profile"),
        Binding("r", "rename", "Rename", id="settings.profiles.rename"),
        Binding("d", "remove", "Remove", id="settings.profiles.remove"),
        Binding("o", "read_only", "Read-only", id="settings.profiles.read_only"),
        Binding("l", "logout", "Log out", id="settings.profiles.logout"),
        *FILTER_BINDINGS,
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._profiles: dict[str, Any] = {}
        self._default: str | None = None

    @property
    def config(self) -> Any:
        return getattr(self.services, "config", None) or self.services.settings.config

    @property
    def in_use(self) -> str:
        """The profile this run of c66tui is using."""
        return str(self.services.profile_name)

    # -- listing ----------------------------------------------------------------------

    def reload(self) -> None:
        """Read ``config.toml`` again and list its profiles."""
        try:
            config = self.services.store.load()
        except Exception as err:  # noqa: BLE001 - show the problem, keep the old list
            self.set_status(Text(sanitize(f"Could not read config.toml: {err}")))
            config = self.config
        rows = []
        for name, profile in sorted(config.profiles.items()):
            rows.append((name, self._cells(config, name, profile)))
        self._profiles = dict(config.profiles)
        self._default = config.active_profile
        self.show_kept_rows(rows)
        self.refresh_status()

    def refresh_status(self) -> None:
        text = Text(
            f"{counted(len(self.kept_rows), 'profile')} · using {sanitize(self.in_use)} · "
            "enter switches to a profile"
        )
        self.set_status(self.append_filter(text))

    def _cells(self, config: Any, name: str, profile: Any) -> tuple[Text, ...]:
        host = urlsplit(profile.api_url).netloc or profile.api_url
        notes = []
        if name == self.in_use:
            notes.append("in use")
        if name == config.active_profile:
            notes.append("default")
        writes = "read-only" if profile.read_only else "allowed"
        return (
            Text(sanitize(name), style="bold" if name == self.in_use else ""),
            Text(sanitize(host)),
            Text(writes),
            Text(self._login_state(name)),
            Text(words(notes)),
        )

    def _login_state(self, name: str) -> str:
        if name == self.in_use and getattr(self.services, "token_source", None) == "env":
            return "token from CLOUD66_TOKEN"
        try:
            return "token saved" if self.services.store.get_token(name) else "no token"
        except Exception:  # noqa: BLE001 - an unreadable credentials file
            return "unreadable"

    def current(self) -> str | None:
        """The profile name under the cursor."""
        return row_key(self.table)

    def update_detail(self) -> None:
        name = self.current()
        if name is None:
            self.set_detail(self.no_match_text())
            return
        profile = self._profiles.get(name)
        text = Text()
        if profile is not None:
            text.append(sanitize(profile.api_url))
            text.append(f"  scopes: {sanitize(' '.join(profile.scopes))}")
        for action, label in (("rename", "rename"), ("remove", "remove")):
            reason = self.block_reason(action, name)
            if reason:
                text.append(f"\nCannot {label}: {reason}", style="italic")
        self.set_detail(text)

    def block_reason(self, action: str, name: str | None) -> str | None:
        """Why ``action`` is not possible on profile ``name``."""
        if name is None:
            return "no profile selected"
        if action in ("rename", "remove") and name == self.in_use:
            return "it is the profile in use (switch to another one first)"
        if action == "remove" and name == self._default:
            return "it is the default profile (make another one the default first)"
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        name = self.current()
        if action in ("rename", "remove"):
            return greyed(self, action, self.block_reason(action, name))
        if action in ("read_only", "logout"):
            return True if name is not None else None
        return super().check_action(action, parameters)

    # -- add and rename ---------------------------------------------------------------

    def _name_check(self, allow: str | None = None):
        taken = set(self._profiles)

        def check(raw: str) -> str:
            name = validate_preference("profile", raw)
            if name in taken and name != allow:
                raise ValueError(f"There is already a profile called {name}")
            return name

        return check

    def action_add(self) -> None:
        """Add a profile (log in to it by switching to it)."""
        self._add()

    @work(exclusive=True, group="profiles-edit", exit_on_error=False)
    async def _add(self) -> None:
        fields = [
            FormField("name", "Profile name", check=self._name_check(), placeholder="staging"),
            FormField(
                "api_url",
                "API URL",
                DEFAULT_API_URL,
                check=lambda raw: validate_preference("api_url", raw),
            ),
        ]
        answer = await self.app.push_screen_wait(
            EditPreferenceDialog("Add profile", fields, confirm_label="Add")
        )
        if answer is None:
            return
        name, api_url = answer["name"], answer["api_url"]

        def change(config: Any) -> None:
            if name in config.profiles:
                raise ValueError(f"There is already a profile called {name}")
            config.profiles[name] = Profile(name=name, api_url=api_url)

        if save_config(self.services, self.app.notify, change) is not None:
            self.app.notify(
                f"Added profile {name}. Press enter on it to switch and log in.",
                markup=False,
            )
        self.reload()

    def action_rename(self) -> None:
        """Rename the highlighted profile (not the one in use)."""
        name = self.current()
        if name is not None and not self.block_reason("rename", name):
            self._rename(name)

    @work(exclusive=True, group="profiles-edit", exit_on_error=False)
    async def _rename(self, old: str) -> None:
        field = FormField("name", "New name", old, check=self._name_check(allow=old))
        answer = await self.app.push_screen_wait(
            EditPreferenceDialog("Rename profile", [field], lines=[f"Profile: {old}"])
        )
        if answer is None or answer["name"] == old:
            return
        new = answer["name"]

        def change(config: Any) -> None:
            if new in config.profiles:
                raise ValueError(f"There is already a profile called {new}")
            profile = config.profiles.pop(old)
            profile.name = new
            config.profiles[new] = profile
            if config.active_profile == old:
                config.active_profile = new

        store = self.services.store
        try:
            token = store.get_token(old)
            secret = store.get_client_secret(old)
        except Exception as err:  # noqa: BLE001
            self.app.notify(f"Not renamed: {sanitize(str(err))}", severity="error", markup=False)
            return
        if save_config(self.services, self.app.notify, change) is None:
            return
        try:
            if token is not None:
                store.set_token(new, token, client_secret=secret)
                store.delete_token(old)
        except Exception as err:  # noqa: BLE001
            self.app.notify(
                f"Renamed, but the saved login could not be moved: {sanitize(str(err))}",
                severity="warning",
                markup=False,
            )
        else:
            self.app.notify(f"Renamed {old} to {new}.", markup=False)
        self.reload()
        # The cursor stays on the renamed profile (the next key acts on it, not on the
        # first row, which may be the profile in use).
        if new in self.table.rows:
            self.table.move_cursor(row=self.table.get_row_index(new), animate=False)

    # -- remove, read-only, log out ---------------------------------------------------

    def action_remove(self) -> None:
        """Remove the highlighted profile and its saved token."""
        name = self.current()
        if name is not None and not self.block_reason("remove", name):
            self._remove(name)

    @work(exclusive=True, group="profiles-edit", exit_on_error=False)
    async def _remove(self, name: str) -> None:
        confirm = ConfirmDialog(
            "Remove this profile?",
            [f"Profile: {name}", "Its settings and its saved token are deleted from this machine."],
            confirm_label="Remove",
            danger=True,
            effect="removes a profile from this machine's config",
        )
        if not await self.app.push_screen_wait(confirm):
            return
        try:
            self.services.store.delete_profile(name)
        except Exception as err:  # noqa: BLE001
            self.app.notify(f"Not removed: {sanitize(str(err))}", severity="error", markup=False)
            return
        try:
            adopt_config(self.services, self.services.store.load())
        except Exception:  # noqa: BLE001 - the list below reads the file again anyway
            pass
        self.app.notify(f"Removed profile {name}.", markup=False)
        self.reload()

    def action_read_only(self) -> None:
        """Make the highlighted profile read-only, or writable again."""
        name = self.current()
        profile = self._profiles.get(name)
        if name is None or profile is None:
            return
        value = not profile.read_only

        def change(config: Any) -> None:
            config.profiles[name].read_only = value

        if save_config(self.services, self.app.notify, change) is None:
            return
        if name == self.in_use:
            # Applies at once to this run: writes are disabled (or enabled) everywhere.
            self.services.profile.read_only = value
        state = "read-only: c66tui will not change anything" if value else "allowed to change"
        self.app.notify(f"Profile {name} is now {state}.", markup=False)
        self.reload()
        self.screen.refresh_bindings()

    def action_logout(self) -> None:
        """Log out of the highlighted profile (remove its saved token)."""
        name = self.current()
        if name is None:
            return
        if name == self.in_use and hasattr(self.app, "action_logout"):
            self.app.action_logout()
            return
        self._forget_token(name)

    @work(exclusive=True, group="profiles-edit", exit_on_error=False)
    async def _forget_token(self, name: str) -> None:
        confirm = ConfirmDialog(
            "Log out?",
            [f"Profile: {name}", "The saved token is removed from this machine."],
            confirm_label="Log out",
        )
        if not await self.app.push_screen_wait(confirm):
            return
        try:
            removed = self.services.store.delete_token(name)
        except Exception as err:  # noqa: BLE001
            self.app.notify(f"Not logged out: {sanitize(str(err))}", severity="error", markup=False)
            return
        message = f"Logged out of {name}." if removed else f"{name} had no saved token."
        self.app.notify(message, markup=False)
        self.reload()

    @on(DataTable.RowSelected, "#profiles-table")
    def _switch(self, event: DataTable.RowSelected) -> None:
        name = event.row_key.value
        if not name or name == self.in_use:
            return
        switch = getattr(self.app, "switch_profile", None)
        if callable(switch):
            switch(name)
        else:
            self.app.notify("Restart c66tui with --profile to use it.", markup=False)
