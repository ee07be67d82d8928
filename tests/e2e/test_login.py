"""Logging in with one paste, from an empty config directory, in a real terminal.

The user's side of the out-of-band flow is played over HTTP: the authorize URL is read off
the screen, the sandbox's approval form is submitted, and the code it shows is pasted into
c66tui as a terminal paste.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from tests.e2e.conftest import file_mode
from tests.e2e.sandbox_proc import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET

pytestmark = pytest.mark.e2e

STATE = "e2e0state0login0123456789"


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


@pytest.mark.parametrize("size", [(80, 24)], ids=["80x24"])
def test_login_by_paste_saves_a_private_working_token(
    launch, sandbox_process, sandbox_ctl, isolated_dirs, size
):
    config_dir = isolated_dirs["config"]
    assert not config_dir.exists() or not any(config_dir.iterdir())
    run = launch(
        "--api-url",
        sandbox_process.api_url,
        size=size,
        flavour="xterm",
        env={
            "C66TUI_CLIENT_ID": SANDBOX_CLIENT_ID,
            "C66TUI_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
            "C66TUI_TEST_OAUTH_STATE": STATE,
        },
    )
    term = run.term
    screen = term.wait_for_text(f"state={STATE}", timeout=30)
    assert "Paste the code Cloud 66 shows" in screen

    code = sandbox_ctl.approve(authorize_url(screen))
    term.paste(code)
    term.press("Enter")
    screen = term.wait_for_text(re.compile(r"checkout-web|admin-portal-dev"), timeout=30)
    assert re.search(r"\b[1-9]\d* stacks\b", screen), screen

    creds_path = config_dir / "credentials.toml"
    assert file_mode(creds_path) == 0o600
    saved = tomllib.loads(creds_path.read_text())
    tokens = [
        value
        for table in saved.values()
        if isinstance(table, dict)
        for sub in ([table] + [v for v in table.values() if isinstance(v, dict)])
        for key, value in sub.items()
        if key in ("token", "access_token")
    ]
    assert len(tokens) == 1, saved.keys()
    token = tokens[0]
    assert sandbox_ctl.stacks(token), "the saved token lists stacks"
    shown = term.screen()
    assert token not in shown and code not in shown
    assert token not in (config_dir / "config.toml").read_text()

    term.press("q")
    assert term.wait_for_exit(timeout=15) == 0


def test_an_unbracketed_paste_starting_with_a_tab_still_logs_in(
    launch, sandbox_process, sandbox_ctl, isolated_dirs
):
    run = launch(
        "--api-url",
        sandbox_process.api_url,
        env={
            "C66TUI_CLIENT_ID": SANDBOX_CLIENT_ID,
            "C66TUI_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
            "C66TUI_TEST_OAUTH_STATE": STATE,
        },
    )
    term = run.term
    screen = term.wait_for_text(f"state={STATE}", timeout=30)
    code = sandbox_ctl.approve(authorize_url(screen))
    term.type(f"\t{code}")  # raw keys, as a terminal without bracketed paste sends them
    term.press("Enter")
    screen = term.wait_for_text(re.compile(r"checkout-web|admin-portal-dev"), timeout=30)
    assert code not in screen
