"""End to end in a real terminal (tmux): the installed ``c66tui`` against a ``c66tui
sandbox`` process, starting from an empty config directory, logs in with one paste."""

from __future__ import annotations

import re
import stat
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from tests.e2e.conftest import launch, sandbox_ctl, sandbox_process  # noqa: F401 - fixtures
from tests.e2e.sandbox_proc import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET

pytestmark = pytest.mark.e2e

STATE = "e2e-state-0123456789"
REPO = Path(__file__).resolve().parents[2]
"""Put on PYTHONPATH so ``python -m c66tui`` works from a checkout that is not installed."""


def authorize_url_on(screen: str) -> str:
    """The wrapped authorize URL as shown on the login screen, joined back together."""
    lines = screen.splitlines()
    start = next(i for i, line in enumerate(lines) if "/oauth/authorize?" in line)
    url = lines[start].strip()
    for line in lines[start + 1 : start + 6]:
        if f"state={STATE}" in url:
            break
        url += line.strip()
    assert url.endswith(f"state={STATE}"), screen
    return url


def approve(base_url: str, url: str) -> str:
    """What the user does in a browser on another machine: approve, read the code."""
    form = dict(parse_qsl(urlsplit(url).query))
    form["decision"] = "allow"
    page = httpx.post(base_url + "/oauth/authorize", data=form, timeout=10)
    match = re.search(r"id=[\"']auth-code[\"']>([^<]+)<", page.text)
    assert match, page.text
    return match.group(1)


def test_first_login_with_one_paste(launch, sandbox_process, sandbox_ctl, isolated_dirs):  # noqa: F811
    run = launch(
        "--api-url",
        sandbox_process.api_url,
        size=(120, 40),
        env={
            "C66TUI_CLIENT_ID": SANDBOX_CLIENT_ID,
            "C66TUI_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
            "C66TUI_TEST_OAUTH_STATE": STATE,
            "PYTHONPATH": str(REPO),
        },
    )
    term = run.term
    screen = term.wait_for_text("/oauth/authorize?", timeout=30)
    code = approve(sandbox_process.base_url, authorize_url_on(screen))
    term.paste(f"  {code}\n")
    term.press("Enter")
    term.wait_for_text(re.compile(r"\d+ stacks"), timeout=30)

    creds = isolated_dirs["config"] / "credentials.toml"
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    token = re.search(r'token = "([^"]+)"', creds.read_text()).group(1)
    assert sandbox_ctl.stacks(token), "the saved token works"
    assert token not in term.screen()
    assert code not in term.screen()
    term.press("C-q")
    # The status is recorded by the pane's shell (renamed into place before the pane
    # dies), so it is never missing: quitting is a clean exit.
    assert term.wait_for_exit(timeout=15) == 0
    assert not list(isolated_dirs["state"].glob("crash-*.txt"))
