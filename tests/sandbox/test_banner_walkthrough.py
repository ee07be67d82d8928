"""The banner's log-in steps, run as printed with curl against a served sandbox.

A newcomer copies these commands; this proves they work as written: approve, exchange the
code, list stacks, with a client id and secret other than the defaults.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import pytest

from c66tui.sandbox import SandboxConfig
from c66tui.sandbox.server import SandboxServer, print_banner

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl on PATH")


def commands_of(banner: str) -> list[str]:
    """The shell commands of the banner (continuation lines joined), in order."""
    joined = re.sub(r"\\\n\s*", "", banner)
    return [line.strip() for line in joined.splitlines() if line.strip().startswith("curl ")]


def sh(command: str) -> str:
    result = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, timeout=30, check=True
    )
    return result.stdout


def test_banner_curl_steps_log_in_and_list_stacks():
    config = SandboxConfig(stacks=3, client_id="my-ops-app", client_secret="s3cret-value")
    with SandboxServer(config=config) as server:
        out = io.StringIO()
        print_banner(server.base_url, server.sandbox, out)
        approve, exchange, list_stacks = commands_of(out.getvalue())
        assert "my-ops-app" in approve and "s3cret-value" in exchange

        shown = sh(approve)
        code = shown.strip().removeprefix('auth-code">')
        assert re.fullmatch(r"[A-Za-z0-9_-]{16,}", code), shown

        answer = json.loads(sh(exchange.replace("CODE", code)))
        token = answer["access_token"]
        assert answer["token_type"].lower() == "bearer"

        stacks = json.loads(sh(list_stacks.replace("TOKEN", token)))
        assert stacks["count"] == 3 and len(stacks["response"]) == 3
        legacy = list_stacks.replace("TOKEN", token).replace("/api/3/", "/api/2/")
        assert json.loads(sh(legacy))["count"] == 3

        # The code is single-use: the same exchange again is refused.
        again = json.loads(sh(exchange.replace("CODE", code)))
        assert again["error"] == "invalid_grant"


def test_banner_curl_steps_with_a_registered_web_callback():
    callback = "https://ops.example.com/oauth/callback"
    config = SandboxConfig(stacks=2, redirect_uris=(callback,))
    with SandboxServer(config=config) as server:
        out = io.StringIO()
        print_banner(server.base_url, server.sandbox, out)
        banner = out.getvalue()
        assert f"OAuth callback   {callback}" in banner
        approve, exchange, _list_stacks = commands_of(banner)
        address = sh(approve).strip()
        assert address.startswith(f"{callback}?code=")
        code = re.search(r"code=([^&]+)", address).group(1)
        answer = json.loads(sh(exchange.replace("CODE", code)))
        assert answer["token_type"].lower() == "bearer"
