"""The Env vars tab: masking and revealing passwords, copying safely, add/edit/delete with
an apply strategy, refusals, the admin scope, failed actions and unknown outcomes."""

from __future__ import annotations

from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.dialogs.env_var import EnvVarDialog
from c66tui.ui.screens.settings import SettingsScreen
from c66tui.ui.widgets.settings_tabs.common import MASK
from tests.ui.burst import key_of, queue_keys
from tests.ui.test_settings_support import (  # noqa: F401 - fixture
    QUIET_STACK,
    detail_of,
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


def world_env(sandbox, name=QUIET_STACK):
    world = sandbox.sandbox
    stack = next(s for s in world.stacks.values() if s.name == name)
    return {rec.key: rec for rec in world.details(stack).env}


def first(env, **flags):
    """The first seed variable with these flags."""
    return next(rec for rec in env.values() if all(getattr(rec, k) == v for k, v in flags.items()))


def plain_var(env):
    return first(env, is_password=False, readonly=False, is_generated=False)


def secret_var(env):
    return first(env, is_password=True, readonly=False, is_generated=False)


async def test_passwords_masked_on_screen_and_in_screenshot(app_factory, sandbox):
    env = world_env(sandbox)
    secrets = [rec for rec in env.values() if rec.is_password]
    assert secrets
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        tab = screen.tab("env")
        rows = {row[0]: row for row in table_rows(tab.table)}
        assert set(rows) == set(env)
        for rec in secrets:
            assert rows[rec.key][1] == MASK
            assert "password" in rows[rec.key][2]
        generated = first(env, is_generated=True, readonly=True)
        assert "read-only" in rows[generated.key][2] and "generated" in rows[generated.key][2]
        move_to(tab.table, secrets[0].key)
        await pilot.pause()
        assert MASK in detail_of(tab)
        shot = app.export_screenshot()
        assert MASK in shot
        for rec in secrets:
            assert rec.value[:16] not in shot


async def test_reveal_toggles_and_leaving_the_tab_hides_again(app_factory, sandbox):
    rec = secret_var(world_env(sandbox))
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        tab = screen.tab("env")
        move_to(tab.table, rec.key)
        await pilot.pause()
        await pilot.press("v")
        rows = {row[0]: row for row in table_rows(tab.table)}
        assert rows[rec.key][1].startswith(rec.value[:20])
        assert "password (shown)" in rows[rec.key][2]
        await pilot.press("v")
        rows = {row[0]: row for row in table_rows(tab.table)}
        assert rows[rec.key][1] == MASK
        await pilot.press("v")
        screen.show_tab("prefs")
        await pilot.pause()
        screen.show_tab("env")
        await settle(pilot, app)
        assert rec.key not in tab.revealed
        rows = {row[0]: row for row in table_rows(tab.table)}
        assert rows[rec.key][1] == MASK


async def test_copy_names_values_and_passwords_only_after_reveal_and_confirm(app_factory, sandbox):
    env = world_env(sandbox)
    plain, secret = plain_var(env), secret_var(env)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        tab = screen.tab("env")
        move_to(tab.table, plain.key)
        await pilot.pause()
        await pilot.press("y")
        assert app.clipboard == plain.key
        await pilot.press("c")
        assert app.clipboard == str(plain.value)
        # A hidden password: copying the value is disabled; the name still copies.
        move_to(tab.table, secret.key)
        await pilot.pause()
        assert tab.check_action("copy_value", ()) is None
        await pilot.press("c")
        assert app.clipboard == str(plain.value)
        await pilot.press("y")
        assert app.clipboard == secret.key
        # Revealed, but the confirmation is cancelled: still not copied.
        await pilot.press("v", "c")
        await wait_for_screen(pilot, app, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot, app)
        assert app.clipboard == secret.key
        # Revealed and confirmed.
        await pilot.press("c")
        await wait_for_screen(pilot, app, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app)
        assert app.clipboard == secret.value


async def test_add_with_strategy_confirmed_and_journalled_without_value(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        await pilot.press("a")
        dialog = await wait_for_screen(pilot, app, EnvVarDialog)
        await type_text(pilot, "1BAD")
        await pilot.press("enter")
        await type_text(pilot, "x")
        await pilot.press("enter")
        assert "do not start with a digit" in dialog.error_text()
        await pilot.press("shift+tab", "backspace")
        await type_text(pilot, "NEW_FLAG")
        await pilot.press("tab")
        # Apply with the next deployment: down to the second choice and select it.
        await pilot.press("tab", "down", "space", "shift+tab", "enter")
        confirm = await wait_for_screen(pilot, app, ConfirmDialog)
        lines = " ".join(str(line) for line in confirm.lines)
        assert "NEW_FLAG" in lines and QUIET_STACK in lines and "DEVELOPMENT" in lines
        assert "next deployment" in lines
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        [post] = writes_to(sandbox.sandbox, "POST", "/environments")
        assert world_env(sandbox)["NEW_FLAG"].value == "x"
        rows = {row[0]: row for row in table_rows(screen.tab("env").table)}
        assert rows["NEW_FLAG"][1] == "x"
        [entry] = journal(app, "env_var")
        assert entry.outcome == "ok"
        assert entry.params["apply_strategy"] == "deployment"
        assert "value" not in entry.params


async def test_name_tab_value_typed_in_one_burst_lands_in_both_fields(app_factory, sandbox):
    from textual.widgets import Input

    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot, app, tab="env")
        await pilot.press("a")
        dialog = await wait_for_screen(pilot, app, EnvVarDialog)
        queue_keys(app, [*map(key_of, "FAST_FLAG"), ("tab", "\t"), *map(key_of, "on")])
        await pilot.pause()
        await pilot.pause()
        assert dialog.query_one("#env-key", Input).value == "FAST_FLAG"
        assert dialog.query_one("#env-value", Input).value == "on"


async def test_tab_keys_and_add_typed_in_one_burst_open_the_add_dialog(app_factory, sandbox):
    from textual.widgets import Input

    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")  # its list is loaded
        screen.show_tab("stack")
        await settle(pilot, app)
        # "]", "]", "a" read together from a laggy link: two tabs on, then add.
        queue_keys(app, map(key_of, "]]a"))
        dialog = await wait_for_screen(pilot, app, EnvVarDialog)
        assert screen.active_tab is screen.tab("env")
        # A bracket typed into a field stays in the field.
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("slash", "right_square_bracket", "x")
        await pilot.pause()
        assert screen.active_tab is screen.tab("env")
        assert isinstance(screen.focused, Input) and screen.focused.value == "]x"
        assert dialog is not app.screen


async def test_add_refuses_existing_name(app_factory, sandbox):
    plain = plain_var(world_env(sandbox))
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot, app, tab="env")
        await pilot.press("a")
        dialog = await wait_for_screen(pilot, app, EnvVarDialog)
        await type_text(pilot, plain.key)
        await pilot.press("enter")
        await type_text(pilot, "v")
        await pilot.press("enter")
        assert "already exists" in dialog.error_text()
        await pilot.press("escape")
        await settle(pilot, app)
        assert writes_to(sandbox.sandbox, "POST", "/environments") == []


