"""``c66tui login --with-token`` names the account the token works in, as the app does:
from ``/accounts`` (the pinned account, else ``current_account``, else the first), never
from the first e-mail of ``/users``, which the API does not document to be the caller."""

from __future__ import annotations

import io
import sys

from c66tui import cli
from c66tui.config import ConfigStore, Profile
from c66tui.sandbox import Sandbox
from tests.cli.helpers import api_calls


def login(monkeypatch, capsys, token: str, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(token))
    code = cli.main(["login", "--with-token", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_first_account_is_named_and_users_is_never_asked(sandbox, monkeypatch, capsys):
    code, out, err = login(monkeypatch, capsys, Sandbox.DEMO_TOKEN, "--api-url", sandbox.api_url)
    assert code == 0, err
    assert "Logged in to profile 'default' (account of demo@example.com)." in out
    assert api_calls(sandbox, "GET", "/accounts")
    assert not api_calls(sandbox, "GET", "/users")


def test_a_pinned_account_is_the_one_named(sandbox, monkeypatch, capsys):
    store = ConfigStore()
    profile = Profile("default", api_url=sandbox.api_url, account_id=4022)
    store.update(lambda config: config.profiles.__setitem__("default", profile))
    code, out, err = login(monkeypatch, capsys, Sandbox.DEMO_TOKEN)
    assert code == 0, err
    assert "(account of ops@globex.example)" in out
    assert "demo@example.com" not in out
    assert not api_calls(sandbox, "GET", "/users")


def test_a_token_without_the_users_scope_says_the_account_is_unknown(sandbox, monkeypatch, capsys):
    token = sandbox.sandbox.mint_token(["public"], email="ops@example.com")
    code, out, err = login(monkeypatch, capsys, token, "--api-url", sandbox.api_url)
    assert code == 0, err
    assert "account unknown: the token has no 'users' scope" in out
    assert "ops@example.com" not in out
    assert api_calls(sandbox, "GET", "/stacks")
    assert ConfigStore().get_token("default").reveal() == token
