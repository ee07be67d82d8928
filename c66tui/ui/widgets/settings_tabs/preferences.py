"""The "Preferences" tab: c66tui's own look and behaviour, saved in ``config.toml``.

One row per preference and one per remappable key of every screen, opened yet or not
(see :mod:`.key_catalog`). ``e`` (or enter) opens a dialog that checks the value with
:func:`c66tui.config.validate_preference`; a refused value is explained there and never
written. Accepted changes are saved at once (atomically) and applied live where Textual
allows it: the theme (previewed while choosing, saved like a theme chosen from the
command palette) and key bindings (``App.set_keymap``); the rest is honoured on the next
start. ``/`` narrows the rows (e.g. ``/jobs`` for the keys of the jobs screen).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.widgets import DataTable

from c66tui.config import validate_preference
from c66tui.ops.config_writes import (
    persist_theme,
    save_config,
    theme_preview,
)
from c66tui.ui.dialogs.edit_preference import EditPreferenceDialog, FormField
from c66tui.ui.key_reasons import greyed
from c66tui.ui.widgets.settings_tabs.common import row_key, separator
from c66tui.ui.widgets.settings_tabs.key_catalog import remappable_bindings
from c66tui.ui.widgets.settings_tabs.list_filter import FILTER_BINDINGS, FilteredTab, Row

FLAGS = {
    "mouse": "Mouse support",
    "low_bandwidth": "Low-bandwidth mode",
    "ascii_only": "ASCII-only output",
}
ON_OFF = (("on", "on"), ("off", "off"))
KEY_PREFIX = "keymap."
STATUS = "Saved to config.toml as soon as you change them. e or enter edits the row."


class PreferencesTab(FilteredTab):
    """Theme, refresh interval, mouse, bandwidth, ASCII, default profile and keys."""

    NEEDS_STACK = False
    TABLE_ID = "prefs-table"
    COLUMNS = (("name", "Preference"), ("value", "Value"), ("applies", "Applies"))

    BINDINGS = [
        Binding("e", "edit", "Edit", id="settings.prefs.edit", tooltip="Change this preference"),
        Binding(
            "x",
            "reset",
            "Default key",
            id="settings.prefs.reset",
            tooltip="Give this binding its default key back",
        ),
        *FILTER_BINDINGS,
    ]

    def on_mount(self) -> None:
        self.set_status(STATUS)
        # The theme can change elsewhere too (the command palette, the light/dark toggle).
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self, _name: str) -> None:
        """Only the theme row changes (the chooser previews each theme it passes over);
        a hidden tab shows the theme in use when it is next shown."""
        if not self.active:
            self.mark_stale()
            return
        key, cells = self._theme_row()
        self.kept_rows = [(key, cells) if k == key else (k, c) for k, c in self.kept_rows]
        if key in self.table.rows and self.matches_filter(key, cells):
            self.table.update_cell(key, "value", cells[1])
        else:  # the new name may match the filter where the old did not, or the other way
            self.render_rows()
            self.refresh_status()

    @property
    def prefs(self) -> Any:
        return self.services.preferences

    def reload(self) -> None:
        """Show the current preferences (read from the running app's config; the
        default profile from ``config.toml``, which another terminal may have changed)."""
        self.show_kept_rows(self.rows())
        self.refresh_status()

    def refresh_status(self) -> None:
        # The match count first: the explanation is long and the line is cut at 80.
        note = self.filter_note()
        if note is None:
            self.set_status(STATUS)
        else:
            self.set_status(note.append(separator(self.app)).append(STATUS))

    def rows(self) -> Iterator[Row]:
        """Every row, built afresh (:meth:`reload` keeps them for the filter)."""
        prefs = self.prefs
        yield self._theme_row()
        yield (
            "refresh_seconds",
            (Text("Refresh interval"), Text(f"{prefs.refresh_seconds} s"), Text("next start")),
        )
        for name, label in FLAGS.items():
            value = "on" if getattr(prefs, name) else "off"
            yield name, (Text(label), Text(value), Text("next start"))
        yield (
            "default_profile",
            (Text("Default profile"), Text(self._default_profile()), Text("next start")),
        )
        keymap = prefs.keymap or {}
        for binding_id, (description, default) in sorted(remappable_bindings(self.app).items()):
            custom = keymap.get(binding_id)
            value = Text(self.key_display(custom or default) or "-")
            if custom:
                value.append("  (custom)", style="italic")
            yield (
                KEY_PREFIX + binding_id,
                (Text(f"Key: {description} ({binding_id})"), value, Text("now")),
            )

    def _theme_row(self) -> Row:
        return "theme", (Text("Theme"), Text(self.app.theme), Text("now"))

    def key_display(self, keys: str) -> str:
        """``right_square_bracket,f1`` as the footer shows it: ``], f1``."""
        shown = []
        for key in (k.strip() for k in (keys or "").split(",")):
            if key:
                shown.append(self.app.get_key_display(Binding(key, "")))
        return ", ".join(shown)

    def _fresh_config(self) -> Any:
        """``config.toml`` as it is now (another terminal may have changed it)."""
        try:
            return self.services.store.load()
        except Exception:  # noqa: BLE001 - fall back to what the app loaded
            return getattr(self.services, "config", None) or self.services.settings.config

    def _default_profile(self) -> str:
        return str(getattr(self._fresh_config(), "active_profile", "default"))

    # -- the highlighted row ----------------------------------------------------------

    def current(self) -> str | None:
        """The preference name under the cursor (``keymap.<id>`` for keys)."""
        return row_key(self.table)

    @on(DataTable.RowSelected, "#prefs-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def update_detail(self) -> None:
        name = self.current()
        notes = {
            "theme": "Colours of the whole app; you see each theme as you move over it.",
            "refresh_seconds": "How often lists reload on their own (5 to 3600 seconds).",
            "mouse": "Off leaves the mouse to the terminal (select and copy text freely).",
            "low_bandwidth": "Polls less and redraws less: for slow SSH links.",
            "ascii_only": "Plain ASCII masks, separators and symbols for odd terminals.",
            "default_profile": "The profile c66tui starts with.",
        }
        if name is None:
            self.set_detail(self.no_match_text())
        elif name.startswith(KEY_PREFIX):
            self.set_detail(
                "Keys such as ctrl+d or f5, several separated by commas. "
                "x gives the binding its default key back."
            )
        else:
            self.set_detail(notes.get(name, ""))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reset":
            name = self.current() or ""
            if not name.startswith(KEY_PREFIX):
                return False
            custom = name[len(KEY_PREFIX) :] in (self.prefs.keymap or {})
            return greyed(self, action, None if custom else "this key already has its default")
        if action == "edit":
            return True if self.current() else None
        return super().check_action(action, parameters)

    # -- editing ----------------------------------------------------------------------

    def action_edit(self) -> None:
        """Open the dialog for the highlighted preference."""
        name = self.current()
        if name is not None:
            self._edit(name)

    @work(exclusive=True, group="prefs-edit", exit_on_error=False)
    async def _edit(self, name: str) -> None:
        dialog = self.dialog_for(name)
        original_theme = self.app.theme
        # Themes shown while choosing are previews: only the chosen one is saved.
        with theme_preview(self.services):
            answer = await self.app.push_screen_wait(dialog)
            if name == "theme" and answer is None:
                self.app.theme = original_theme
        if answer is None:
            return
        if self.save(name, answer[name]):
            self.app.notify(f"Saved: {self._label(name)}.", markup=False, timeout=3)
        self.reload()

    def _label(self, name: str) -> str:
        if name.startswith(KEY_PREFIX):
            return f"key for {name[len(KEY_PREFIX) :]}"
        labels = {"theme": "theme", "refresh_seconds": "refresh interval"}
        labels["default_profile"] = "default profile"
        return labels.get(name) or FLAGS.get(name, name).lower()

    def dialog_for(self, name: str) -> EditPreferenceDialog:
        """The dialog that edits preference ``name``."""
        prefs = self.prefs

        def check(raw: str) -> Any:
            return validate_preference(name, raw)

        if name == "theme":
            themes = sorted(self.app.available_themes)

            def check_theme(raw: str) -> str:
                value = validate_preference("theme", raw)
                if value not in self.app.available_themes:
                    raise ValueError(f"There is no theme called {value}")
                return value

            field = FormField(
                "theme", "Theme", self.app.theme, [(t, t) for t in themes], check_theme
            )
            return EditPreferenceDialog(
                "Theme", [field], on_highlight=self._preview_theme, confirm_label="Use"
            )
        if name == "refresh_seconds":
            field = FormField(
                name,
                "Refresh interval (seconds)",
                str(prefs.refresh_seconds),
                check=check,
                help="A whole number from 5 to 3600.",
            )
            return EditPreferenceDialog("Refresh interval", [field])
        if name in FLAGS:
            value = "on" if getattr(prefs, name) else "off"
            field = FormField(name, FLAGS[name], value, ON_OFF, check)
            return EditPreferenceDialog(FLAGS[name], [field])
        if name == "default_profile":
            names = sorted(self._fresh_config().profiles)

            def check_profile(raw: str) -> str:
                value = validate_preference("default_profile", raw)
                if value not in names:
                    raise ValueError(f"There is no profile called {value}")
                return value

            field = FormField(
                name,
                "Start with profile",
                self._default_profile(),
                [(n, n) for n in names],
                check_profile,
            )
            return EditPreferenceDialog("Default profile", [field])
        binding_id = name[len(KEY_PREFIX) :]
        description, default = remappable_bindings(self.app).get(binding_id, (binding_id, ""))
        current = (prefs.keymap or {}).get(binding_id, default)

        def check_keys(raw: str) -> str:
            if not raw.strip():
                return ""
            return validate_preference(name, raw)

        field = FormField(
            name,
            f"Keys for: {description}",
            current,
            check=check_keys,
            help=f"Default: {default or 'none'}. Empty gives the default back.",
        )
        return EditPreferenceDialog("Key binding", [field], lines=[f"Binding id: {binding_id}"])

    def _preview_theme(self, _name: str, theme: str) -> None:
        if theme in self.app.available_themes:
            self.app.theme = theme

    # -- saving -----------------------------------------------------------------------

    def save(self, name: str, value: Any) -> bool:
        """Write one checked value to ``config.toml`` and apply it where possible."""
        if name.startswith(KEY_PREFIX):
            return self.save_key(name[len(KEY_PREFIX) :], value)
        if name == "theme":
            # Saved by the same means as a theme chosen from the command palette.
            with theme_preview(self.services):
                self.app.theme = value
            return persist_theme(self.services, self.app.notify, lambda: self.app.theme)

        def change(config: Any) -> None:
            if name == "default_profile":
                if value not in config.profiles:
                    raise ValueError(f"There is no profile called {value}")
                config.active_profile = value
            else:
                setattr(config.preferences, name, value)

        return save_config(self.services, self.app.notify, change) is not None

    def save_key(self, binding_id: str, keys: str) -> bool:
        """Save (or with ``""`` remove) a key override and apply the new keymap."""

        def change(config: Any) -> None:
            keymap = dict(config.preferences.keymap or {})
            if keys:
                keymap[binding_id] = keys
            else:
                keymap.pop(binding_id, None)
            config.preferences.keymap = keymap

        config = save_config(self.services, self.app.notify, change)
        if config is None:
            return False
        self.app.set_keymap(dict(config.preferences.keymap))
        return True

    def action_reset(self) -> None:
        """Remove the custom key of the highlighted binding."""
        name = self.current() or ""
        if name.startswith(KEY_PREFIX) and self.save_key(name[len(KEY_PREFIX) :], ""):
            self.app.notify("Default key restored.", markup=False, timeout=3)
            self.reload()
