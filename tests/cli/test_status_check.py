"""``status --check``: ping and ping/auth over a real socket; one sentence, the state word
with ``--json``, exit 0 ok, 3 token refused or none, 5 unreachable or no ping."""

from __future__ import annotations

import socket

from tests.cli.helpers import api_calls, control


def closed_port_url() -> str:
    """An API URL on a loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/2"


def test_ok_when_reachable_and_the_token_is_accepted(world, run):
    result = run("status", "--check")
    assert result.code == 0, result.err
    assert result.out.strip() == "Cloud 66 is reachable and accepts the token."
    assert len(result.out.strip().splitlines()) == 1
    paths = [e["path"] for e in api_calls(world, "GET")]
    assert paths == ["/api/3/ping", "/api/3/ping/auth"]
    doc = run("status", "--check", "--json")
    assert doc.code == 0
    assert doc.json["state"] == "ok" and doc.json["token_accepted"] is True
    assert doc.json["api_url"] == world.api_url


def test_revoked_token_exits_3(world, run, monkeypatch):
    token = world.sandbox.mint_token(["public"])
    monkeypatch.setenv("CLOUD66_TOKEN", token)
    assert run("status", "--check").code == 0
    control(world, f"tokens/{token}", method="DELETE")
    result = run("status", "--check")
    assert result.code == 3
    assert "reachable but refused" in result.out and token not in result.out + result.err
    doc = run("status", "--check", "--json")
    assert doc.code == 3 and doc.json["state"] == "token_rejected"
    assert doc.json["reachable"] is True and doc.json["token_accepted"] is False


def test_unknown_token_exits_3(world, run, monkeypatch):
    monkeypatch.setenv("CLOUD66_TOKEN", "sbx_" + "0" * 32)
    doc = run("status", "--check", "--json")
    assert doc.code == 3 and doc.json["state"] == "token_rejected"
    assert "0" * 32 not in doc.out + doc.err


def test_unreachable_port_exits_5(world, run, monkeypatch):
    monkeypatch.setenv("C66TUI_API_URL", closed_port_url())
    result = run("status", "--check")
    assert result.code == 5
    assert len(result.out.strip().splitlines()) == 1 and result.out.strip().endswith(".")
    doc = run("status", "--check", "--json")
    assert doc.code == 5 and doc.json["state"] == "unreachable"
    assert doc.json["reachable"] is False and doc.json["token_accepted"] is None


def test_something_that_is_not_cloud66_exits_5(world, run, monkeypatch):
    monkeypatch.setenv("C66TUI_API_URL", world.base_url.rstrip("/") + "/elsewhere/api/2")
    doc = run("status", "--check", "--json")
    assert doc.code == 5 and doc.json["state"] == "api_error", doc.out
    assert api_calls(world, "GET", "/ping/auth") == []


def test_not_logged_in_exits_3_without_sending(world, run, monkeypatch):
    monkeypatch.delenv("CLOUD66_TOKEN")
    doc = run("status", "--check", "--json")
    assert doc.code == 3 and doc.json["state"] == "not_logged_in"
    assert "not logged in" in doc.json["message"].lower()
    assert api_calls(world) == []


def test_installed_command_without_terminal(world, run_installed):
    result = run_installed("status", "--check", "--json")
    assert result.code == 0, result.err
    assert result.json["state"] == "ok" and result.err == ""
