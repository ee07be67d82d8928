"""Access-token login, logout, profile switching and the re-login dialog after a 401."""

from __future__ import annotations

import asyncio
import stat

from textual import events
from textual.widgets import Input, Static, TabbedContent

from c66tui.api.errors import AuthenticationError
from c66tui.api.secret import Secret
from c66tui.config import Profile
from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.dialogs.login_dialog import LoginDialog
from c66tui.ui.screens.login import LoginForm, LoginScreen
from tests.ui.conftest import wait_for_workers
from tests.ui.notices import notices
from tests.waiting import until


def status_of(app) -> str:
    return str(app.screen.query_one("#login-status", Static).render())


async def paste_token(app, pilot, token: str) -> None:
    await until(  # the form's keys work once the focus is inside it
        pilot,
        lambda: app.focused is not None
        and any(isinstance(node, LoginForm) for node in app.focused.ancestors),
        what="the focus inside the login form",
    )
    await pilot.press("ctrl+t")
    await until(  # the screen's own tabs (a dialog may be pushed meanwhile)
        pilot,
        lambda: app.screen.query_one(TabbedContent).active == "tab-token",
        what="the token tab",
    )
    field = app.screen.query_one("#login-pat", Input)
    await until(pilot, lambda: app.focused is field, what="the focus on the token field")
    field.post_message(events.Paste(token + "\n"))
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await wait_for_workers(app)
    await pilot.pause()


async def test_access_token_login(app_factory, sandbox, isolated_dirs):
    token = sandbox.sandbox.mint_token(["public", "redeploy"], email="pat@example.com")
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await paste_token(app, pilot, token)
        assert app.current_mode == "stacks", status_of(app)
        assert app.account_email == ""  # no users scope: the e-mail is unknown
    creds = isolated_dirs["config"] / "credentials.toml"
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    assert token in creds.read_text()


