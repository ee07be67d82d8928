"""The login form's smaller promises, with Pilot against the loopback sandbox: a masked
code field, focus and paste behaviour a newcomer expects, a quit key in the footer, a
token that could not be saved kept in memory, and an unreadable credentials file moved
aside by the login."""

from __future__ import annotations

import errno
import stat
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from textual import events
from textual.widgets import Input, Static

from c66tui.config.errors import ConfigWriteError
from c66tui.ui.screens.login import LoginForm, LoginScreen
from tests.ui.conftest import wait_for_workers
from tests.waiting import until, until_idle


@pytest.fixture(autouse=True)
def client_secret_env(monkeypatch):
    monkeypatch.setenv("C66TUI_CLIENT_SECRET", "sandbox-secret")


def approve(sandbox, url: str) -> str:
    form = dict(parse_qsl(urlsplit(url).query))
    form["decision"] = "allow"
    httpx.post(sandbox.base_url + "/oauth/authorize", data=form).raise_for_status()
    return httpx.get(sandbox.base_url + "/_sandbox/oauth/last-code").json()["code"]


def status_of(app) -> str:
    return str(app.screen.query_one("#login-status", Static).render())


async def paste_and_enter(app, pilot, text: str) -> None:
    field = app.screen.query_one("#login-code", Input)
    assert app.focused is field
    field.post_message(events.Paste(text))
    await pilot.pause()
    await pilot.press("enter")
    await wait_for_workers(app)
    await pilot.pause()


