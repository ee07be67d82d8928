"""Screenshots of the settings screen at 80x24 and 120x40, with time frozen and the
sandbox's host, port and request budget kept out of the picture."""

from __future__ import annotations

import pytest

from c66tui.ui.dialogs.edit_setting import EditSettingDialog
from c66tui.ui.dialogs.env_var import EnvVarDialog
from tests.ui.test_settings_support import (
    PRODUCTION_STACK,
    move_to,
    open_settings,
    settle,
    wait_for_screen,
)

SMALL = (80, 24)
LARGE = (120, 40)


@pytest.fixture
def snap_app(app_factory, monkeypatch):
    """``app_factory`` with a frozen clock, a fixed API host and no budget counter."""
    from c66tui.ops.services import AppServices
    from c66tui.ui.app import C66App

    monkeypatch.setenv("C66TUI_FROZEN_NOW", "2026-06-01T12:00:00Z")
    monkeypatch.setattr(AppServices, "api_host", property(lambda self: "sandbox.test"))
    monkeypatch.setattr(C66App, "note_rate_limit", lambda self, rate: None)
    return app_factory


def showing(tab, stack_name=PRODUCTION_STACK, then=None):
    """A ``run_before`` that opens ``tab`` on ``stack_name`` and optionally does more."""

    async def run_before(pilot):
        app = pilot.app
        await open_settings(pilot, app, tab=tab, stack_name=stack_name)
        if then is not None:
            await then(pilot, app)
        await settle(pilot, app)

    return run_before


def test_stack_tab_80x24(snap_compare, snap_app):
    assert snap_compare(snap_app(), terminal_size=SMALL, run_before=showing("stack"))


def test_stack_tab_120x40(snap_compare, snap_app):
    assert snap_compare(snap_app(), terminal_size=LARGE, run_before=showing("stack"))


def test_servers_tab_120x40(snap_compare, snap_app):
    assert snap_compare(snap_app(), terminal_size=LARGE, run_before=showing("servers"))


def test_env_tab_masked_80x24(snap_compare, snap_app):
    assert snap_compare(snap_app(), terminal_size=SMALL, run_before=showing("env"))


def test_env_tab_masked_120x40(snap_compare, snap_app):
    assert snap_compare(snap_app(), terminal_size=LARGE, run_before=showing("env"))


def test_env_tab_without_admin_80x24(snap_compare, snap_app):
    app = snap_app(scopes=("public", "redeploy", "jobs"))
    assert snap_compare(app, terminal_size=SMALL, run_before=showing("env"))


def test_edit_setting_dialog_80x24(snap_compare, snap_app):
    async def edit(pilot, app):
        move_to(app.screen.tab("stack").table, "git.repository")
        await pilot.pause()
        await pilot.press("e")
        await wait_for_screen(pilot, app, EditSettingDialog)

    assert snap_compare(snap_app(), terminal_size=SMALL, run_before=showing("stack", then=edit))


def test_add_env_var_dialog_80x24(snap_compare, snap_app):
    async def add(pilot, app):
        await pilot.press("a")
        await wait_for_screen(pilot, app, EnvVarDialog)
        await pilot.press(*"LOG_FORMAT")

    assert snap_compare(snap_app(), terminal_size=SMALL, run_before=showing("env", then=add))


def test_preferences_80x24(snap_compare, snap_app):
    assert snap_compare(snap_app(), terminal_size=SMALL, run_before=showing("prefs", None))


def test_preferences_120x40(snap_compare, snap_app):
    assert snap_compare(snap_app(), terminal_size=LARGE, run_before=showing("prefs", None))


def test_profiles_120x40(snap_compare, snap_app):
    from c66tui.config import Profile

    async def fixed_urls(pilot, app):
        # The sandbox listens on a random port: show fixed URLs in config.toml instead.
        def change(config):
            config.profiles["default"].api_url = "https://sandbox.test/api/2"
            config.profiles["staging"] = Profile("staging", read_only=True)

        app.services.store.update(change)
        app.screen.tab("profiles").reload()
        await pilot.pause()

    run_before = showing("profiles", None, then=fixed_urls)
    assert snap_compare(snap_app(), terminal_size=LARGE, run_before=run_before)
