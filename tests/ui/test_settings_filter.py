"""The ``/`` filter of the settings lists: stack settings, server settings, environment
variables (never matching a masked password by its value), preferences and profiles."""

from __future__ import annotations

from c66tui.config import Profile
from c66tui.ui.dialogs.edit_setting import EditSettingDialog
from c66tui.ui.widgets.filter_bar import FilterBar
from c66tui.ui.widgets.settings_tabs.common import MASK
from tests.ui.burst import type_fast
from tests.ui.test_settings_env import secret_var, world_env
from tests.ui.test_settings_servers import world_servers
from tests.ui.test_settings_support import (  # noqa: F401 - fixture
    detail_of,
    fast_action_polls,
    move_to,
    open_settings,
    settle,
    status_of,
    table_rows,
    type_text,
    wait_for_screen,
    wait_until,
)


def keys_of(tab) -> list[str]:
    """Keys of the rows the tab's table shows, in order."""
    return [row.key.value for row in tab.table.ordered_rows]


def bar_of(tab) -> FilterBar:
    return tab.query_one(FilterBar)


async def test_stack_settings_narrow_by_key_and_value_enter_keeps_esc_clears(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app)
        tab = screen.tab("stack")
        everything = keys_of(tab)
        assert app.focused is tab.table and "git.branch" in everything
        await pilot.press("slash")
        assert app.focused is bar_of(tab)
        await type_text(pilot, "branch")
        assert keys_of(tab) == ["git.branch"]
        assert "1 of 8 match “branch”" in status_of(tab)
        # enter keeps the filter and hands the focus back to the list; e edits that row.
        await pilot.press("enter")
        assert app.focused is tab.table
        assert bar_of(tab).display and keys_of(tab) == ["git.branch"]
        await pilot.press("e")
        dialog = await wait_for_screen(pilot, app, EditSettingDialog)
        assert dialog.setting.key == "git.branch"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        # esc on the list clears a kept filter.
        await pilot.press("escape")
        await pilot.pause()
        assert keys_of(tab) == everything
        assert not bar_of(tab).display and app.focused is tab.table
        # Values are matched too (the branch's value, not its key), all words must match.
        await pilot.press("slash")
        await type_text(pilot, "develop")
        assert keys_of(tab) == ["git.branch"]
        await type_text(pilot, " nothing-like-this")
        assert keys_of(tab) == []
        assert "Nothing matches" in detail_of(tab)
        # esc in the field clears it and gives the focus back.
        await pilot.press("escape")
        await pilot.pause()
        assert keys_of(tab) == everything
        assert app.focused is tab.table and not bar_of(tab).display
        assert "match" not in status_of(tab)


async def test_keys_typed_in_one_burst_after_slash_go_to_the_field(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        tab = screen.tab("env")
        # v reveals, a adds, d deletes, e edits, ] changes tab: typed right behind "/" they
        # are the filter, not keys of the list.
        await type_fast(app, pilot, "/vade]")
        assert app.screen is screen and screen.active_tab is tab
        assert bar_of(tab).value == "vade]"
        assert not tab.revealed
        await pilot.press("escape")
        await pilot.pause()
        # A "/" typed in the field is a character, in its place even within a burst.
        await pilot.press("slash", "a", "slash", "b")
        assert bar_of(tab).value == "a/b"
        await type_fast(app, pilot, "/c")
        assert bar_of(tab).value == "a/b/c"


async def test_server_settings_filter(app_factory, sandbox):
    servers, _settings = world_servers(sandbox)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="servers")
        tab = screen.tab("servers")
        everything = keys_of(tab)
        assert "server.timezone" in everything and len(everything) > 2
        await pilot.press("slash", *"timezone", "enter")
        assert keys_of(tab) == ["server.timezone"]
        assert app.focused is tab.table
        # By value: the server's own name appears only as the value of server.name.
        await pilot.press("slash", "ctrl+u", *servers[0].name)
        assert "server.name" in keys_of(tab)
        await pilot.press("escape")
        await pilot.pause()
        assert keys_of(tab) == everything and app.focused is tab.table


async def test_masked_password_never_matched_by_its_hidden_value(app_factory, sandbox):
    env = world_env(sandbox)
    secret = secret_var(env)
    fragment = str(secret.value)[:10]
    # Other variables that show this text (none in the seed data, but do not assume it).
    visible = [
        rec.key for rec in env.values() if not rec.is_password and fragment in str(rec.value)
    ]
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        tab = screen.tab("env")
        everything = keys_of(tab)
        await pilot.press("slash")
        await type_text(pilot, fragment)
        assert secret.key not in keys_of(tab)
        assert keys_of(tab) == visible
        # The guess typed is on screen, of course; nothing confirms it or shows the rest.
        assert f"{len(visible)} of {len(everything)} match" in status_of(tab)
        assert str(secret.value)[len(fragment) :] not in app.export_screenshot()
        # Names, flags and plain values are matched.
        await pilot.press("ctrl+u")
        await type_text(pilot, "password")
        passwords = [rec.key for rec in env.values() if rec.is_password]
        assert sorted(keys_of(tab)) == sorted(passwords)
        assert all(row[1] == MASK for row in table_rows(tab.table))
        await pilot.press("ctrl+u")
        await type_text(pilot, secret.key.lower())
        assert secret.key in keys_of(tab)
        # Revealed, the value is on screen and may be matched; hidden again, it may not.
        await pilot.press("enter")
        move_to(tab.table, secret.key)
        await pilot.pause()
        await pilot.press("v")
        await pilot.press("slash", "ctrl+u")
        await type_text(pilot, fragment)
        assert secret.key in keys_of(tab)
        await pilot.press("enter")
        move_to(tab.table, secret.key)
        await pilot.pause()
        await pilot.press("v")
        assert secret.key not in keys_of(tab)
        await pilot.press("escape")
        await pilot.pause()
        assert keys_of(tab) == everything


async def test_preferences_filter_finds_keys_of_one_screen(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="prefs", stack_name=None)
        tab = screen.tab("prefs")
        everything = keys_of(tab)
        await pilot.press("slash", *"jobs.", "enter")
        shown = keys_of(tab)
        assert shown and all(key.startswith("keymap.jobs.") for key in shown)
        assert "keymap.jobs.run" in shown and "theme" not in shown
        assert f"{len(shown)} of {len(everything)} match" in status_of(tab)
        assert app.focused is tab.table
        await pilot.press("escape")
        await pilot.pause()
        assert keys_of(tab) == everything


async def test_profiles_filter(app_factory, sandbox):
    app = app_factory()
    app.services.store.update(lambda c: c.profiles.__setitem__("staging", Profile(name="staging")))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="profiles", stack_name=None)
        tab = screen.tab("profiles")
        assert keys_of(tab) == ["default", "staging"]
        await pilot.press("slash", *"stag")
        assert keys_of(tab) == ["staging"]
        await pilot.press("escape")
        await pilot.pause()
        assert keys_of(tab) == ["default", "staging"] and app.focused is tab.table


async def test_filter_of_a_hidden_tab_stays_with_it(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app)
        tab = screen.tab("stack")
        await pilot.press("slash", *"branch", "enter")
        screen.show_tab("env")
        await wait_until(pilot, lambda: screen.active_tab is screen.tab("env"))
        await settle(pilot, app)
        env_tab = screen.tab("env")
        assert not bar_of(env_tab).display and len(keys_of(env_tab)) > 1
        screen.show_tab("stack")
        await wait_until(pilot, lambda: screen.active_tab is tab)
        await settle(pilot, app)
        assert keys_of(tab) == ["git.branch"] and bar_of(tab).value == "branch"
