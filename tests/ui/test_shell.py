"""The app shell: help overlay, quitting with a write in flight, themes, palette, identity,
crash reports and keeping tokens off the screen."""

from __future__ import annotations

import os
import stat
import threading

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from c66tui.api.redaction import MASK, redact
from c66tui.ui import crash
from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.screens.help import HelpScreen
from c66tui.ui.screens.login import LoginScreen
from tests.ui.conftest import wait_for_workers
from tests.waiting import until, until_idle


async def settle(app, pilot) -> None:
    await pilot.pause()
    await wait_for_workers(app)
    await pilot.pause()


async def test_help_lists_keys_of_the_screen_and_closes(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = {(row.keys, row.description) for row in app.screen.rows}
        assert ("1", "Stacks") in described
        assert ("^p", "Palette: go to stack, profiles, log in/out, theme") in described
        assert any(row.description == "Quit" and "q" in row.keys for row in app.screen.rows)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_help_from_the_login_screen_uses_f1(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")  # typed into the code field
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        descriptions = {row.description for row in app.screen.rows}
        assert {"Copy URL", "Code/token"} <= descriptions
        assert "Stacks" not in descriptions  # not logged in: the mode keys are off


async def test_mode_keys_do_nothing_before_login(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        app.screen.set_focus(None)
        await pilot.press("1")
        await pilot.pause()
        assert app.current_mode == "login"


async def test_quit_with_write_in_flight_asks_first(app_factory, sandbox):
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(app, pilot)
        app.services.in_flight.add("redeploy:stk-1")
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, ConfirmDialog)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


async def test_quit_without_writes_is_immediate(app_factory, sandbox):
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(app, pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_theme_choice_is_saved(app_factory, sandbox):
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(app, pilot)
        assert app.theme == "c66-dark"
        app.action_toggle_theme()
        assert app.theme == "c66-light"
        await until(  # saved after a short debounce
            pilot,
            lambda: app.services.store.load().preferences.theme == "c66-light",
            what="theme saved",
        )
    assert app.services.store.load().preferences.theme == "c66-light"


async def test_no_color_starts_with_the_terminal_palette(app_factory, sandbox, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(app, pilot)
        assert app.theme == "ansi-dark"
        assert {"ansi-light", "c66-light", "textual-dark"} <= set(app.available_themes)
    assert app.services.store.load().preferences.theme == "c66-dark"


async def test_identity_and_rate_limit_are_shown(app_factory, sandbox):
    app = app_factory(email="ops@example.com")
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(app, pilot)
        # The account the token works in, by its owner; the caller's own e-mail is not
        # documented anywhere, so it is not guessed.
        owner = sandbox.sandbox.accounts[0].owner
        assert app.account_email == f"account of {owner}"
        assert app.rate_text.startswith("API ")
        bar = str(app.screen.query_one("IdentityBar").render())
        assert f"account of {owner}" in bar and "profile default" in bar
        assert "ops@example.com" not in bar


def first_match(app, text: str) -> bool:
    """Whether the open command palette lists a command mentioning ``text`` first."""
    if not isinstance(app.screen, CommandPalette):
        return False
    found = app.screen.query_one(CommandList)
    return found.option_count > 0 and text in str(found.get_option_at_index(0).prompt)


def titles(app) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


async def test_palette_keeps_system_commands_and_adds_ours(app_factory, sandbox):
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(app, pilot)
        names = titles(app)
        for wanted in ("Quit", "Keys", "Log out", "Log in again", "Add profile"):
            assert wanted in names
        assert "Toggle light/dark theme" in names


async def test_palette_goes_to_a_stack_by_name(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await until(pilot, lambda: app.services.known_stacks, what="stacks published")
        stacks = app.services.known_stacks
        assert stacks, "the stacks screen publishes what it loaded"
        target = next(s for s in reversed(stacks) if s.name.replace("-", "").isalnum())
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*target.name)
        await until(pilot, lambda: first_match(app, target.name), what="palette found the stack")
        await until_idle(pilot, app, sandbox)  # the palette's search finished
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_mode == "stacks"
        assert app.services.focused_stack is not None
        assert app.services.focused_stack.uid == target.uid
        assert app.focused_environment == target.environment


async def test_palette_switches_profile(app_factory, sandbox):
    from c66tui.api.secret import Secret
    from c66tui.config import Profile

    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)

        def setup(config):
            config.profiles["staging"] = Profile("staging", api_url=sandbox.api_url)

        app.services.store.update(setup)
        app.services.store.set_token("staging", Secret(sandbox.sandbox.mint_token(["public"])))
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"profile staging")
        await until(pilot, lambda: first_match(app, "staging"), what="palette found the profile")
        await until_idle(pilot, app, sandbox)  # the palette's search finished
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.profile_name == "staging"


SENTINEL = "sbx_SENTINEL_0123456789abcdef"


async def test_token_never_on_screen(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        field = app.screen.query_one("#login-pat", Input)
        field.value = SENTINEL
        await pilot.pause()
        assert SENTINEL not in app.export_screenshot()
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        token = app.services.token.reveal()
        assert token not in app.export_screenshot()
        app.action_logout()
        await pilot.pause()
        assert token not in app.export_screenshot()


class Boom(RuntimeError):
    pass


def bare(token: str) -> str:
    """A message holding ``token`` where no pattern would find it: only the registry of
    secrets (filled by the app's own client) can mask it."""
    return f"stack list broke near {token} in the cache"


async def test_crash_report_is_redacted_and_private(app_factory, sandbox, isolated_dirs, capsys):
    app = app_factory()
    shown: list[str] = []

    def explode() -> None:
        token = shown[0]
        token_response = {"access_token": token}  # a local Textual would have shown
        raise Boom(f"token exchange broke: {token_response} Bearer {token}; {bare(token)}")

    before = app.services.token.reveal()
    assert redact(bare(before)) == bare(before), "the registry starts empty for each test"
    with pytest.raises(Boom):
        async with app.run_test() as pilot:
            await settle(app, pilot)
            shown.append(app.services.token.reveal())
            assert shown[0] == before
            assert redact(bare(shown[0])) == bare(MASK), "the app registered its own token"
            app.call_later(explode)
            await pilot.pause()
    token = shown[0]
    reports = list(isolated_dirs["state"].glob("crash-*.txt"))
    assert len(reports) == 1
    report = reports[0]
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    text = report.read_text()
    assert "Boom" in text and "explode" in text
    assert token not in text
    printed = capsys.readouterr().err
    assert token not in printed
    assert "Boom" in printed and str(report) in printed.replace("\n", "")
    assert "Traceback" not in printed and "locals" not in printed.replace("no local", "")


def test_crash_report_without_registration_masks_token_patterns(tmp_path):
    try:
        try:
            raise ValueError("access_token=abcdef123456 client_secret=shh-its-secret")
        except ValueError as inner:
            raise RuntimeError("Authorization: Bearer zzz-token-zzz") from inner
    except RuntimeError as error:
        path = crash.write_report(error, tmp_path)
    assert path is not None
    text = path.read_text()
    for secret in ("abcdef123456", "shh-its-secret", "zzz-token-zzz"):
        assert secret not in text
    assert "ValueError" in text and "RuntimeError" in text
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"


async def test_login_screen_state_from_environment(app_factory, sandbox, monkeypatch):
    monkeypatch.setenv("C66TUI_TEST_OAUTH_STATE", "pinned")
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "state=pinned" in app.screen.query_one("LoginForm").authorize_url


async def test_demo_runs_in_process_and_its_login_can_be_tried(isolated_dirs, monkeypatch):
    from c66tui.ui.demo import make_demo_app

    real_config = isolated_dirs["config"]
    app = make_demo_app(None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.demo_mode and app.current_mode == "stacks"
        assert app.account_email == "account of demo@example.com"
        assert app.services.store.directory != real_config
        # Log out, then walk the whole code flow with the sandbox playing the browser.
        app.action_logout()
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, LoginScreen)
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        assert app.clipboard and app.clipboard in str(
            app.screen.query_one("#login-status").render()
        )
        await pilot.press("ctrl+v", "enter")
        await settle(app, pilot)
        assert app.current_mode == "stacks"
        assert app.services.api is not None
    assert not real_config.exists() or not any(real_config.iterdir())


async def test_crash_in_a_worker_is_reported_too(app_factory, sandbox, isolated_dirs, capsys):
    app = app_factory()
    shown: list[str] = []

    async def failing() -> None:
        raise Boom(f"worker saw access_token={shown[0]} and {bare(shown[0])}")

    with pytest.raises(Exception):  # noqa: B017 - Textual wraps it as WorkerFailed
        async with app.run_test() as pilot:
            await settle(app, pilot)
            shown.append(app.services.token.reveal())
            app.run_worker(failing(), exit_on_error=True)
            await pilot.pause()
            await pilot.pause()
    token = shown[0]
    printed = capsys.readouterr().err
    assert "Boom: worker saw" in printed and token not in printed
    reports = list(isolated_dirs["state"].glob("crash-*.txt"))
    assert reports and token not in reports[0].read_text()


async def test_screen_key_pressed_while_first_connecting_switches_once_connected(
    app_factory, sandbox, monkeypatch
):
    from c66tui.ui.app import C66App

    # Hold the first connection back: a key arrives between the first frame (the cached
    # list) and the moment the API client is up.
    held = []
    real_connect = C66App.connect_at_start

    async def hold(self, token):
        held.append(token)

    monkeypatch.setattr(C66App, "connect_at_start", hold)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert held and app.services.api is None and app.current_mode == "stacks"
        await pilot.press("2")
        await pilot.pause()
        assert app.current_mode == "stacks"
        await real_connect(app, held[0])
        await until(pilot, lambda: app.current_mode == "jobs", what="jobs screen")
        assert app.current_mode == "jobs" and app.services.api is not None


async def test_keys_are_handled_while_the_first_api_client_is_being_built(app_factory, sandbox):
    # Building the first client loads httpx and reads the certificate store; it happens
    # off the app's message loop, so a key typed meanwhile is not held behind it.
    release = threading.Event()
    app = app_factory()
    build = app.services.api_factory

    def slow_build(api_url, token):
        release.wait(10)
        return build(api_url, token)

    app.services.api_factory = slow_build
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("s")
            status = app.screen.query_one("#stacks-status")
            await until(pilot, lambda: "sort env" in str(status.render()), what="sorted")
            assert app.services.api is None  # still being built
            release.set()
            await until(pilot, lambda: app.services.api is not None, what="connected")
    finally:
        release.set()
