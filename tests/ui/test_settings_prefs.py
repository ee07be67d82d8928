"""The Preferences tab: each change checked in its dialog, written to config.toml at
once, applied live where possible (theme, keys) and honoured on the next start."""

from __future__ import annotations

import contextlib
import os
import threading

from textual.binding import Binding

from c66tui.config import ConfigStore, Profile, load_settings
from c66tui.ui.dialogs.edit_preference import EditPreferenceDialog
from c66tui.ui.screens.settings import SettingsScreen
from c66tui.ui.widgets.settings_tabs.common import ASCII_MASK
from tests.test_cli import fake_ui  # noqa: F401 - fixture: the CLI with a fake UI
from tests.ui.test_settings_support import (  # noqa: F401 - fixture
    fast_action_polls,
    move_to,
    open_settings,
    settle,
    table_rows,
    type_text,
    wait_for_screen,
    wait_until,
)


def config_bytes(app) -> bytes:
    return app.services.store.config_path.read_bytes()


def count_updates(app) -> list[str]:
    """Record the theme saved by each ``ConfigStore.update`` (the locked, atomic write)."""
    store = app.services.store
    real = store.update
    seen: list[str] = []

    def update(change):
        config = real(change)
        seen.append(config.preferences.theme)
        return config

    store.update = update
    return seen


async def theme_saved(app) -> None:
    """Wait for the thread worker that saves a theme changed on the app."""
    from textual.worker import WorkerCancelled

    savers = [w for w in app.workers if w.group == "save-theme"]
    with contextlib.suppress(WorkerCancelled):
        await app.workers.wait_for_complete(savers)


async def edit_row(pilot, app, key):
    """On the Preferences tab, press e on row ``key``; returns the dialog."""
    tab = app.screen.tab("prefs")
    move_to(tab.table, key)
    await pilot.pause()
    await pilot.press("e")
    return await wait_for_screen(pilot, app, EditPreferenceDialog)


async def test_lists_preferences_and_keys(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="prefs", stack_name=None)
        rows = {row[0]: row for row in table_rows(screen.tab("prefs").table)}
        assert rows["Theme"][1:] == ["c66-dark", "now"]
        assert rows["Refresh interval"][1] == "30 s"
        assert rows["Mouse support"][1] == "on"
        assert rows["Key: Next tab (settings.next_tab)"][1] == "]"
        # The stack chooser is hidden on tabs that do not depend on a stack.
        assert not screen.query_one("#settings-stack-bar").display


async def test_theme_previews_live_saves_and_cancel_restores(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot, app, tab="prefs", stack_name=None)
        before = config_bytes(app)
        await edit_row(pilot, app, "theme")
        await pilot.press("down")
        assert app.theme == "c66-light"
        await pilot.press("escape")
        await pilot.pause()
        assert app.theme == "c66-dark"
        assert config_bytes(app) == before
        await edit_row(pilot, app, "theme")
        await pilot.press("down", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        assert app.theme == "c66-light"
        assert ConfigStore(app.services.store.directory).load().preferences.theme == "c66-light"


async def test_theme_from_the_command_palette_saved_at_once(app_factory, sandbox):
    from textual.command import CommandPalette

    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="prefs", stack_name=None)
        updates = count_updates(app)
        app.action_change_theme()  # Textual's own theme command of the palette
        await wait_for_screen(pilot, app, CommandPalette)
        await type_text(pilot, "c66-light")
        await wait_until(pilot, lambda: app.screen.query_one("CommandList").option_count == 1)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        assert app.theme == "c66-light"
        await theme_saved(app)
        # Written at once, by one locked atomic update of config.toml.
        assert updates == ["c66-light"]
        store = ConfigStore(app.services.store.directory)
        assert store.load().preferences.theme == "c66-light"
        assert app.services.preferences.theme == "c66-light"
        await settle(pilot, app)
        rows = {row[0]: row for row in table_rows(screen.tab("prefs").table)}
        assert rows["Theme"][1] == "c66-light"
    again = app_factory()  # same config directory: a fresh start
    assert again.theme == "c66-light"


