"""The Stack tab: list, edit with confirmation, refusals, failures, unknown outcomes and
maintenance mode, driven by keys against the loopback sandbox."""

from __future__ import annotations

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
    writes_to,
)
from tests.ui.timing import SLOW_ANSWER_CLIENT, SLOW_ANSWER_DELAY

NO_ADMIN = ("public", "redeploy", "jobs", "users")


def stack_rec(sandbox, name=QUIET_STACK):
    """The sandbox's own record of a stack (to check what really changed)."""
    world = sandbox.sandbox
    return next(s for s in world.stacks.values() if s.name == name)


def setting_value(sandbox, key, name=QUIET_STACK):
    world = sandbox.sandbox
    return world.details(stack_rec(sandbox, name)).settings[key].value


async def start_edit(pilot, app, key):
    """On the Stack tab, put the cursor on ``key`` and press e."""
    tab = app.screen.tab("stack")
    move_to(tab.table, key)
    await pilot.pause()
    await pilot.press("e")
    return await wait_for_screen(pilot, app, EditSettingDialog)


async def test_lists_settings_with_access_in_words(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app)
        tab = screen.tab("stack")
        rows = {row[0]: row for row in table_rows(tab.table)}
        assert rows["git.branch"][1:] == ["develop", "editable"]
        assert rows["stack.name"] == ["stack.name", QUIET_STACK, "read-only"]
        assert "8 settings" in status_of(tab)
        assert "maintenance off" in status_of(tab)


async def test_edit_confirm_follows_action_and_shows_new_value(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app)
        dialog = await start_edit(pilot, app, "git.branch")
        text = " ".join(str(s.content) for s in dialog.query(".dialog-line"))
        assert QUIET_STACK in text and "DEVELOPMENT" in text and "git.branch" in text
        await type_text(pilot, "release-2")
        await pilot.press("enter")
        confirm = await wait_for_screen(pilot, app, ConfirmDialog)
        lines = " ".join(str(line) for line in confirm.lines)
        assert "develop" in lines and "release-2" in lines and QUIET_STACK in lines
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        assert isinstance(app.screen, SettingsScreen)
        assert len(writes_to(sandbox.sandbox, "PUT", "/settings/git-branch")) == 1
        assert setting_value(sandbox, "git.branch") == "release-2"
        rows = {row[0]: row for row in table_rows(screen.tab("stack").table)}
        assert rows["git.branch"][1] == "release-2"
        [entry] = journal(app, "setting")
        assert entry.outcome == "ok" and entry.params["key"] == "git.branch"
        assert entry.stack_name == QUIET_STACK


async def test_dialog_shows_warning_and_refuses_bad_values(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot, app)
        dialog = await start_edit(pilot, app, "git.repository")
        warning = str(dialog.query_one(".dialog-warning").content)
        assert warning.startswith("Warning:") and len(warning) > len("Warning: ")
        await pilot.press("backspace", "enter")
        assert "empty value" in dialog.error_text()
        await pilot.press("escape")
        await pilot.pause()
        dialog = await start_edit(pilot, app, "reconfigure.nginx")
        await type_text(pilot, "maybe")
        await pilot.press("enter")
        assert "true or false" in dialog.error_text()
        assert isinstance(app.screen, EditSettingDialog)
        await pilot.press("escape")
        await settle(pilot, app)
        assert writes_to(sandbox.sandbox, "PUT", "/settings/") == []


async def test_cancel_at_confirmation_sends_nothing(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app)
        await start_edit(pilot, app, "git.branch")
        await type_text(pilot, "hotfix")
        await pilot.press("enter")
        await wait_for_screen(pilot, app, ConfirmDialog)
        # Cancel has the focus: enter cancels, as does n.
        await pilot.press("enter")
        await settle(pilot, app)
        assert writes_to(sandbox.sandbox, "PUT", "/settings/") == []
        assert journal(app) == []
        assert "Nothing was changed" in status_of(screen.tab("stack"))


async def test_read_only_setting_cannot_be_edited_and_says_why(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app)
        tab = screen.tab("stack")
        move_to(tab.table, "stack.name")
        await pilot.pause()
        assert tab.check_action("edit", ()) is None
        assert "Cannot edit: read-only" in detail_of(tab)
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        assert writes_to(sandbox.sandbox, "PUT", "/settings/") == []
        # The greyed-out key explains itself when pressed.
        assert any(n.startswith("Edit: read-only") for n in notices(app))


async def test_stack_chosen_by_typing_after_s(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, stack_name="shop-backend")
        await pilot.press("s", *"tps-rep", "enter")
        await settle(pilot, app)
        assert screen.stack.name == QUIET_STACK
        assert app.services.focused_stack.uid == screen.stack.uid
        assert app.focused is screen.tab("stack").table
        rows = {row[0]: row for row in table_rows(screen.tab("stack").table)}
        assert rows["stack.name"][1] == QUIET_STACK


async def test_without_admin_scope_edit_is_disabled_with_reason(app_factory, sandbox):
    app = app_factory(scopes=NO_ADMIN)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app)
        tab = screen.tab("stack")
        move_to(tab.table, "git.branch")
        await pilot.pause()
        assert tab.check_action("edit", ()) is None
        assert "admin" in status_of(tab)
        assert "Cannot edit: needs the 'admin' scope" in detail_of(tab)
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        assert writes_to(sandbox.sandbox, "PUT", "/settings/") == []