async def test_code_field_is_masked(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#login-code", Input)
        assert field.password
        field.post_message(events.Paste("secretcode1234567"))
        await pilot.pause()
        assert field.value == "secretcode1234567"
        assert "secretcode1234567" not in app.export_screenshot()


async def test_focus_starts_in_the_first_empty_required_field(app_factory, sandbox, monkeypatch):
    monkeypatch.delenv("C66TUI_CLIENT_SECRET")
    app = app_factory(logged_in=False)
    app.services.profile.client_id = ""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused.id == "client-id"
        await pilot.press(*"c66tui-sandbox", "enter")
        assert app.focused.id == "client-secret"
        await pilot.press(*"sandbox-secret", "enter")
        assert app.focused.id == "login-code"


async def test_tab_does_not_select_a_filled_field(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused.id == "login-code"
        client_id = app.screen.query_one("#client-id", Input)
        client_id.focus()
        await pilot.pause()
        assert client_id.selection.is_empty
        await pilot.press("x")
        assert client_id.value.startswith("c66tui-sandbox") and "x" in client_id.value


async def test_paste_is_cleaned_of_surrounding_whitespace_and_control_characters(
    app_factory, sandbox
):
    app = app_factory(logged_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#login-code", Input)
        field.post_message(events.Paste("\t\x1b  abcdefgh\r\n12345\n\x07 "))
        await pilot.pause()
        assert field.value == "abcdefgh12345"
        assert app.focused is field


async def test_footer_shows_how_to_quit_and_ctrl_q_quits(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = {
            binding.key: binding.description
            for _node, binding, enabled, _tooltip in app.screen.active_bindings.values()
            if binding.show and enabled
        }
        assert shown.get("ctrl+q") == "Quit"
        await pilot.press("q")
        assert app.screen.query_one("#login-code", Input).value == "q"
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


def full_disk(*args, **kwargs):
    raise ConfigWriteError(
        f"Could not save credentials.toml: {errno.errorcode[errno.ENOSPC]} No space left on "
        "device. The previous file is unchanged."
    )


async def test_token_that_cannot_be_saved_is_kept_and_saved_on_retry(
    app_factory, sandbox, isolated_dirs, monkeypatch
):
    app = app_factory(logged_in=False)
    store = app.services.store
    real_set_token = store.set_token
    monkeypatch.setattr(store, "set_token", full_disk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        code = approve(sandbox, app.screen.query_one(LoginForm).authorize_url)
        await paste_and_enter(app, pilot, code)
        assert isinstance(app.screen, LoginScreen)
        said = status_of(app)
        assert "could not be saved" in said and "No space left" in said
        assert "ctrl+s" in said and "ctrl+u" in said
        form = app.screen.query_one(LoginForm)
        assert form.unsaved is not None and form.unsaved.token.reveal()
        await pilot.press("escape")  # nothing is thrown away by leaving
        assert isinstance(app.screen, LoginScreen)
        await pilot.press("ctrl+s")
        await wait_for_workers(app)
        assert "could not be saved" in status_of(app)  # still full
        monkeypatch.setattr(store, "set_token", real_set_token)
        await pilot.press("ctrl+s")
        await wait_for_workers(app)
        await pilot.pause()
        assert app.current_mode == "stacks", status_of(app)
    token = app.services.token.reveal()
    assert token in (isolated_dirs["config"] / "credentials.toml").read_text()
    assert len([r for r in sandbox.sandbox.request_log if r["path"] == "/oauth/token"]) == 1


async def test_token_that_cannot_be_saved_can_be_used_for_the_session(
    app_factory, sandbox, isolated_dirs, monkeypatch
):
    app = app_factory(logged_in=False)
    monkeypatch.setattr(app.services.store, "set_token", full_disk)
    notes: list[str] = []
    original_notify = app.notify
    monkeypatch.setattr(
        app, "notify", lambda message, **kw: (notes.append(message), original_notify(message, **kw))
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        code = approve(sandbox, app.screen.query_one(LoginForm).authorize_url)
        await paste_and_enter(app, pilot, code)
        await pilot.press("ctrl+u")
        await wait_for_workers(app)
        await pilot.pause()
        assert app.current_mode == "stacks"
        assert app.services.api is not None
    assert any("not saved" in note and "until c66tui exits" in note for note in notes)
    assert not (isolated_dirs["config"] / "credentials.toml").exists()


async def test_login_moves_an_unreadable_credentials_file_aside(
    app_factory, sandbox, isolated_dirs, monkeypatch
):
    app = app_factory(logged_in=False)
    creds = isolated_dirs["config"] / "credentials.toml"
    creds.write_bytes(b"[profiles.default\ntoken = 'half a file")
    notes: list[str] = []
    original_notify = app.notify
    monkeypatch.setattr(
        app, "notify", lambda message, **kw: (notes.append(message), original_notify(message, **kw))
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        code = approve(sandbox, app.screen.query_one(LoginForm).authorize_url)
        await paste_and_enter(app, pilot, code)
        assert app.current_mode == "stacks", status_of(app)
    moved = [p for p in creds.parent.iterdir() if p.name.startswith("credentials.toml.corrupt-")]
    assert len(moved) == 1
    assert moved[0].read_bytes() == b"[profiles.default\ntoken = 'half a file"
    assert stat.S_IMODE(moved[0].stat().st_mode) == 0o600
    assert any(str(moved[0]) in note for note in notes), notes
    assert app.services.token.reveal() in creds.read_text()


async def test_demo_login_with_the_built_in_sandbox_code(isolated_dirs):
    """The demo's ctrl+g approves the PKCE-carrying URL in the in-process sandbox; the
    code it shows logs in (the exchange sends the matching verifier)."""
    from types import SimpleNamespace

    from c66tui.ui.demo import make_demo_app

    app = make_demo_app(SimpleNamespace(fresh=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await wait_for_workers(app)
        app.push_screen(LoginScreen(cancellable=True))
        await pilot.pause()
        form = app.screen.query_one(LoginForm)
        assert "code_challenge_method=S256" in form.authorize_url
        await pilot.press("ctrl+g")
        await wait_for_workers(app)
        await pilot.pause()
        assert "Sandbox approved" in status_of(app)
        await paste_and_enter(app, pilot, app.clipboard)
        assert app.current_mode == "stacks", status_of(app)
        assert not isinstance(app.screen, LoginScreen)


async def test_a_lone_tab_still_moves_to_the_next_field(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        code = app.screen.query_one("#login-code", Input)
        assert app.focused is code
        await pilot.press("tab")
        await until(pilot, lambda: app.focused is not code, what="the focus to move on")
        assert code.value == ""


async def test_a_raw_paste_starting_with_a_tab_stays_in_the_code_field(app_factory, sandbox):
    """Keys of an unbracketed paste arrive together: the tab does not move the focus."""
    app = app_factory(logged_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        code = app.screen.query_one("#login-code", Input)
        for key in ["tab", *"abcdefgh123"]:  # delivered in one burst, as a terminal would
            app.post_message(events.Key(key, "\t" if key == "tab" else key))
        await until(pilot, lambda: code.value == "abcdefgh123", what="the pasted code")
        await until_idle(pilot, app, sandbox, waiting=("login-listen",))  # the tab's window
        assert app.focused is code
        assert code.value == "abcdefgh123"
