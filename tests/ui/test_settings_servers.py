"""The Servers tab: choose a server, list and edit its settings, with the same refusals,
failures and unknown outcomes as stack settings."""

from __future__ import annotations

from textual.widgets import Select

from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.dialogs.edit_setting import EditSettingDialog
from c66tui.ui.screens.settings import SettingsScreen
from tests.ui.test_settings_support import (  # noqa: F401 - fixture
    QUIET_STACK,
    detail_of,
    drop_token_scope,
    fast_action_polls,
    journal,
    move_to,
    notices,
    open_settings,
    settle,
    status_of,
    table_rows,
    type_text,
    wait_for_screen,
    wait_until,
    writes_to,
)
from tests.ui.timing import SLOW_ANSWER_CLIENT, SLOW_ANSWER_DELAY


def world_servers(sandbox, name=QUIET_STACK):
    world = sandbox.sandbox
    stack = next(s for s in world.stacks.values() if s.name == name)
    details = world.details(stack)
    return details.servers, details.server_settings


async def edit_server_setting(pilot, app, key, value):
    tab = app.screen.tab("servers")
    move_to(tab.table, key)
    await pilot.pause()
    await pilot.press("e")
    dialog = await wait_for_screen(pilot, app, EditSettingDialog)
    await type_text(pilot, value)
    await pilot.press("enter")
    confirm = await wait_for_screen(pilot, app, ConfirmDialog)
    return dialog, confirm


async def test_lists_settings_of_first_server_and_switches_by_keyboard(app_factory, sandbox):
    servers, _settings = world_servers(sandbox)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="servers")
        tab = screen.tab("servers")
        assert tab.server_uid == servers[0].uid
        keys = [row[0] for row in table_rows(tab.table)]
        assert "server.name" in keys and "server.timezone" in keys
        assert f"of server {servers[0].name}" in status_of(tab)
        # Choose the second server with the keyboard: shift+tab to the chooser, open, down.
        await pilot.press("shift+tab")
        assert isinstance(app.focused, Select)
        await pilot.press("enter", "down", "enter")
        await wait_until(pilot, lambda: tab.server_uid == servers[1].uid)
        await settle(pilot, app)
        names = {row[0]: row[1] for row in table_rows(tab.table)}
        assert names["server.name"] == servers[1].name


async def test_edit_server_setting_confirmed_and_followed(app_factory, sandbox):
    servers, settings = world_servers(sandbox)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="servers")
        dialog, confirm = await edit_server_setting(pilot, app, "server.timezone", "Europe/Paris")
        assert f"Server: {servers[0].name}" in " ".join(str(line) for line in confirm.lines)
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        path = f"/servers/{servers[0].uid}/settings/server-timezone"
        assert len(writes_to(sandbox.sandbox, "PUT", path)) == 1
        assert settings[servers[0].uid]["server.timezone"].value == "Europe/Paris"
        rows = {row[0]: row[1] for row in table_rows(screen.tab("servers").table)}
        assert rows["server.timezone"] == "Europe/Paris"
        [entry] = journal(app, "setting")
        assert entry.outcome == "ok" and entry.params["server"] == servers[0].name


async def test_cancel_sends_nothing(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot, app, tab="servers")
        await edit_server_setting(pilot, app, "server.timezone", "UTC+1")
        await pilot.press("n")
        await settle(pilot, app)
        assert writes_to(sandbox.sandbox, "PUT", "/settings/") == []
        assert isinstance(app.screen, SettingsScreen)


async def test_read_only_server_setting_refused(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="servers")
        tab = screen.tab("servers")
        move_to(tab.table, "server.reboot.required")
        await pilot.pause()
        assert tab.check_action("edit", ()) is None
        assert "read-only" in detail_of(tab)
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)


def non_get(sandbox) -> list[dict]:
    """Every request in the sandbox log that could change something."""
    return [r for r in sandbox.sandbox.request_log if r["method"] != "GET"]


async def test_read_only_profile_disables_server_setting_edits(app_factory, sandbox):
    app = app_factory(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="servers")
        tab = screen.tab("servers")
        move_to(tab.table, "server.timezone")
        await pilot.pause()
        assert tab.check_action("edit", ()) is None
        assert "editing disabled: this profile is read-only" in status_of(tab)
        assert "Cannot edit: this profile is read-only" in detail_of(tab)
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        assert any(n.startswith("Edit: this profile is read-only") for n in notices(app))
        assert non_get(sandbox) == []


