"""``maintenance on|off``: the settings tab's toggle as a command. One request per
confirmed change, journalled first; a production stack wants its name typed on a
terminal; without a terminal nothing is sent unless ``-y``."""

from __future__ import annotations

from c66tui.ops.journal import Journal
from tests.cli.helpers import api_calls, stack_uid
from tests.cli.test_confirm_terminal import ask


def maintenance_posts(world, name: str) -> list[dict]:
    return api_calls(world, "POST", f"/stacks/{stack_uid(world, name)}/actions")


def test_on_then_off_each_sent_once_and_journalled(world, run):
    result = run("maintenance", "on", "-s", "tps-reports", "-y", "--json")
    assert result.code == 0, result.err
    doc = result.json
    assert (doc["operation"], doc["outcome"], doc["maintenance"]) == ("maintenance", "ok", True)
    entry = Journal().get(doc["journal_entry"])
    assert entry.kind == "maintenance" and entry.request_id == doc["request_id"]
    assert len(maintenance_posts(world, "tps-reports")) == 1
    shown = run("stacks", "show", "-s", "tps-reports", "--json").json
    assert shown["maintenance"] is True
    assert any(a["action"] == "maintenance_mode" for a in shown["actions"])
    result = run("maintenance", "off", "-s", "tps-reports", "-y")
    assert result.code == 0, result.err
    assert "maintenance" in result.out
    assert len(maintenance_posts(world, "tps-reports")) == 2
    listed = {s["name"]: s for s in run("stacks", "list", "--json").json}
    assert listed["tps-reports"]["maintenance"] is False


def test_without_a_terminal_it_needs_yes(world, run_installed):
    result = run_installed("maintenance", "on", "-s", "tps-reports")
    assert result.code == 2 and "needs -y" in result.err
    assert api_calls(world, "POST") == []


def test_a_read_only_run_sends_nothing(world, run):
    result = run("maintenance", "on", "-s", "tps-reports", "-y", "--read-only")
    assert result.code == 3, result.err
    assert api_calls(world, "POST") == []


def test_production_wants_its_name_typed(world):
    code, _out, screen = ask(
        ["maintenance", "on", "-s", "shop-backend"], b"Type its name", b"shop\n"
    )
    assert code == 2 and "did not match" in screen
    assert api_calls(world, "POST") == []
    code, _out, screen = ask(
        ["maintenance", "on", "-s", "shop-backend"], b"Type its name", b"shop-backend\n"
    )
    assert code == 0, screen
    assert "off -> on" in screen
    assert len(maintenance_posts(world, "shop-backend")) == 1


def test_a_legacy_base_uses_the_legacy_maintenance_request(world, run, monkeypatch):
    monkeypatch.setenv("C66TUI_API_URL", world.base_url.rstrip("/") + "/api/2")
    result = run("maintenance", "on", "-s", "tps-reports", "-y", "--json")
    assert result.code == 0, result.err
    assert result.json["outcome"] == "ok"
    uid = stack_uid(world, "tps-reports")
    legacy = [e for e in api_calls(world, "POST") if e["path"].startswith("/api/2/")]
    assert [e["path"] for e in legacy] == [f"/api/2/stacks/{uid}/maintenance_mode"]
