"""The three ways to finish a login in the app (Pilot, real sockets): a loopback callback
that logs in by itself, the same with its port taken (paste instead), and a pasted
redirected address whose state must be this login's."""

from __future__ import annotations

import socket
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from textual import events
from textual.widgets import Input, Static

from c66tui.sandbox import SandboxConfig
from c66tui.sandbox.oauth_clients import OOB
from c66tui.sandbox.server import SandboxServer
from c66tui.ui.screens.login import LoginForm, LoginScreen
from tests.ui.conftest import wait_for_workers
from tests.waiting import until, until_idle


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def probe() -> socket.socket:
    """A socket that binds the callback's port unless something listens there (a
    connection just closed, in TIME_WAIT, does not count)."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return sock


PORT = free_port()
CALLBACK = f"http://127.0.0.1:{PORT}/callback"


@pytest.fixture(scope="module")
def loopback_sandbox():
    config = SandboxConfig(redirect_uris=(OOB, CALLBACK))
    with SandboxServer(config=config) as server:
        yield server


@pytest.fixture
def sandbox(loopback_sandbox, monkeypatch):
    """The app_factory's sandbox: one whose client is registered with CALLBACK too."""
    monkeypatch.setenv("C66TUI_CLIENT_SECRET", "sandbox-secret")
    loopback_sandbox.sandbox.reset()
    return loopback_sandbox


def status_of(app) -> str:
    return str(app.screen.query_one("#login-status", Static).render())


def road_of(app) -> str:
    return str(app.screen.query_one("#login-road", Static).render())


async def use_callback(app, pilot, uri: str) -> LoginForm:
    form = app.screen.query_one(LoginForm)
    form.query_one("#redirect-uri", Input).value = uri
    await until(
        pilot,
        lambda: "Listening on" in road_of(app) or "in use" in road_of(app),
        what="the listener to be up or refused",
    )
    return form


async def approve(url: str, *, follow: bool, state: str | None = None) -> httpx.Response:
    """Play the browser: press Approve on the sandbox's page (optionally with another
    state), following the redirect to the callback or not."""
    parts = urlsplit(url)
    form = dict(parse_qsl(parts.query))
    if state is not None:
        form["state"] = state
    form["decision"] = "allow"
    base = f"{parts.scheme}://{parts.netloc}"
    async with httpx.AsyncClient(follow_redirects=follow, timeout=10) as http:
        return await http.post(f"{base}/oauth/authorize", data=form)


async def test_loopback_callback_logs_in_with_no_paste(app_factory, sandbox, isolated_dirs):
    app = app_factory(logged_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = await use_callback(app, pilot, CALLBACK)
        assert f"Listening on 127.0.0.1:{PORT}" in road_of(app)
        assert f"redirect_uri={CALLBACK.replace(':', '%3A').replace('/', '%2F')}" in (
            form.authorize_url
        )
        page = await approve(form.authorize_url, follow=True)
        assert page.status_code == 200 and "You can close this tab" in page.text
        await until(pilot, lambda: app.current_mode == "stacks", what=status_of(app))
        await wait_for_workers(app)
        assert app.current_mode == "stacks", status_of(app)
    saved = app.services.store.load().profiles["default"]
    assert saved.redirect_uri == CALLBACK
    token_posts = [r for r in sandbox.sandbox.request_log if r["path"] == "/oauth/token"]
    assert len(token_posts) == 1
    with probe() as sock:  # the listener is gone with the screen
        sock.bind(("127.0.0.1", PORT))
        sock.listen()


async def test_listener_closes_with_the_form(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await use_callback(app, pilot, CALLBACK)
        with pytest.raises(OSError), probe() as sock:
            sock.bind(("127.0.0.1", PORT))
            sock.listen()
        await use_callback(app, pilot, OOB)
        await until(pilot, lambda: "Paste the code" in road_of(app), what="the paste road")
        with probe() as sock:
            sock.bind(("127.0.0.1", PORT))
            sock.listen()


async def test_taken_port_falls_back_to_paste(app_factory, sandbox):
    app = app_factory(logged_in=False)
    with probe() as taken:
        taken.bind(("127.0.0.1", PORT))
        taken.listen()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            form = await use_callback(app, pilot, CALLBACK)
            assert (
                f"Port {PORT} on 127.0.0.1 is in use by another program, so c66tui cannot "
                "receive the redirect: approve, then paste the address your browser was "
                "sent to:" in road_of(app)
            )
            answer = await approve(form.authorize_url, follow=False)
            address = answer.headers["location"]
            app.screen.query_one("#login-code", Input).focus()
            app.screen.query_one("#login-code", Input).post_message(events.Paste(address))
            await pilot.pause()
            await pilot.press("enter")
            await wait_for_workers(app)
            await pilot.pause()
            assert app.current_mode == "stacks", status_of(app)


async def test_pasted_address_with_a_wrong_state_is_refused_and_its_code_kept(
    app_factory, sandbox
):
    app = app_factory(logged_in=False)
    with probe() as taken:  # the browser is "elsewhere": nothing receives it here
        taken.bind(("127.0.0.1", PORT))
        taken.listen()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            form = await use_callback(app, pilot, CALLBACK)
            answer = await approve(form.authorize_url, follow=False, state="not-this-login")
            address = answer.headers["location"]
            code_field = app.screen.query_one("#login-code", Input)
            code_field.focus()
            code_field.post_message(events.Paste(address))
            await pilot.pause()
            await pilot.press("enter")
            await wait_for_workers(app)
            await pilot.pause()
            assert isinstance(app.screen, LoginScreen)
            assert "different login attempt" in status_of(app)
            assert "was not used" in status_of(app)
            last = httpx.get(f"{sandbox.base_url}/_sandbox/oauth/last-code").json()
            assert last["used"] is False
            parts = urlsplit(address)
            query = dict(parse_qsl(parts.query))
            query["state"] = form.attempt.state
            fixed = f"{parts.scheme}://{parts.netloc}{parts.path}?{urlencode(query)}"
            code_field.post_message(events.Paste(fixed))
            await pilot.pause()
            await pilot.press("enter")
            await wait_for_workers(app)
            await pilot.pause()
            assert app.current_mode == "stacks", status_of(app)


async def test_error_redirect_to_the_listener_shows_the_servers_words(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = await use_callback(app, pilot, CALLBACK)
        query = {"error": "access_denied", "state": form.attempt.state}
        async with httpx.AsyncClient() as http:
            page = await http.get(f"{CALLBACK}?{urlencode(query)}")
        assert page.status_code == 200
        await until(pilot, lambda: "denied in the browser" in status_of(app), what="denied")
        assert isinstance(app.screen, LoginScreen)


async def test_a_stranger_at_the_listener_is_turned_away(app_factory, sandbox):
    app = app_factory(logged_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await use_callback(app, pilot, CALLBACK)
        async with httpx.AsyncClient() as http:
            wrong = await http.get(f"{CALLBACK}?code=abcdefgh123&state=forged")
            other = await http.get(f"http://127.0.0.1:{PORT}/favicon.ico")
        assert wrong.status_code == 400 and "Not this login" in wrong.text
        assert other.status_code == 404
        # The listener waits on (a worker waiting for the browser, not for the app).
        await until_idle(pilot, app, sandbox, waiting=("login-listen",))
        assert "Listening on" in road_of(app)
    assert not [r for r in sandbox.sandbox.request_log if r["path"] == "/oauth/token"]