async def test_access_token_refused(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await paste_token(app, pilot, "sbx_not_a_real_token_at_all")
        assert isinstance(app.screen, LoginScreen)
        assert "did not accept this token" in status_of(app)
        assert app.screen.query_one("#login-pat", Input).value == ""
        assert app.services.store.get_token("default") is None


async def test_logout_after_confirmation(app_factory, sandbox):
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.current_mode == "stacks"
        app.action_logout()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert app.services.store.get_token("default") is not None
        app.action_logout()
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await wait_for_workers(app)
        await pilot.pause()
        assert app.services.store.get_token("default") is None
        assert app.services.api is None
        assert app.current_mode == "login"
        assert isinstance(app.screen, LoginScreen)


async def test_logout_refused_for_environment_token(app_factory, sandbox):
    app = app_factory(logged_in=True)
    async with app.run_test(notifications=True) as pilot:
        await pilot.pause()
        services = app.services
        services.use_profile(services.profile, services.token, "env")
        app.action_logout()
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        notes = notices(app)
        assert any("CLOUD66_TOKEN" in note for note in notes)
        assert services.store.get_token("default") is not None


def add_profile(app, sandbox, name: str, *, logged_in: bool) -> None:
    store = app.services.store

    def setup(config):
        config.profiles[name] = Profile(
            name=name, api_url=sandbox.api_url, client_id="c66tui-sandbox"
        )

    store.update(setup)
    if logged_in:
        token = sandbox.sandbox.mint_token(["public"], email="other@example.com")
        store.set_token(name, Secret(token))


async def test_switch_profile_with_saved_token(app_factory, sandbox):
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.pause()
        first_api = app.services.api
        add_profile(app, sandbox, "other", logged_in=True)
        app.switch_profile("other")
        await pilot.pause()
        await wait_for_workers(app)
        await pilot.pause()
        assert app.profile_name == "other"
        assert app.services.profile.name == "other"
        assert app.services.api is not first_api
        assert app.current_mode == "stacks"
        assert app.services.store.load().active_profile == "other"


async def test_switch_to_profile_without_token_asks_to_log_in(app_factory, sandbox):
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.pause()
        add_profile(app, sandbox, "fresh", logged_in=False)
        app.switch_profile("fresh")
        await pilot.pause()
        await wait_for_workers(app)
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.profile.name == "fresh"
        # esc goes back to the profile that works.
        await pilot.press("escape")
        await pilot.pause()
        assert app.profile_name == "default"
        assert app.services.api is not None


async def test_add_profile_then_log_in(app_factory, sandbox, monkeypatch):
    monkeypatch.setenv("C66TUI_CLIENT_SECRET", "sandbox-secret")
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.action_add_profile()
        await pilot.pause()
        await pilot.press(*"work", "enter", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        token = sandbox.sandbox.mint_token(["public"])
        await paste_token(app, pilot, token)
        assert app.profile_name == "work"
        config = app.services.store.load()
        assert config.active_profile == "work"
        assert config.profiles["work"].api_url == sandbox.api_url
        assert app.services.store.get_token("work").reveal() == token


async def test_401_opens_one_dialog_and_retries(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await wait_for_workers(app)
        services = app.services
        sandbox.sandbox.revoke_token(services.token.reveal())
        pushed: list[object] = []
        app.screen_change_signal.subscribe(app, pushed.append)
        reads = [
            asyncio.create_task(services.read(lambda api: api.list_stacks())) for _ in range(3)
        ]
        for _ in range(20):
            await pilot.pause()
            if isinstance(app.screen, LoginDialog):
                break
        assert isinstance(app.screen, LoginDialog)
        fresh = sandbox.sandbox.mint_token(["public", "redeploy", "jobs", "admin", "users"])
        await paste_token(app, pilot, fresh)
        results = await asyncio.gather(*reads)
        assert all(len(stacks) > 0 for stacks in results)
        assert sum(isinstance(screen, LoginDialog) for screen in pushed) == 1
        assert not isinstance(app.screen, LoginDialog)
        assert services.token.reveal() == fresh
        assert services.store.get_token("default").reveal() == fresh


async def test_401_declined_fails_every_waiting_read(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await wait_for_workers(app)
        services = app.services
        sandbox.sandbox.revoke_token(services.token.reveal())
        reads = [
            asyncio.create_task(services.read(lambda api: api.list_stacks())) for _ in range(2)
        ]
        for _ in range(20):
            await pilot.pause()
            if isinstance(app.screen, LoginDialog):
                break
        await pilot.press("escape")
        results = await asyncio.gather(*reads, return_exceptions=True)
        await pilot.pause()
        assert all(isinstance(r, AuthenticationError) for r in results)
        assert not isinstance(app.screen, LoginDialog)


async def test_401_with_environment_token_names_the_variable(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(notifications=True) as pilot:
        await pilot.pause()
        await wait_for_workers(app)
        services = app.services
        services.use_profile(services.profile, services.token, "env")
        sandbox.sandbox.revoke_token(services.token.reveal())
        try:
            await services.read(lambda api: api.list_stacks())
        except AuthenticationError:
            pass
        else:  # pragma: no cover
            raise AssertionError("the read should fail")
        await pilot.pause()
        assert not isinstance(app.screen, LoginDialog)
        assert any("CLOUD66_TOKEN" in message for message in notices(app))


async def test_environment_token_is_allowed_every_scope_until_refused(
    sandbox, isolated_dirs, monkeypatch
):
    """CLOUD66_TOKEN's scopes are unknown (like a pasted token): admin writes stay on
    although the profile only asked for the default scopes, until a 403 says otherwise."""
    from c66tui.api.errors import MissingScopeError
    from c66tui.config import ConfigStore, Profile, load_settings
    from c66tui.ui.app import make_app

    store = ConfigStore(isolated_dirs["config"])

    def setup(config):
        config.profiles["default"] = Profile(
            name="default", api_url=sandbox.api_url, scopes=("public", "redeploy", "jobs")
        )
        config.active_profile = "default"

    store.update(setup)
    monkeypatch.setenv("CLOUD66_TOKEN", sandbox.sandbox.mint_token(["public", "admin"]))
    settings = load_settings(None)
    assert settings.token_source == "env"
    app = make_app(settings)
    async with app.run_test() as pilot:
        await pilot.pause()
        services = app.services
        assert services.permission("admin") is None
        services.note_missing_scope(MissingScopeError("refused", scope="redeploy"))
        assert services.permission("redeploy") is not None
        assert services.permission("admin") is None

    # A saved login keeps to the scopes it asked for.
    monkeypatch.delenv("CLOUD66_TOKEN")
    store.set_token("default", sandbox.sandbox.mint_token(["public", "redeploy", "jobs"]))
    app = make_app(load_settings(None))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.services.permission("admin") is not None


async def test_a_token_with_the_users_scope_names_the_account_not_a_users_email(
    app_factory, sandbox
):
    """``GET /users`` lists every user the token can see, in no documented order: the app
    names the account the token works in (``/accounts``), never the first user's e-mail."""
    token = sandbox.sandbox.mint_token(["public", "users"], email="pat@example.com")
    owners = {f"account of {account.owner}" for account in sandbox.sandbox.accounts}
    first_user = sandbox.sandbox.users[0].email
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await paste_token(app, pilot, token)
        assert app.current_mode == "stacks", status_of(app)
        assert app.account_email in owners
        assert first_user not in owners  # the check below can tell the two apart
        assert app.account_email != first_user