async def test_refused_for_a_missing_scope_turns_edit_off_and_keeps_the_value(app_factory, sandbox):
    # The profile says the token has the admin scope, but Cloud 66 answers 403.
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app)
        tab = screen.tab("stack")
        drop_token_scope(sandbox, app, "admin")
        await start_edit(pilot, app, "git.branch")
        await type_text(pilot, "feature-x")
        await pilot.press("enter")
        await wait_for_screen(pilot, app, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        [put] = writes_to(sandbox.sandbox, "PUT", "/settings/git-branch")
        assert put["status"] == 403
        assert any(
            n.startswith("Failed: git.branch = feature-x")
            and "does not have the 'admin' scope" in n
            for n in notices(app)
        )
        [entry] = journal(app, "setting")
        assert entry.outcome == "failed" and entry.params["value"] == "feature-x"
        assert setting_value(sandbox, "git.branch") == "develop"
        rows = {row[0]: row for row in table_rows(tab.table)}
        assert rows["git.branch"][1] == "develop"
        move_to(tab.table, "git.branch")
        await pilot.pause()
        assert tab.check_action("edit", ()) is None
        assert "editing disabled: needs the 'admin' scope" in status_of(tab)
        assert "Cannot edit: needs the 'admin' scope" in detail_of(tab)
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        assert [r for r in sandbox.sandbox.request_log if r["method"] != "GET"] == [put]


async def test_read_only_profile_disables_edit_and_maintenance(app_factory, sandbox):
    app = app_factory(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app)
        tab = screen.tab("stack")
        move_to(tab.table, "git.branch")
        await pilot.pause()
        assert tab.check_action("edit", ()) is None
        assert tab.check_action("maintenance", ()) is None
        assert "this profile is read-only" in status_of(tab)
        await pilot.press("e", "m")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        assert [r for r in sandbox.sandbox.request_log if r["method"] != "GET"] == []


async def test_failed_action_is_reported_and_value_kept(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app)
        sandbox.sandbox.fail_next("action", screen.stack.uid, "branch does not exist")
        await start_edit(pilot, app, "git.branch")
        await type_text(pilot, "nope")
        await pilot.press("enter")
        await wait_for_screen(pilot, app, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        [entry] = journal(app, "setting")
        assert entry.outcome == "failed"
        assert "branch does not exist" in entry.detail
        assert any("Failed" in n and "branch does not exist" in n for n in notices(app))
        rows = {row[0]: row for row in table_rows(screen.tab("stack").table)}
        assert rows["git.branch"][1] == "develop"


async def test_timed_out_write_is_unknown_and_never_resent(app_factory, sandbox):
    app = app_factory(client_kwargs=SLOW_ANSWER_CLIENT)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app)
        sandbox.sandbox.inject_fault("/settings/git-branch", method="PUT", delay=SLOW_ANSWER_DELAY)
        await start_edit(pilot, app, "git.branch")
        await type_text(pilot, "slow")
        await pilot.press("enter")
        await wait_for_screen(pilot, app, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        assert len(writes_to(sandbox.sandbox, "PUT", "/settings/git-branch")) == 1
        [entry] = journal(app, "setting")
        assert entry.outcome == "unknown"
        assert any("may or may not have applied" in n for n in notices(app))
        # The reload afterwards shows what really happened (the sandbox applied the
        # change before its answer was lost); nothing was sent again.
        await settle(pilot, app, sandbox.sandbox)
        assert len(writes_to(sandbox.sandbox, "PUT", "/settings/git-branch")) == 1
        assert setting_value(sandbox, "git.branch") == "slow"
        rows = {row[0]: row for row in table_rows(screen.tab("stack").table)}
        assert rows["git.branch"][1:] == ["slow", "editable"]
        assert screen.tab("stack").check_action("edit", ()) is True
        status = status_of(screen.tab("stack"))
        assert "outcome of 'git.branch = slow on tps-reports' unknown: check before retrying" in (
            status
        )


async def test_maintenance_toggle_confirmed_and_followed(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app)
        await pilot.press("m")
        confirm = await wait_for_screen(pilot, app, ConfirmDialog)
        assert "maintenance page" in " ".join(str(line) for line in confirm.lines)
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        assert stack_rec(sandbox).maintenance is True
        assert "maintenance on" in status_of(screen.tab("stack"))
        assert screen.stack.maintenance_mode is True
        assert "maintenance ON" in str(screen.query_one("#settings-stack-info").content)
        [entry] = journal(app, "maintenance")
        assert entry.outcome == "ok" and entry.params["maintenance_mode"] is True
        # And off again.
        await pilot.press("m")
        await wait_for_screen(pilot, app, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        assert stack_rec(sandbox).maintenance is False
        assert "maintenance off" in status_of(screen.tab("stack"))


async def test_maintenance_needs_redeploy_scope(app_factory, sandbox):
    app = app_factory(scopes=("public", "admin"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app)
        tab = screen.tab("stack")
        assert tab.check_action("maintenance", ()) is None
        assert "redeploy" in tab.maintenance_block_reason()
        await pilot.press("m")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        assert writes_to(sandbox.sandbox, "POST", "/actions") == []


async def test_markup_in_api_text_is_shown_literally(app_factory, sandbox):
    name = "legacy [bold]api[/bold]"
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, stack_name=name)
        tab = screen.tab("stack")
        rows = {row[0]: row for row in table_rows(tab.table)}
        assert rows["stack.name"][1] == name
        move_to(tab.table, "stack.name")
        await pilot.pause()
        assert name in detail_of(tab)
        assert name in app.export_screenshot().replace("&#160;", " ")


async def test_follows_the_stack_focused_on_another_screen(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app)
        other = next(s for s in screen.stacks.values() if s.name == "shop-backend")
        await pilot.press("1")
        await pilot.pause()
        app.services.focused_stack = other
        await pilot.press("3")
        await pilot.pause()
        await settle(pilot, app)
        assert app.screen is screen and screen.stack.uid == other.uid
        rows = {row[0]: row for row in table_rows(screen.tab("stack").table)}
        assert rows["stack.name"][1] == "shop-backend"
