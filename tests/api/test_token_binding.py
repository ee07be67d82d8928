"""A token belongs to the API URL it was issued for.

Logging in against another URL than the profile's saves that URL in the profile; a saved
token is not sent to another host; the stack cache is kept per profile and API URL; and
``c66tui status`` says which generation the profile speaks and where requests go.
"""

from __future__ import annotations

import io
import sys

from c66tui import cli
from c66tui.api.secret import Secret
from c66tui.config import ConfigStore, Profile, load_settings
from c66tui.ops.cache import StackCache
from c66tui.sandbox import Sandbox


def run(argv, capsys) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_login_against_another_url_saves_it_in_the_profile(sandbox, monkeypatch, capsys):
    store = ConfigStore()
    store.update(lambda c: c.profiles.__setitem__("default", Profile("default")))
    assert store.load().profiles["default"].api_url == "https://app.cloud66.com/api/3"
    monkeypatch.setattr(sys, "stdin", io.StringIO(Sandbox.DEMO_TOKEN))
    monkeypatch.setenv("C66TUI_API_URL", sandbox.api_url)
    code, _, err = run(["login", "--with-token"], capsys)
    assert code == 0, err
    assert store.load().profiles["default"].api_url == sandbox.api_url
    assert sandbox.api_url in err and "now uses" in err
    assert store.get_token("default") == Secret(Sandbox.DEMO_TOKEN)


def test_a_saved_token_is_not_sent_to_another_host():
    store = ConfigStore()
    store.update(lambda c: c.profiles.__setitem__("default", Profile("default")))
    store.set_token("default", Secret("saved-token-value"))
    same = load_settings(None, environ={"C66TUI_API_URL": "https://app.cloud66.com/api/2"})
    assert same.token == Secret("saved-token-value")  # same host, the other generation
    other = load_settings(None, environ={"C66TUI_API_URL": "http://127.0.0.1:9/api/3"})
    assert other.token is None and other.token_source is None
    (warning,) = [w for w in other.warnings if "not sent" in w]
    assert "https://app.cloud66.com/api/3" in warning and "saved-token-value" not in warning
    # A token from the environment is the user's explicit choice for this run.
    explicit = load_settings(
        None, environ={"C66TUI_API_URL": "http://127.0.0.1:9/api/3", "CLOUD66_TOKEN": "t"}
    )
    assert explicit.token == Secret("t")


def test_stack_cache_is_kept_per_profile_and_api_url(tmp_path):
    cache = StackCache(tmp_path)
    cache.save("default", [{"uid": "sandbox-stack"}], "http://127.0.0.1:8066/api/3")
    assert cache.load("default", "https://app.cloud66.com/api/3") == ([], None)
    stacks, saved_at = cache.load("default", "http://127.0.0.1:8066/api/3")
    assert stacks == [{"uid": "sandbox-stack"}] and saved_at is not None


def test_status_says_where_each_group_of_requests_goes(capsys, monkeypatch):
    ConfigStore().update(lambda c: c.profiles.__setitem__("default", Profile("default")))
    code, out, _ = run(["status"], capsys)
    assert code == 0
    assert "API generation:    v3 (https://app.cloud66.com/api/3)" in out
    assert "environment variables: https://app.cloud66.com/api/3 (v3)" in out
    monkeypatch.setenv("C66TUI_API_URL", "https://app.cloud66.com/api/2")
    code, out, _ = run(["status"], capsys)
    assert "API generation:    legacy v2 (https://app.cloud66.com/api/2)" in out
    lines = {line.split(":", 1)[0].strip(): line for line in out.splitlines()}
    assert "/api/2 (legacy v2)" in lines["stack settings"]
    assert "/api/2 (legacy v2)" in lines["redeploy, restart, maintenance"]
    assert "/api/3 (v3)" in lines["redeploy, restart, maintenance"]  # with a ref
    for group in ("deployments and actions", "environment variables", "jobs"):
        assert lines[group].endswith("https://app.cloud66.com/api/3 (v3)"), lines[group]


def test_login_works_on_a_legacy_api_2_base(sandbox, monkeypatch, capsys):
    """The token check's GET /users is v3-only: on /api/2 it goes to the /api/3 sibling."""
    sandbox.sandbox.clear_log()
    monkeypatch.setattr(sys, "stdin", io.StringIO(Sandbox.DEMO_TOKEN))
    code, _, err = run(["--api-url", sandbox.api2_url, "login", "--with-token"], capsys)
    assert code == 0, err
    assert ConfigStore().load().profiles["default"].api_url == sandbox.api2_url
    paths = [entry["path"] for entry in sandbox.sandbox.request_log]
    assert paths and not [p for p in paths if p.startswith("/api/2/users")], paths