async def test_edit_password_value_never_prefilled_nor_shown(app_factory, sandbox):
    secret = secret_var(world_env(sandbox))
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        move_to(screen.tab("env").table, secret.key)
        await pilot.pause()
        await pilot.press("e")
        dialog = await wait_for_screen(pilot, app, EnvVarDialog)
        field = dialog.query_one("#env-value")
        assert field.value == "" and field.password
        await type_text(pilot, "n3w-s3cret")
        assert "n3w-s3cret" not in app.export_screenshot()
        await pilot.press("enter")
        confirm = await wait_for_screen(pilot, app, ConfirmDialog)
        assert "n3w-s3cret" not in " ".join(str(line) for line in confirm.lines)
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        assert len(writes_to(sandbox.sandbox, "PUT", f"/environments/{secret.key}")) == 1
        assert world_env(sandbox)[secret.key].value == "n3w-s3cret"


async def test_delete_confirmed(app_factory, sandbox):
    plain = plain_var(world_env(sandbox))
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        move_to(screen.tab("env").table, plain.key)
        await pilot.pause()
        await pilot.press("d")
        await wait_for_screen(pilot, app, EnvVarDialog)
        await pilot.press("enter")
        confirm = await wait_for_screen(pilot, app, ConfirmDialog)
        assert confirm.danger
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        assert len(writes_to(sandbox.sandbox, "DELETE", f"/environments/{plain.key}")) == 1
        assert plain.key not in world_env(sandbox)
        assert plain.key not in [row[0] for row in table_rows(screen.tab("env").table)]


async def test_delete_cancelled_sends_nothing(app_factory, sandbox):
    plain = plain_var(world_env(sandbox))
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        move_to(screen.tab("env").table, plain.key)
        await pilot.pause()
        await pilot.press("d")
        await wait_for_screen(pilot, app, EnvVarDialog)
        await pilot.press("enter")
        await wait_for_screen(pilot, app, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot, app)
        assert writes_to(sandbox.sandbox, "DELETE", "/environments") == []
        assert plain.key in world_env(sandbox)


