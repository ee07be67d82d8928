"""The out-of-band code login against the loopback sandbox: success and every error class."""

from __future__ import annotations

import re
import socket
import stat
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from textual import events
from textual.widgets import Input, Static

from c66tui.ui.screens.login import LoginForm, LoginScreen
from tests.ui.conftest import wait_for_workers
from tests.waiting import until_idle

pytestmark = pytest.mark.usefixtures("client_secret_env")

_CODE = re.compile(r"id=[\"']auth-code[\"']>([^<]+)<")


@pytest.fixture
def client_secret_env(monkeypatch):
    """The sandbox's client secret, as a user would export it."""
    monkeypatch.setenv("C66TUI_CLIENT_SECRET", "sandbox-secret")


def approve(sandbox, url: str) -> str:
    """Play the browser: approve the authorize URL in the sandbox, return its code."""
    parts = urlsplit(url)
    form = dict(parse_qsl(parts.query))
    form["decision"] = "allow"
    answer = httpx.post(sandbox.base_url + "/oauth/authorize", data=form)
    match = _CODE.search(answer.text)
    assert match, answer.text
    return match.group(1)


def form_of(app) -> LoginForm:
    return app.screen.query_one(LoginForm)


def status_of(app) -> str:
    return str(app.screen.query_one("#login-status", Static).render())


async def paste_code(app, pilot, text: str) -> None:
    code_input = app.screen.query_one("#login-code", Input)
    assert app.focused is code_input, "the code field must have the focus"
    code_input.post_message(events.Paste(text))
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await wait_for_workers(app)
    await pilot.pause()