async def test_missing_admin_scope_disables_edit(app_factory, sandbox):
    app = app_factory(scopes=("public", "redeploy"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="servers")
        tab = screen.tab("servers")
        move_to(tab.table, "server.timezone")
        await pilot.pause()
        assert tab.check_action("edit", ()) is None
        assert "needs the 'admin' scope" in status_of(tab)
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        assert any(n.startswith("Edit: needs the 'admin' scope") for n in notices(app))
        assert non_get(sandbox) == []


async def test_refused_for_a_missing_scope_turns_edit_off_and_keeps_the_value(app_factory, sandbox):
    # The profile says the token has the admin scope, but Cloud 66 answers 403.
    servers, settings = world_servers(sandbox)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="servers")
        tab = screen.tab("servers")
        drop_token_scope(sandbox, app, "admin")
        await edit_server_setting(pilot, app, "server.timezone", "Europe/Oslo")
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        path = f"/servers/{servers[0].uid}/settings/server-timezone"
        [put] = writes_to(sandbox.sandbox, "PUT", path)
        assert put["status"] == 403
        assert any(
            n.startswith("Failed: server.timezone = Europe/Oslo")
            and "does not have the 'admin' scope" in n
            for n in notices(app)
        )
        [entry] = journal(app, "setting")
        assert entry.outcome == "failed" and entry.params["value"] == "Europe/Oslo"
        # Nothing lost: the server keeps its value and the list still shows it.
        assert settings[servers[0].uid]["server.timezone"].value == "UTC"
        rows = {row[0]: row[1] for row in table_rows(tab.table)}
        assert rows["server.timezone"] == "UTC"
        # The key is off now, with the reason, and pressing it sends nothing more.
        move_to(tab.table, "server.timezone")
        await pilot.pause()
        assert tab.check_action("edit", ()) is None
        assert "editing disabled: needs the 'admin' scope" in status_of(tab)
        assert "Cannot edit: needs the 'admin' scope" in detail_of(tab)
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        assert len(non_get(sandbox)) == 1


async def test_failed_server_action_reported(app_factory, sandbox):
    servers, settings = world_servers(sandbox)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="servers")
        sandbox.sandbox.fail_next("action", screen.stack.uid, "agent unreachable")
        await edit_server_setting(pilot, app, "server.timezone", "Asia/Tokyo")
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        [entry] = journal(app, "setting")
        assert entry.outcome == "failed" and "agent unreachable" in entry.detail
        assert settings[servers[0].uid]["server.timezone"].value == "UTC"
        assert any("agent unreachable" in n for n in notices(app))


async def test_timed_out_server_write_unknown_once(app_factory, sandbox):
    servers, settings = world_servers(sandbox)
    app = app_factory(client_kwargs=SLOW_ANSWER_CLIENT)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="servers")
        tab = screen.tab("servers")
        sandbox.sandbox.inject_fault(
            "/settings/server-timezone", method="PUT", delay=SLOW_ANSWER_DELAY,
        )
        await edit_server_setting(pilot, app, "server.timezone", "America/Lima")
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        assert len(writes_to(sandbox.sandbox, "PUT", "/settings/server-timezone")) == 1
        [entry] = journal(app, "setting")
        assert entry.outcome == "unknown"
        assert any("may or may not have applied" in n for n in notices(app))
        # The reload shows what really happened (applied before the answer was lost)
        # and the status line keeps the reminder; nothing was sent again.
        await settle(pilot, app, sandbox.sandbox)
        assert settings[servers[0].uid]["server.timezone"].value == "America/Lima"
        rows = {row[0]: row[1] for row in table_rows(tab.table)}
        assert rows["server.timezone"] == "America/Lima"
        what = f"server.timezone = America/Lima on {QUIET_STACK} / {servers[0].name}"
        assert f"outcome of '{what}' unknown: check before retrying" in status_of(tab)
        assert f"of server {servers[0].name}" in status_of(tab)
        assert len(writes_to(sandbox.sandbox, "PUT", "/settings/server-timezone")) == 1
