"""``settings list|set`` and ``env-vars list|set|unset``: values byte for byte, masked
passwords, one request per confirmed change, never a value in the journal."""

from __future__ import annotations

from c66tui.config import paths
from c66tui.ops.journal import Journal
from tests.cli.helpers import api_calls, control, stack_uid

ODD_VALUE = 'rel/ß✓ "quoted"  two  spaces'


def test_settings_list_json_and_keys(world, run):
    result = run("settings", "list", "-s", "tps-reports", "--json")
    assert result.code == 0, result.err
    keys = {s["key"]: s for s in result.json}
    assert keys["stack.name"]["readonly"] is True and keys["git.branch"]["value"] == "develop"
    picked = run("settings", "list", "-s", "tps-reports", "git.branch", "--json").json
    assert [s["key"] for s in picked] == ["git.branch"]
    assert run("settings", "list", "-s", "tps-reports", "no.such").code == 2


def test_settings_set_sends_the_value_byte_for_byte_once(world, run):
    result = run("settings", "set", "-s", "tps-reports", "asset.prefix", ODD_VALUE, "-y", "--json")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["operation"] == "setting_set" and doc["outcome"] == "ok"
    assert doc["request_id"] and Journal().get(doc["journal_entry"]).request_id == doc["request_id"]
    uid = stack_uid(world, "tps-reports")
    assert len(api_calls(world, "PUT", f"/stacks/{uid}/settings/")) == 1
    listed = run("settings", "list", "-s", "tps-reports", "asset.prefix", "--json").json
    assert listed[0]["value"] == ODD_VALUE


def test_read_only_setting_is_refused_before_sending(world, run):
    result = run("settings", "set", "-s", "tps-reports", "stack.name", "x", "-y")
    assert result.code == 2 and "read-only" in result.err
    assert api_calls(world, "PUT") == []


def test_settings_set_needs_yes_without_terminal(world, run_installed):
    result = run_installed("settings", "set", "-s", "tps-reports", "git.branch", "x")
    assert result.code == 2 and api_calls(world, "PUT") == []


def test_failed_action_exits_1(world, run):
    control(world, "fail-next", {"kind": "action", "stack_uid": stack_uid(world, "tps-reports")})
    result = run("settings", "set", "-s", "tps-reports", "git.branch", "x", "-y", "--json")
    assert result.code == 1 and result.json["outcome"] == "failed"


def test_env_list_masks_passwords_unless_revealed(world, run):
    revealed = run("env-vars", "list", "-s", "shop-backend", "--reveal", "--json").json
    passwords = [v for v in revealed if v["password"]]
    assert passwords, "the seed has password variables on this stack"
    secret = passwords[0]
    assert secret["masked"] is False and secret["value"]
    masked = {v["key"]: v for v in run("env-vars", "list", "-s", "shop-backend", "--json").json}
    assert masked[secret["key"]]["masked"] is True and masked[secret["key"]]["value"] is None
    text = run("env-vars", "list", "-s", "shop-backend")
    assert text.code == 0 and "********" in text.out
    assert all(str(v["value"]) not in text.out for v in passwords)
    one = run("env-vars", "list", "-s", "shop-backend", secret["key"], "--reveal", "--json")
    assert one.json == [secret]


def test_env_set_add_change_unset_each_once(world, run, run_installed):
    uid = stack_uid(world, "tps-reports")
    added = run("env-vars", "set", "-s", "tps-reports", f"NEW_KEY={ODD_VALUE}", "-y", "--json")
    assert added.code == 0, added.err
    assert added.json["change"] == "add"
    changed = run_installed(
        "env-vars", "set", "-s", "tps-reports", "NEW_KEY", "-y", "--json",
        "--apply-strategy", "deployment", input="from-stdin\n",
    )  # fmt: skip
    assert changed.code == 0, changed.err
    assert changed.json["change"] == "edit"
    listed = run("env-vars", "list", "-s", "tps-reports", "NEW_KEY", "--json").json
    assert listed[0]["value"] == "from-stdin"
    removed = run("env-vars", "unset", "-s", "tps-reports", "NEW_KEY", "-y", "--json")
    assert removed.code == 0 and removed.json["operation"] == "env_var_unset"
    assert len(api_calls(world, "POST", f"/stacks/{uid}/environments")) == 1
    assert len(api_calls(world, "PUT", f"/stacks/{uid}/environments/")) == 1
    assert len(api_calls(world, "DELETE", f"/stacks/{uid}/environments/")) == 1
    journal_text = paths.journal_file().read_text()
    assert ODD_VALUE not in journal_text and "from-stdin" not in journal_text


def test_env_unset_unknown_key_exits_2(world, run):
    result = run("env-vars", "unset", "-s", "tps-reports", "NOPE", "-y")
    assert result.code == 2 and api_calls(world, "DELETE") == []


def test_generated_variable_can_be_changed_but_not_deleted(world, run):
    # help-api: a variable can be updated unless it is readonly (a generated password can
    # be rotated), and deleted unless it is readonly or generated.
    result = run("env-vars", "unset", "-s", "tps-reports", "RAILS_ENV", "-y")
    assert result.code == 2 and "generated" in result.err
    assert api_calls(world, "DELETE") == []
    result = run("env-vars", "set", "-s", "tps-reports", "RAILS_ENV=x", "-y")
    assert result.code == 0, result.err
    assert len(api_calls(world, "PUT")) == 1


def test_read_only_variable_cannot_be_changed(world, run):
    result = run("env-vars", "set", "-s", "tps-reports", "STACK_PATH=/x", "-y")
    assert result.code == 2 and "read-only" in result.err
    assert api_calls(world, "PUT") == []


def test_a_change_refused_for_a_scope_exits_3(world, run, monkeypatch):
    token = control(world, "tokens", {"scopes": ["public", "redeploy"]})["access_token"]
    monkeypatch.setenv("CLOUD66_TOKEN", token)  # its scopes are unknown until refused
    result = run("settings", "set", "-s", "tps-reports", "git.branch", "x", "-y", "--json")
    assert result.code == 3, result.err
    # Listing the settings is public; the PUT was sent once and refused with a 403.
    assert len(api_calls(world, "PUT")) == 1
    assert result.json["outcome"] == "failed"
