"""``c66tui lease`` and the refusals of ``c66tui ssh``, against the loopback sandbox.

Exit codes: 0 done, 1 failed, 2 usage or a name that does not resolve, 3 not logged in or
a scope missing, 4 outcome unknown, 5 unreachable. Refusals send nothing.
"""

from __future__ import annotations

import json

import pytest

from c66tui import cli
from c66tui.ops import server_access
from c66tui.ops.journal import Journal
from c66tui.sandbox.seed import HISTORY_STACK


@pytest.fixture
def logged_in(sandbox, monkeypatch):
    """Point the command line at the sandbox with a token of ``scopes`` (all by default)."""

    def use(scopes=("public", "redeploy", "jobs", "admin", "users"), url=None):
        token = sandbox.sandbox.mint_token(list(scopes))
        monkeypatch.setenv("CLOUD66_TOKEN", token)
        monkeypatch.setenv("C66TUI_API_URL", url or sandbox.api2_url)
        return token

    return use


def run(argv, capsys) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def posts(sandbox, fragment: str) -> list[dict]:
    log = sandbox.sandbox.request_log
    return [e for e in log if e["method"] == "POST" and fragment in e["path"]]


@pytest.mark.parametrize("version", ["2", "3"])
def test_lease_opens_the_firewall_and_is_journalled(sandbox, logged_in, capsys, version):
    logged_in(url=sandbox.api2_url if version == "2" else sandbox.api3_url)
    code, out, err = run(["lease", "-s", HISTORY_STACK, "-p", "2222", "-t", "5", "--json"], capsys)
    assert code == 0, err
    summary = json.loads(out)
    assert summary["stack"] == HISTORY_STACK and summary["lease"]["outcome"] == "ok"
    assert "allowed to connect" in summary["lease"]["message"]
    fragment = "/lease" if version == "2" else "/firewalls"
    [post] = posts(sandbox, fragment)
    assert post["params"]["port"] == 2222
    [entry] = Journal().entries()
    assert (entry.kind, entry.outcome, entry.params["minutes"]) == ("lease", "ok", 5)


def test_lease_with_a_given_address(sandbox, logged_in, capsys):
    logged_in()
    code, _out, err = run(["lease", "-s", HISTORY_STACK, "-f", "198.51.100.4"], capsys)
    assert code == 0 and "198.51.100.4 is allowed" in err
    assert posts(sandbox, "/lease")[0]["params"]["ip_address"] == "198.51.100.4"


def test_lease_refused_exits_1_and_unknown_exits_4(sandbox, logged_in, capsys):
    logged_in()
    stack = sandbox.sandbox.find_stack(HISTORY_STACK)
    sandbox.sandbox.fail_next("action", stack.uid, "locked")
    assert run(["lease", "-s", HISTORY_STACK], capsys)[0] == 1
    sandbox.sandbox.inject_fault(r"/lease$", method="POST", drop=True, times=1)
    code, _out, err = run(["lease", "-s", HISTORY_STACK], capsys)
    assert code == 4 and "unknown" in err
    assert len(posts(sandbox, "/lease")) == 2, "each lease sent exactly once"


def test_usage_scope_and_login_problems(sandbox, logged_in, capsys, monkeypatch):
    assert run(["lease", "-s", HISTORY_STACK, "-t", "999"], capsys)[0] == 2
    code, _out, err = run(["lease", "-s", HISTORY_STACK], capsys)
    assert code == 3 and "not logged in" in err
    logged_in(scopes=("public",))
    code, _out, err = run(["lease", "-s", HISTORY_STACK], capsys)
    assert code == 3 and "'admin' scope" in err
    world = sandbox.sandbox
    server = world.details(world.find_stack(HISTORY_STACK)).servers[0].name
    fingerprint = "SHA256:" + "A" * 43
    argv = ["ssh", "-s", HISTORY_STACK, "--yes", "--host-key", fingerprint, server]
    code, _out, err = run(argv, capsys)
    assert code == 3 and "'admin' scope" in err
    logged_in()
    code, _out, err = run(["lease", "-s", "no-such-stack"], capsys)
    assert code == 2 and "no stack" in err
    code, _out, err = run(["ssh", "-s", HISTORY_STACK, "--yes", "zebra", "--", "true"], capsys)
    assert code == 2 and "no server" in err
    code, _out, err = run(["ssh", "-s", HISTORY_STACK, "--yes", "--", "-oProxyCommand=x"], capsys)
    assert code == 2 and "must not start with '-'" in err
    # Only the two refused by the server (a token from CLOUD66_TOKEN has unknown scopes).
    assert [p["status"] for p in posts(sandbox, "/lease")] == [403, 403]
    assert not [e for e in sandbox.sandbox.request_log if "ssh_private_key" in e["path"]]


def test_read_only_and_missing_ssh_send_nothing(sandbox, logged_in, capsys, monkeypatch):
    logged_in()
    code, _out, err = run(["--read-only", "lease", "-s", HISTORY_STACK], capsys)
    assert code == 1 and "read-only" in err
    monkeypatch.setattr(server_access, "ssh_binary", lambda: None)
    code, _out, err = run(["ssh", "-s", HISTORY_STACK, "--yes"], capsys)
    assert code == 1 and "no ssh program" in err
    assert posts(sandbox, "/lease") == []


def test_unreachable_api_exits_5(logged_in, capsys, monkeypatch):
    logged_in()
    monkeypatch.setenv("C66TUI_API_URL", "http://127.0.0.1:9/api/2")
    code, _out, err = run(["lease", "-s", HISTORY_STACK], capsys)
    assert code == 5, err