async def test_read_only_variables_cannot_change_and_generated_cannot_be_deleted(
    app_factory, sandbox
):
    env = world_env(sandbox)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        tab = screen.tab("env")
        readonly = first(env, readonly=True)
        move_to(tab.table, readonly.key)
        await pilot.pause()
        assert tab.check_action("edit", ()) is None
        assert tab.check_action("delete", ()) is None
        assert "read-only" in detail_of(tab)
        await pilot.press("e", "d")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        # Generated but not read-only: its value may change (help-api, cx), not be deleted.
        generated = first(env, readonly=False, is_generated=True)
        move_to(tab.table, generated.key)
        await pilot.pause()
        assert tab.check_action("edit", ()) is True
        assert tab.check_action("delete", ()) is None
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        assert [r for r in sandbox.sandbox.request_log if r["method"] != "GET"] == []


async def test_read_only_profile_disables_add_edit_and_delete(app_factory, sandbox):
    plain = plain_var(world_env(sandbox))
    app = app_factory(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        tab = screen.tab("env")
        # Reading is still allowed: the list is there, only changes are off.
        assert plain.key in [row[0] for row in table_rows(tab.table)]
        move_to(tab.table, plain.key)
        await pilot.pause()
        for action in ("add", "edit", "delete"):
            assert tab.check_action(action, ()) is None
        assert "changes disabled: this profile is read-only" in status_of(tab)
        assert "Cannot change: this profile is read-only" in detail_of(tab)
        await pilot.press("a", "e", "d")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        for label in ("Add", "Edit", "Delete"):
            assert any(n.startswith(f"{label}: this profile is read-only") for n in notices(app))
        assert [r for r in sandbox.sandbox.request_log if r["method"] != "GET"] == []
        assert world_env(sandbox)[plain.key].value == plain.value


async def test_without_admin_the_list_is_replaced_by_the_reason(app_factory, sandbox):
    app = app_factory(scopes=("public", "redeploy", "jobs"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        tab = screen.tab("env")
        assert not tab.table.display
        denied = screen.query_one("#env-denied")
        assert denied.display and "admin scope" in str(denied.content)
        assert "needs the admin scope" in status_of(tab)
        assert tab.check_action("add", ()) is None
        await pilot.press("a")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)


async def test_failed_env_action_reported(app_factory, sandbox):
    plain = plain_var(world_env(sandbox))
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        sandbox.sandbox.fail_next("action", screen.stack.uid, "vault sealed")
        move_to(screen.tab("env").table, plain.key)
        await pilot.pause()
        await pilot.press("e")
        await wait_for_screen(pilot, app, EnvVarDialog)
        await type_text(pilot, "-changed")
        await pilot.press("enter")
        await wait_for_screen(pilot, app, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        [entry] = journal(app, "env_var")
        assert entry.outcome == "failed" and "vault sealed" in entry.detail
        assert any("vault sealed" in n for n in notices(app))
        assert world_env(sandbox)[plain.key].value == plain.value


async def test_timed_out_env_write_unknown_and_sent_once(app_factory, sandbox):
    plain = plain_var(world_env(sandbox))
    app = app_factory(client_kwargs=SLOW_ANSWER_CLIENT)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")
        sandbox.sandbox.inject_fault(
            f"/environments/{plain.key}", method="PUT", delay=SLOW_ANSWER_DELAY,
        )
        move_to(screen.tab("env").table, plain.key)
        await pilot.pause()
        await pilot.press("e")
        await wait_for_screen(pilot, app, EnvVarDialog)
        await type_text(pilot, "-slow")
        await pilot.press("enter")
        await wait_for_screen(pilot, app, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app, sandbox.sandbox)
        assert len(writes_to(sandbox.sandbox, "PUT", f"/environments/{plain.key}")) == 1
        [entry] = journal(app, "env_var")
        assert entry.outcome == "unknown"
        assert any("may or may not have applied" in n for n in notices(app))
        # The reload shows what really happened (applied before the answer was lost)
        # and the status line keeps the reminder; nothing was sent again.
        await settle(pilot, app, sandbox.sandbox)
        changed = "-slow"  # the typed text replaces the preselected old value
        assert world_env(sandbox)[plain.key].value == changed
        tab = screen.tab("env")
        rows = {row[0]: row for row in table_rows(tab.table)}
        assert rows[plain.key][1] == changed
        what = f"change {plain.key} on {QUIET_STACK}"
        assert f"outcome of '{what}' unknown: check before retrying" in status_of(tab)
        assert len(writes_to(sandbox.sandbox, "PUT", f"/environments/{plain.key}")) == 1