async def test_code_login_saves_token_and_opens_stacks(app_factory, sandbox, isolated_dirs):
    app = app_factory(logged_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        url = form_of(app).authorize_url
        assert url.startswith(sandbox.base_url + "/oauth/authorize?")
        assert "scope=public+redeploy+jobs" in url
        code = approve(sandbox, url)
        # A real paste: surrounding whitespace and quotes are cleaned up.
        await paste_code(app, pilot, f'  "{code}"\n')
        assert app.current_mode == "stacks", status_of(app)
        assert app.services.api is not None
        # The account the token works in (/accounts), not a user listed by /users.
        assert app.account_email == "account of demo@example.com"
    creds = isolated_dirs["config"] / "credentials.toml"
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    token = app.services.token.reveal()
    assert token in creds.read_text()
    # The client secret came from the environment, so it is not written to the file.
    assert "sandbox-secret" not in creds.read_text()
    posts = [r for r in sandbox.sandbox.request_log if r["path"] == "/oauth/token"]
    assert len(posts) == 1


async def test_code_login_with_typed_secret_and_extra_scope(
    app_factory, sandbox, isolated_dirs, monkeypatch
):
    monkeypatch.delenv("C66TUI_CLIENT_SECRET")
    app = app_factory(logged_in=False, scopes=("public",))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        secret = screen.query_one("#client-secret", Input)
        assert secret.value == ""
        assert app.focused is secret, "the first empty required field has the focus"
        await pilot.press(*"sandbox-secret", "enter")
        assert secret.value == "sandbox-secret"
        screen.query_one("#scope-admin").value = True
        await pilot.pause()
        url = form_of(app).authorize_url
        assert "scope=public+admin" in url
        await paste_code(app, pilot, approve(sandbox, url))
        assert app.current_mode == "stacks", status_of(app)
        assert app.services.scopes == {"public", "admin"}
    saved = app.services.store.load().profiles["default"]
    assert saved.scopes == ("public", "admin")
    assert app.services.store.get_client_secret("default").reveal() == "sandbox-secret"


async def expect_failure(app, pilot, text: str, *, message: str) -> None:
    await paste_code(app, pilot, text)
    assert isinstance(app.screen, LoginScreen)
    assert message in status_of(app), status_of(app)
    assert status_of(app).startswith("✗")
    code_input = app.screen.query_one("#login-code", Input)
    assert code_input.value == ""
    assert app.focused is code_input
    assert app.services.store.get_token("default") is None


async def test_invalid_code_keeps_screen_open(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await expect_failure(app, pilot, "0123456789abcdef", message="did not work")


async def test_reused_code_is_refused(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        code = approve(sandbox, form_of(app).authorize_url)
        used = httpx.post(
            sandbox.base_url + "/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
                "client_id": "c66tui-sandbox",
                "client_secret": "sandbox-secret",
                "code_verifier": form_of(app).attempt.verifier,
            },
        )
        assert used.status_code == 200
        await expect_failure(app, pilot, code, message="already used")


async def test_wrong_client_secret_is_not_the_users_fault(app_factory, sandbox, monkeypatch):
    monkeypatch.setenv("C66TUI_CLIENT_SECRET", "not-the-secret")
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        code = approve(sandbox, form_of(app).authorize_url)
        await expect_failure(app, pilot, code, message="client id or secret")


async def test_network_drop_during_exchange(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        code = approve(sandbox, form_of(app).authorize_url)
        sandbox.sandbox.inject_fault("/oauth/token", drop=True)
        await expect_failure(app, pilot, code, message="get a new code")
    posts = [r for r in sandbox.sandbox.request_log if r["path"] == "/oauth/token"]
    assert len(posts) == 1, "the exchange must never be retried"


def token_posts(sandbox) -> list[dict]:
    """Every request that reached the token endpoint."""
    return [r for r in sandbox.sandbox.request_log if r["path"] == "/oauth/token"]


def assert_nothing_saved(app, sandbox, isolated_dirs) -> None:
    """No token for the profile, and no token the sandbox issued is in credentials.toml."""
    assert app.services.store.get_token("default") is None
    creds = isolated_dirs["config"] / "credentials.toml"
    if creds.exists():
        text = creds.read_text()
        assert not [token for token in sandbox.sandbox.tokens if token in text]


async def test_token_refused_right_after_the_exchange(app_factory, sandbox, isolated_dirs):
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        code = approve(sandbox, form_of(app).authorize_url)
        # The exchange works; the one request that checks the new token is refused.
        sandbox.sandbox.inject_fault(r"^/api/\d+/(stacks|accounts)$", method="GET", status=401)
        await expect_failure(app, pilot, code, message="issued a token but then refused it (401)")
        assert "Get a new code" in status_of(app)
    assert len(token_posts(sandbox)) == 1
    checks = [r for r in sandbox.sandbox.request_log if r["path"].startswith("/api/")]
    assert [r["status"] for r in checks] == [401], "one check, not retried"
    assert sandbox.sandbox.codes[code]["used"], "the code was exchanged"
    assert_nothing_saved(app, sandbox, isolated_dirs)


@pytest.mark.parametrize(
    ("fault", "status"),
    [
        ({"status": 502}, 502),  # a gateway in front of Cloud 66
        ({"status": 500, "error": "server_error"}, 500),  # RFC 6749 server_error
    ],
    ids=["bad-gateway", "server_error"],
)
async def test_server_error_from_the_token_endpoint(
    app_factory, sandbox, isolated_dirs, fault, status
):
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        code = approve(sandbox, form_of(app).authorize_url)
        sandbox.sandbox.inject_fault("^/oauth/token$", **fault)
        await expect_failure(
            app, pilot, code, message=f"Cloud 66 had a problem finishing the login (HTTP {status})"
        )
        assert "Nothing was saved; get a new code" in status_of(app)
    assert len(token_posts(sandbox)) == 1, "the exchange must never be retried"
    assert_nothing_saved(app, sandbox, isolated_dirs)


async def test_invalid_scope_from_the_token_endpoint(app_factory, sandbox, isolated_dirs):
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        code = approve(sandbox, form_of(app).authorize_url)
        sandbox.sandbox.inject_fault("^/oauth/token$", status=400, error="invalid_scope")
        await expect_failure(
            app, pilot, code, message="Cloud 66 refused the requested permissions (scopes)"
        )
        assert "Try again with fewer scopes" in status_of(app)
    assert len(token_posts(sandbox)) == 1
    assert_nothing_saved(app, sandbox, isolated_dirs)


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"timeout": 0.5}, "was lost (ReadTimeout)"),
        ({"deadline": 0.8}, "did not finish the login within 0.8 seconds"),
    ],
    ids=["read-timeout", "deadline"],
)
async def test_timeout_during_the_exchange_is_never_retried(
    app_factory, sandbox, isolated_dirs, monkeypatch, limits, message
):
    from functools import partial

    from c66tui.api import oauth
    from c66tui.ops import login_flow

    # The real exchange with short limits (the defaults wait 20 and 30 seconds).
    monkeypatch.setattr(login_flow, "exchange_code", partial(oauth.exchange_code, **limits))
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        code = approve(sandbox, form_of(app).authorize_url)
        # Cloud 66 uses the code up, but its answer comes too late.
        sandbox.sandbox.inject_fault("^/oauth/token$", delay=2.0)
        await expect_failure(app, pilot, code, message=message)
        assert "get a new code" in status_of(app)
        await until_idle(pilot, app, sandbox)  # the late answer has come: still one request
        assert len(token_posts(sandbox)) == 1, "the exchange must never be retried"
        assert_nothing_saved(app, sandbox, isolated_dirs)
        # A new code, as the message says, logs in.
        await paste_code(app, pilot, approve(sandbox, form_of(app).authorize_url))
        assert app.current_mode == "stacks", status_of(app)
    assert len(token_posts(sandbox)) == 2


