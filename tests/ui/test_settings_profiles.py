"""The Profiles tab: list, add, rename (the token moves along), remove (with its token),
read-only per profile (applied at once to the running profile), and log out."""

from __future__ import annotations

from c66tui.api.secret import Secret
from c66tui.config import ConfigStore, Profile
from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.dialogs.edit_preference import EditPreferenceDialog
from tests.ui.rendering import screen_text
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
)


def add_profile(app, name, token=None):
    store = app.services.store
    store.update(lambda c: c.profiles.__setitem__(name, Profile(name=name)))
    if token:
        store.set_token(name, Secret(token))


def fresh(app):
    return ConfigStore(app.services.store.directory)


async def test_lists_profiles_without_showing_tokens(app_factory, sandbox):
    app = app_factory()
    add_profile(app, "staging", token="stg-token-value-1234")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="profiles", stack_name=None)
        rows = {row[0]: row for row in table_rows(screen.tab("profiles").table)}
        assert rows["default"][2:] == ["allowed", "token saved", "in use, default"]
        assert rows["staging"][1] == "app.cloud66.com"
        assert rows["staging"][3] == "token saved"
        assert "stg-token-value" not in app.export_screenshot()


async def test_add_checks_name_and_url_then_saves(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="profiles", stack_name=None)
        await pilot.press("a")
        dialog = await wait_for_screen(pilot, app, EditPreferenceDialog)
        await type_text(pilot, "bad name")
        await pilot.press("enter", "enter")
        assert "Profile names use" in dialog.error_text()
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "default")
        await pilot.press("enter", "enter")
        assert "already a profile" in dialog.error_text()
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "staging")
        await pilot.press("enter")
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "ftp://x")
        await pilot.press("enter")
        assert "https://" in dialog.error_text()
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "https://staging.example/api/2")
        await pilot.press("enter")
        await settle(pilot, app)
        profile = fresh(app).load().profiles["staging"]
        assert profile.api_url == "https://staging.example/api/2"
        assert "staging" in [row[0] for row in table_rows(screen.tab("profiles").table)]


async def test_rename_moves_the_token(app_factory, sandbox):
    app = app_factory()
    add_profile(app, "staging", token="stg-token-value-1234")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="profiles", stack_name=None)
        move_to(screen.tab("profiles").table, "staging")
        await pilot.pause()
        await pilot.press("r")
        await wait_for_screen(pilot, app, EditPreferenceDialog)
        await type_text(pilot, "qa")
        await pilot.press("enter")
        await settle(pilot, app)
        store = fresh(app)
        assert set(store.load().profiles) == {"default", "qa"}
        assert store.get_token("qa") == Secret("stg-token-value-1234")
        assert store.get_token("staging") is None
        # The cursor stays on the renamed profile, not on the one in use.
        table = screen.tab("profiles").table
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == "qa"


async def test_profile_in_use_cannot_be_renamed_or_removed(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="profiles", stack_name=None)
        tab = screen.tab("profiles")
        move_to(tab.table, "default")
        await pilot.pause()
        assert tab.check_action("rename", ()) is None
        assert tab.check_action("remove", ()) is None
        assert "profile in use" in detail_of(tab)
        await pilot.press("r", "d")
        await settle(pilot, app)
        assert not isinstance(app.screen, EditPreferenceDialog | ConfirmDialog)


async def test_remove_confirmed_deletes_profile_and_token(app_factory, sandbox):
    app = app_factory()
    add_profile(app, "staging", token="stg-token-value-1234")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="profiles", stack_name=None)
        move_to(screen.tab("profiles").table, "staging")
        await pilot.pause()
        await pilot.press("d")
        await wait_for_screen(pilot, app, ConfirmDialog)
        await pilot.pause()
        border = screen_text(app)
        assert "removes a profile from this machine's config" in border
        assert "changes your stack" not in border
        await pilot.press("n")
        await settle(pilot, app)
        assert "staging" in fresh(app).load().profiles
        await pilot.press("d")
        await wait_for_screen(pilot, app, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app)
        store = fresh(app)
        assert "staging" not in store.load().profiles
        assert store.get_token("staging") is None


async def test_read_only_applies_at_once_to_the_profile_in_use(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="profiles")
        move_to(screen.tab("profiles").table, "default")
        await pilot.pause()
        await pilot.press("o")
        await settle(pilot, app)
        assert fresh(app).load().profiles["default"].read_only is True
        assert app.services.read_only
        rows = {row[0]: row for row in table_rows(screen.tab("profiles").table)}
        assert rows["default"][2] == "read-only"
        screen.show_tab("stack")
        await settle(pilot, app)
        stack_tab = screen.tab("stack")
        move_to(stack_tab.table, "git.branch")
        await pilot.pause()
        assert stack_tab.check_action("edit", ()) is None
        assert stack_tab.check_action("maintenance", ()) is None


async def test_read_only_set_here_is_honoured_after_a_restart(app_factory, sandbox):
    from c66tui.api import Cloud66Client
    from c66tui.config import load_settings
    from c66tui.ui.app import make_app

    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="profiles", stack_name=None)
        move_to(screen.tab("profiles").table, "default")
        await pilot.pause()
        await pilot.press("o")
        await settle(pilot, app)
    assert fresh(app).load().profiles["default"].read_only is True

    # app_factory writes the profile again (read_only=False) on every build, so the next
    # start is built from the saved files alone, as the command line does.
    settings = load_settings(None, environ={}, store=fresh(app))  # no --read-only flag
    assert settings.profile.read_only and settings.sources["profile"] == "file"
    assert settings.token is not None

    def api_factory(api_url, secret):
        return Cloud66Client(api_url, secret, timeout=3.0, deadline=6.0)

    again = make_app(settings, api_factory=api_factory)
    async with again.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, again)
        assert again.services.read_only
        tab = screen.tab("stack")
        move_to(tab.table, "git.branch")
        await pilot.pause()
        assert tab.check_action("edit", ()) is None
        assert tab.check_action("maintenance", ()) is None
        assert "this profile is read-only" in status_of(tab)
        await pilot.press("e", "m")
        await settle(pilot, again)
        screen.show_tab("profiles")
        await settle(pilot, again)
        rows = {row[0]: row for row in table_rows(screen.tab("profiles").table)}
        assert rows["default"][2] == "read-only"
    assert [r for r in sandbox.sandbox.request_log if r["method"] != "GET"] == []


async def test_log_out_of_another_profile_forgets_its_token(app_factory, sandbox):
    app = app_factory()
    add_profile(app, "staging", token="stg-token-value-1234")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="profiles", stack_name=None)
        move_to(screen.tab("profiles").table, "staging")
        await pilot.pause()
        await pilot.press("l")
        await wait_for_screen(pilot, app, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app)
        assert fresh(app).get_token("staging") is None
        assert fresh(app).get_token("default") is not None
        rows = {row[0]: row for row in table_rows(screen.tab("profiles").table)}
        assert rows["staging"][3] == "no token"


async def test_log_out_of_the_profile_in_use_asks_first(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="profiles", stack_name=None)
        move_to(screen.tab("profiles").table, "default")
        await pilot.pause()
        await pilot.press("l")
        await wait_for_screen(pilot, app, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot, app)
        assert fresh(app).get_token("default") is not None
