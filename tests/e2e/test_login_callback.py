"""Logging in with an OAuth application registered with a loopback callback, in a real
terminal against ``c66tui sandbox --redirect-uri http://127.0.0.1:PORT/callback``.

The user's browser is played by curl: approving and following the sandbox's redirect
reaches c66tui's listener (no paste); with the port taken by another process the screen
says so and the redirected address is pasted instead; an address from another attempt
(wrong ``state``) is refused and its code is not spent.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest

from tests.e2e.sandbox_proc import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SandboxProcess,
    free_port,
)

pytestmark = pytest.mark.e2e

STATE = "e2e0state0callback0123456"
STACKS = re.compile(r"checkout-web|admin-portal-dev")
"""A stack of the seed world on screen: the list is loaded, the login is done."""
PORT = free_port()
CALLBACK = f"http://127.0.0.1:{PORT}/callback"


@pytest.fixture(scope="module")
def callback_sandbox(tmp_path_factory):
    box = SandboxProcess(
        tmp_path_factory.mktemp("sandbox-callback"),
        "--redirect-uri",
        "urn:ietf:wg:oauth:2.0:oob",
        "--redirect-uri",
        CALLBACK,
    )
    box.start()
    yield box
    box.stop()


@pytest.fixture
def start_login(launch, callback_sandbox):
    """Start c66tui logged out, with the callback as the profile's redirect URI."""
    callback_sandbox.control.reset()

    def start():
        run = launch(
            "--api-url",
            callback_sandbox.api_url,
            env={
                "C66TUI_CLIENT_ID": SANDBOX_CLIENT_ID,
                "C66TUI_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
                "C66TUI_REDIRECT_URI": CALLBACK,
                "C66TUI_TEST_OAUTH_STATE": STATE,
            },
        )
        screen = run.term.wait_for_text(f"state={STATE}", timeout=30)
        return run.term, screen

    return start


def authorize_url(screen: str) -> str:
    """The authorize URL on screen, joined back together from its wrapped lines."""
    lines = screen.splitlines()
    start = next(i for i, line in enumerate(lines) if "/oauth/authorize?" in line)
    url = lines[start].strip()
    url = url[url.index("http") :]
    for line in lines[start + 1 : start + 8]:
        if url.endswith(f"state={STATE}"):
            break
        url += line.strip()
    assert url.endswith(f"state={STATE}"), screen
    return url


def curl_approve(url: str, *, follow: bool, state: str | None = None) -> str:
    """Press Approve with curl (the form fields as a POST); return what curl printed:
    the final page when following the redirect, else the address it redirects to."""
    if state is not None:
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        query["state"] = state
        url = f"{parts.scheme}://{parts.netloc}{parts.path}?{urlencode(query)}"
    command = ["curl", "-s", "--max-time", "20", "-d", "decision=allow", url]
    if follow:
        command.insert(1, "-L")
    else:
        command[1:1] = ["-o", "/dev/null", "-w", "%{redirect_url}"]
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=True).stdout


def test_approving_with_curl_logs_in_through_the_loopback_callback(start_login):
    term, screen = start_login()
    screen = term.wait_for_text(f"Listening on 127.0.0.1:{PORT}", timeout=15)
    page = curl_approve(authorize_url(screen), follow=True)
    assert "You can close this tab" in page
    screen = term.wait_for_text(STACKS, timeout=30)
    term.press("q")
    assert term.wait_for_exit(timeout=15) == 0


def test_a_taken_port_falls_back_to_paste(start_login, callback_sandbox):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import socket,sys,time\n"
            "s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
            f"s.bind(('127.0.0.1',{PORT}));s.listen();print('ok',flush=True);time.sleep(120)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        term, screen = start_login()
        screen = term.wait_for_text("in use by another program", timeout=15)
        flat = " ".join(screen.split())
        assert (
            f"Port {PORT} on 127.0.0.1 is in use by another program, so c66tui cannot "
            "receive the redirect: approve, then paste the address" in flat
        )
        address = curl_approve(authorize_url(screen), follow=False)
        assert address.startswith(f"{CALLBACK}?code=")
        term.paste(address)
        term.press("Enter")
        term.wait_for_text(STACKS, timeout=30)
    finally:
        holder.kill()
        holder.wait()


def test_a_pasted_address_with_a_wrong_state_is_refused_and_its_code_kept(
    start_login, callback_sandbox
):
    with socket.socket() as taken:  # the browser is on another machine: nothing arrives
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        taken.bind(("127.0.0.1", PORT))
        taken.listen()
        term, screen = start_login()
        url = authorize_url(screen)
        address = curl_approve(url, follow=False, state="someone-elses-state")
        assert "state=someone-elses-state" in address
        term.paste(address)
        term.press("Enter")
        screen = term.wait_for_text("different login attempt", timeout=15)
        assert "was not used" in " ".join(screen.split())
        last = httpx.get(f"{callback_sandbox.base_url}/_sandbox/oauth/last-code").json()
        assert last["used"] is False
        assert not [
            r for r in callback_sandbox.control.requests() if r.get("path") == "/oauth/token"
        ]
        term.paste(address.replace("state=someone-elses-state", f"state={STATE}"))
        term.press("Enter")
        term.wait_for_text(STACKS, timeout=30)


def test_login_command_in_a_terminal_finishes_through_the_callback(
    launch, callback_sandbox, isolated_dirs
):
    callback_sandbox.control.reset()
    run = launch(
        "login",
        "--api-url",
        callback_sandbox.api_url,
        size=(100, 30),
        env={
            "C66TUI_CLIENT_ID": SANDBOX_CLIENT_ID,
            "C66TUI_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
            "C66TUI_REDIRECT_URI": CALLBACK,
            "C66TUI_TEST_OAUTH_STATE": STATE,
        },
    )
    screen = run.term.wait_for_text("(hidden):", timeout=30)
    assert f"Listening on 127.0.0.1:{PORT}" in " ".join(screen.split())
    url = "".join(screen.split())
    url = url[url.index("http://127.0.0.1:") : url.index(f"state={STATE}") + len(f"state={STATE}")]
    assert "You can close this tab" in curl_approve(url, follow=True)
    assert run.term.wait_for_exit(timeout=30) == 0
    saved = (isolated_dirs["config"] / "credentials.toml").read_text()
    assert "token" in saved
    assert "redirect_uri" not in (isolated_dirs["config"] / "config.toml").read_text()