async def test_closed_port_is_a_network_error(app_factory, sandbox):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = app_factory(logged_in=False)
    app.services.profile.api_url = f"http://127.0.0.1:{port}/api/2"
    async with app.run_test() as pilot:
        await pilot.pause()
        await expect_failure(app, pilot, "0123456789abcdef", message="Could not reach Cloud 66")


async def test_html_answer_saves_nothing(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        code = approve(sandbox, form_of(app).authorize_url)
        sandbox.sandbox.inject_fault("/oauth/token", body="html_login")
        await expect_failure(app, pilot, code, message="a web page instead of a token")


@pytest.mark.parametrize(
    ("pasted", "message"),
    [
        ("   \n", "Nothing was pasted"),
        ("https://example.com/callback?state=x", "no code in it"),
        ("abc", "too short"),
        ("abc\x1b[2Jdefghijk", "control characters"),
        ("http://127.0.0.1:8080/cb?error=invalid_scope&state=x", "(invalid_scope)"),
    ],
)
async def test_bad_paste_is_explained(app_factory, sandbox, pasted, message):
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await expect_failure(app, pilot, pasted, message=message)
    assert not [r for r in sandbox.sandbox.request_log if r["path"] == "/oauth/token"]


async def test_missing_client_id_is_explained(app_factory, sandbox, monkeypatch):
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        app.screen.query_one("#client-id", Input).value = ""
        await pilot.pause()
        assert form_of(app).authorize_url == ""
        assert "client id" in str(app.screen.query_one("#authorize-url", Static).render())
        await pilot.press("ctrl+o")
        assert "no address to copy" in status_of(app)


async def test_copy_url_uses_the_clipboard(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        assert app.clipboard == form_of(app).authorize_url
        assert "copied" in status_of(app)


async def test_fixed_state_for_screenshots(app_factory, sandbox, monkeypatch):
    monkeypatch.setenv("C66TUI_TEST_OAUTH_STATE", "fixed-state-for-tests")
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert form_of(app).authorize_url.endswith("&state=fixed-state-for-tests")


async def test_enter_pressed_twice_exchanges_once(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        code = approve(sandbox, form_of(app).authorize_url)
        app.screen.query_one("#login-code", Input).post_message(events.Paste(code))
        await pilot.pause()
        await pilot.press("enter", "enter", "enter")
        await wait_for_workers(app)
        await pilot.pause()
        assert app.current_mode == "stacks"
    posts = [r for r in sandbox.sandbox.request_log if r["path"] == "/oauth/token"]
    assert len(posts) == 1