async def test_theme_set_on_the_app_saved_at_once_previews_are_not(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot, app, tab="prefs", stack_name=None)
        store = ConfigStore(app.services.store.directory)
        updates = count_updates(app)
        app.theme = "textual-light"
        await theme_saved(app)
        assert store.load().preferences.theme == "textual-light"
        assert updates == ["textual-light"]
        before = config_bytes(app)
        await edit_row(pilot, app, "theme")
        await pilot.press("down", "down")
        assert app.theme != "textual-light"
        assert config_bytes(app) == before
        await pilot.press("escape")
        await pilot.pause()
        assert app.theme == "textual-light"
        assert config_bytes(app) == before
        assert updates == ["textual-light"]


async def test_a_theme_changed_on_the_app_is_saved_off_the_screen_loop(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot, app, tab="prefs", stack_name=None)
        store = app.services.store
        real = store.update
        threads = []

        def update(change):
            threads.append(threading.current_thread())
            return real(change)

        store.update = update
        app.theme = "textual-light"
        await theme_saved(app)
        assert len(threads) == 1 and threads[0] is not threading.main_thread()
        assert ConfigStore(store.directory).load().preferences.theme == "textual-light"


def count_calls(obj, name: str) -> list[None]:
    """Record each call of ``obj.name`` (one entry per call)."""
    real = getattr(obj, name)
    calls: list[None] = []

    def counted(*args, **kwargs):
        calls.append(None)
        return real(*args, **kwargs)

    setattr(obj, name, counted)
    return calls


async def test_filter_keystrokes_neither_read_the_file_nor_rebuild_the_rows(
    app_factory, sandbox
):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="prefs", stack_name=None)
        tab = screen.tab("prefs")
        loads = count_calls(app.services.store, "load")
        builds = count_calls(tab, "rows")
        await pilot.press("slash", *"jobs.")
        await pilot.pause()
        shown = [row.key.value for row in tab.table.ordered_rows]
        assert shown and all(key.startswith("keymap.jobs.") for key in shown)
        assert loads == [] and builds == []


async def test_theme_change_updates_only_the_theme_cell(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="prefs", stack_name=None)
        tab = screen.tab("prefs")
        builds = count_calls(tab, "rows")
        refills = count_calls(tab, "show_rows")
        app.theme = "textual-light"
        await pilot.pause()
        rows = {row[0]: row for row in table_rows(tab.table)}
        assert rows["Theme"][1] == "textual-light"
        assert builds == [] and refills == []
        # Under a filter the theme row may come or go: the kept rows are shown again.
        await pilot.press("slash", *"light")
        await pilot.pause()
        assert [row.key.value for row in tab.table.ordered_rows] == ["theme"]
        app.theme = "c66-dark"
        await pilot.pause()
        assert tab.table.row_count == 0 and builds == []
        await theme_saved(app)


async def test_theme_changed_while_the_tab_is_hidden_shows_when_it_is_back(
    app_factory, sandbox
):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="prefs", stack_name=None)
        tab = screen.tab("prefs")
        screen.show_tab("profiles")
        await wait_until(pilot, lambda: screen.active_tab is screen.tab("profiles"))
        builds = count_calls(tab, "rows")
        app.theme = "textual-light"
        app.theme = "c66-light"
        await pilot.pause()
        assert builds == [], "a hidden tab is not refilled"
        screen.show_tab("prefs")
        await wait_until(pilot, lambda: screen.active_tab is tab)
        await settle(pilot, app)
        rows = {row[0]: row for row in table_rows(tab.table)}
        assert rows["Theme"][1] == "c66-light" and len(builds) == 1
        await theme_saved(app)


