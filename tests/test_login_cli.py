"""``c66tui login`` without a terminal: the URL on standard output, the code or the
redirected address from standard input, or the loopback callback, against a sandbox on
a real socket."""

from __future__ import annotations

import io
import os
import socket
import threading
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from c66tui.config import ConfigStore, Profile
from c66tui.ops.login_cli import run_code_login
from c66tui.sandbox import SandboxConfig
from c66tui.sandbox.oauth_clients import OOB
from c66tui.sandbox.server import SandboxServer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


CALLBACK = f"http://127.0.0.1:{free_port()}/callback"


@pytest.fixture(scope="module")
def server():
    with SandboxServer(config=SandboxConfig(stacks=3, redirect_uris=(OOB, CALLBACK))) as srv:
        yield srv


@pytest.fixture
def setup(server, isolated_dirs, monkeypatch):
    server.sandbox.reset()
    monkeypatch.setenv("C66TUI_CLIENT_SECRET", "sandbox-secret")
    monkeypatch.delenv("C66TUI_CLIENT_ID", raising=False)
    store = ConfigStore(isolated_dirs["config"])

    def profile(redirect_uri: str = "") -> Profile:
        return Profile(
            "default",
            api_url=server.api_url,
            client_id="c66tui-sandbox",
            scopes=("public", "redeploy"),
            redirect_uri=redirect_uri,
        )

    return store, profile


class Browser(io.StringIO):
    """Standard output that plays the user: when the URL is printed, it approves it and
    either types the answer into standard input or lets the browser follow the redirect."""

    def __init__(self, base_url: str, answer) -> None:
        super().__init__()
        self.base_url = base_url
        self.answer = answer
        self.read_fd, self.write_fd = os.pipe()
        self.stdin = os.fdopen(self.read_fd, "r")
        self.thread: threading.Thread | None = None

    def write(self, text: str) -> int:
        if "/oauth/authorize?" in text and self.thread is None:
            self.thread = threading.Thread(target=self._approve, args=(text.strip(),))
            self.thread.start()
        return super().write(text)

    def _approve(self, url: str) -> None:
        form = dict(parse_qsl(urlsplit(url).query))
        typed = self.answer(form, self)
        with os.fdopen(self.write_fd, "w") as pipe:
            if typed is not None:
                pipe.write(typed + "\n")

    def approve(self, form: dict, *, follow: bool) -> httpx.Response:
        data = {**form, "decision": "allow"}
        return httpx.post(f"{self.base_url}/oauth/authorize", data=data, follow_redirects=follow)


def run(store, profile, browser: Browser) -> tuple[int, str]:
    err = io.StringIO()
    code = run_code_login(store, profile, stdin=browser.stdin, out=browser, err=err)
    if browser.thread is not None:
        browser.thread.join(10)
    browser.stdin.close()
    return code, browser.getvalue() + err.getvalue()


def test_out_of_band_code_from_standard_input(server, setup):
    store, profile = setup

    def paste_code(form, browser):
        browser.approve(form, follow=False)
        return httpx.get(f"{server.base_url}/_sandbox/oauth/last-code").json()["code"]

    browser = Browser(server.base_url, paste_code)
    code, said = run(store, profile(), browser)
    assert code == 0, said
    assert browser.getvalue().splitlines()[0].startswith(f"{server.base_url}/oauth/authorize?")
    assert "Logged in to profile 'default'" in said
    token = store.get_token("default").reveal()
    assert token in server.sandbox.tokens and token not in said


def test_loopback_callback_finishes_without_standard_input(server, setup):
    store, profile = setup

    def follow_redirect(form, browser):
        page = browser.approve(form, follow=True)
        assert "You can close this tab" in page.text
        return None  # standard input is closed with nothing on it

    code, said = run(store, profile(CALLBACK), Browser(server.base_url, follow_redirect))
    assert code == 0, said
    assert "Listening on" in said
    assert store.load().profiles["default"].redirect_uri == CALLBACK


def test_redirected_address_with_a_wrong_state_is_refused_and_its_code_kept(server, setup):
    store, profile = setup
    taken = socket.socket()
    taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    taken.bind(("127.0.0.1", int(urlsplit(CALLBACK).port)))
    taken.listen()

    def paste_forged(form, browser):
        answer = browser.approve({**form, "state": "forged"}, follow=False)
        return answer.headers["location"]

    with taken:
        code, said = run(store, profile(CALLBACK), Browser(server.base_url, paste_forged))
    assert code == 1
    assert "in use by another program" in said
    assert "different login attempt" in said
    assert httpx.get(f"{server.base_url}/_sandbox/oauth/last-code").json()["used"] is False
    assert store.get_token("default") is None


def test_missing_client_secret_is_a_usage_error(server, setup, monkeypatch):
    store, profile = setup
    monkeypatch.delenv("C66TUI_CLIENT_SECRET")
    err = io.StringIO()
    assert run_code_login(store, profile(), stdin=io.StringIO(), out=io.StringIO(), err=err) == 2
    assert "C66TUI_CLIENT_SECRET" in err.getvalue()


def test_empty_standard_input_is_a_usage_error(server, setup):
    store, profile = setup
    out, err = io.StringIO(), io.StringIO()
    assert run_code_login(store, profile(), stdin=io.StringIO(""), out=out, err=err) == 2
    assert "no code on standard input" in err.getvalue()
    assert "/oauth/authorize?" in out.getvalue()
