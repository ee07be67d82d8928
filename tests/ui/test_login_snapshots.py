"""Screenshots of the login screen at 80x24 and 120x40 (no network: nothing is sent)."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

STATE = "snapshot-state-0123456789"
VERIFIER = "snapshot-verifier-" + "0" * 40


@pytest.fixture
def login_app(isolated_dirs, monkeypatch):
    """A logged-out app for a fixed profile, with a pinned OAuth state."""
    from c66tui.config import ConfigStore, Profile, Settings
    from c66tui.ui.app import make_app

    monkeypatch.setenv("C66TUI_TEST_OAUTH_STATE", STATE)
    monkeypatch.setenv("C66TUI_TEST_OAUTH_VERIFIER", VERIFIER)

    def build():
        store = ConfigStore(isolated_dirs["config"])

        def setup(config):
            config.profiles["default"] = Profile(
                "default", api_url="https://app.cloud66.com/api/2", client_id="c66tui-example"
            )

        config = store.update(setup)
        settings = Settings(
            store=store,
            config=config,
            profile=config.profiles["default"],
            token=None,
            token_source=None,
            read_only=False,
        )
        return make_app(settings)

    return build


def test_login_80x24(snap_compare, login_app):
    assert snap_compare(login_app(), terminal_size=(80, 24))


def test_login_120x40(snap_compare, login_app):
    assert snap_compare(login_app(), terminal_size=(120, 40))


def test_login_bad_paste_80x24(snap_compare, login_app):
    async def paste(pilot):
        await pilot.pause()
        pilot.app.screen.query_one("#login-code", Input).post_message(events.Paste("abc"))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(login_app(), terminal_size=(80, 24), run_before=paste)


def test_login_token_tab_80x24(snap_compare, login_app):
    async def token_tab(pilot):
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press(*"secret-token-value")
        await pilot.pause()

    assert snap_compare(login_app(), terminal_size=(80, 24), run_before=token_tab)


def test_relogin_dialog_80x24(snap_compare, login_app):
    async def open_dialog(pilot):
        from c66tui.ui.dialogs.login_dialog import LoginDialog

        await pilot.pause()
        pilot.app.push_screen(LoginDialog(pilot.app.services.profile))
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(login_app(), terminal_size=(80, 24), run_before=open_dialog)