async def test_invalid_refresh_values_refused_and_file_unchanged(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot, app, tab="prefs", stack_name=None)
        before = config_bytes(app)
        dialog = await edit_row(pilot, app, "refresh_seconds")
        await type_text(pilot, "abc")
        await pilot.press("enter")
        assert "whole number of seconds" in dialog.error_text()
        assert isinstance(app.screen, EditPreferenceDialog)
        await pilot.press("backspace", "backspace", "backspace", "0", "enter")
        assert "between 5 and 3600" in dialog.error_text()
        assert config_bytes(app) == before
        await pilot.press("backspace")
        await type_text(pilot, "60")
        await pilot.press("enter")
        await settle(pilot, app)
        assert ConfigStore(app.services.store.directory).load().preferences.refresh_seconds == 60
        rows = {row[0]: row for row in table_rows(app.screen.tab("prefs").table)}
        assert rows["Refresh interval"][1] == "60 s"


async def test_flags_saved_from_a_choice(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot, app, tab="prefs", stack_name=None)
        await edit_row(pilot, app, "mouse")
        await pilot.press("down", "enter")
        await settle(pilot, app)
        assert ConfigStore(app.services.store.directory).load().preferences.mouse is False
        assert app.services.preferences.mouse is False


async def test_key_binding_applied_live_saved_and_reset(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="prefs", stack_name=None)
        dialog = await edit_row(pilot, app, "keymap.settings.next_tab")
        await type_text(pilot, "ctrl+")
        await pilot.press("enter")
        assert "key names" in dialog.error_text()
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await type_text(pilot, "n")
        await pilot.press("enter")
        await settle(pilot, app)
        store = ConfigStore(app.services.store.directory)
        assert store.load().preferences.keymap == {"settings.next_tab": "n"}
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.active_tab is screen.tab("profiles"))
        screen.show_tab("prefs")
        await settle(pilot, app)
        move_to(screen.tab("prefs").table, "keymap.settings.next_tab")
        await pilot.pause()
        await pilot.press("x")
        await settle(pilot, app)
        assert store.load().preferences.keymap == {}


async def test_keys_of_screens_not_yet_opened_are_listed_and_remappable(
    app_factory, sandbox, monkeypatch
):
    from c66tui.ui.dialogs.run_job import RunJobDialog
    from c66tui.ui.screens.jobs import JobsScreen
    from tests.ui.test_jobs import HISTORY_STACK, open_jobs, runnable_job
    from tests.ui.test_jobs import move_to as move_to_job

    built: list[JobsScreen] = []
    real_init = JobsScreen.__init__

    def recording_init(self, *args, **kwargs) -> None:
        built.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(JobsScreen, "__init__", recording_init)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="prefs", stack_name=None)
        assert built == [], "no jobs screen was ever built"
        rows = {row[0]: row[1] for row in table_rows(screen.tab("prefs").table)}
        # Keys of the jobs screen, the job detail, the journal and dialogs never shown.
        assert rows["Key: Run now (jobs.run)"] == "x"
        assert rows["Key: Run now (job_detail.run)"] == "x"
        assert rows["Key: Check now (journal.check)"] == app.get_key_display(Binding("enter", ""))
        assert rows["Key: Redeploy (redeploy.yes)"] == "y"
        await edit_row(pilot, app, "keymap.jobs.run")
        await pilot.press("ctrl+u")
        await type_text(pilot, "f7")
        await pilot.press("enter")
        await settle(pilot, app)
        assert ConfigStore(app.services.store.directory).load().preferences.keymap == {
            "jobs.run": "f7"
        }
        # The jobs screen is built only now, and f7 runs a job there.
        jobs = await open_jobs(app, pilot, HISTORY_STACK)
        await move_to_job(pilot, jobs, runnable_job(sandbox, HISTORY_STACK).uid)
        await pilot.press("f7")
        await wait_for_screen(pilot, app, RunJobDialog)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is jobs)


async def test_default_profile_saved(app_factory, sandbox):
    app = app_factory()
    store = app.services.store
    store.update(lambda c: c.profiles.__setitem__("staging", Profile(name="staging")))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot, app, tab="prefs", stack_name=None)
        dialog = await edit_row(pilot, app, "default_profile")
        assert dialog.fields[0].choices == [("default", "default"), ("staging", "staging")]
        await pilot.press("down", "enter")
        await settle(pilot, app)
    assert ConfigStore(store.directory).load().active_profile == "staging"
    assert load_settings(None, environ={}, store=ConfigStore(store.directory)).profile.name == (
        "staging"
    )


async def test_preferences_survive_a_restart(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot, app, tab="prefs", stack_name=None)
        await edit_row(pilot, app, "theme")
        await pilot.press("down", "enter")
        await settle(pilot, app)
        await edit_row(pilot, app, "refresh_seconds")
        await type_text(pilot, "90")
        await pilot.press("enter")
        await settle(pilot, app)
        await edit_row(pilot, app, "ascii_only")
        await pilot.press("up", "enter")
        await settle(pilot, app)
        await edit_row(pilot, app, "keymap.settings.next_tab")
        await type_text(pilot, "f6")
        await pilot.press("enter")
        await settle(pilot, app)

    again = app_factory()  # same config directory: a fresh start
    assert again.theme == "c66-light"
    async with again.run_test(size=(120, 40)) as pilot:
        prefs = again.services.preferences
        assert (prefs.refresh_seconds, prefs.ascii_only) == (90, True)
        screen = await open_settings(pilot, again, tab="env")
        rows = table_rows(screen.tab("env").table)
        assert any(row[1] == ASCII_MASK for row in rows)
        await pilot.press("f6")
        await wait_until(pilot, lambda: screen.active_tab is screen.tab("prefs"))
        rows = {row[0]: row for row in table_rows(screen.tab("prefs").table)}
        assert rows["Theme"][1] == "c66-light"
        assert rows["Refresh interval"][1] == "90 s"
        assert rows["ASCII-only output"][1] == "on"


async def test_low_bandwidth_and_mouse_off_are_honoured_on_the_next_start(
    app_factory,
    sandbox,
    fake_ui,  # noqa: F811 - the fixture imported above
    monkeypatch,
):
    from c66tui import cli
    from c66tui.ui.screens.stacks import StacksScreen

    for name in ("TEXTUAL_ANIMATIONS", "TEXTUAL_FPS", "TEXTUAL_SMOOTH_SCROLL"):
        monkeypatch.setenv(name, "")  # restored (removed) after the test
        monkeypatch.delenv(name)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot, app, tab="prefs", stack_name=None)
        await edit_row(pilot, app, "low_bandwidth")
        await pilot.press("up", "enter")
        await settle(pilot, app)
        await edit_row(pilot, app, "mouse")
        await pilot.press("down", "enter")
        await settle(pilot, app)
        rows = {row[0]: row for row in table_rows(app.screen.tab("prefs").table)}
        assert rows["Low-bandwidth mode"][1:] == ["on", "next start"]
        assert rows["Mouse support"][1:] == ["off", "next start"]

    # The next start from the command line, without any flag: the CLI reads config.toml.
    assert cli.main([]) == 0
    [started] = fake_ui
    assert started.mouse is False
    prefs = started.settings.config.preferences
    assert (prefs.low_bandwidth, prefs.mouse) == (True, False)
    assert os.environ["TEXTUAL_ANIMATIONS"] == "none"
    assert os.environ["TEXTUAL_FPS"] == "15"

    # And the app built from that config polls less.
    again = app_factory()  # same config directory; only the profile is rewritten
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: isinstance(again.screen, StacksScreen) and hasattr(again.screen, "scheduler"),
        )
        scheduler = again.screen.scheduler
        assert (scheduler.normal_seconds, scheduler.fast_seconds) == (60.0, 10.0)
