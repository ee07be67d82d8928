"""``settings list|set --server NAME``: one server's settings, as the Settings screen's
server tab shows and changes them (same journalled write, one request per change)."""

from __future__ import annotations

from c66tui.ops.journal import Journal
from tests.cli.helpers import api_calls, stack_uid


def first_server(run, stack: str) -> dict:
    servers = run("stacks", "show", "-s", stack, "--json").json["servers"]
    assert servers, "the seed gives this stack servers"
    return servers[0]


def test_list_and_set_a_server_setting(world, run):
    server = first_server(run, "tps-reports")
    listed = run("settings", "list", "-s", "tps-reports", "--server", server["name"], "--json")
    assert listed.code == 0, listed.err
    writable = [s for s in listed.json if not s["readonly"] and isinstance(s["value"], str)]
    assert writable, listed.json
    key = writable[0]["key"]
    result = run(
        "settings", "set", "-s", "tps-reports", "--server", server["uid"], key, "new value",
        "-y", "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    doc = result.json
    assert (doc["outcome"], doc["key"], doc["server"]) == ("ok", key, server["name"])
    assert Journal().get(doc["journal_entry"]).params["server"] == server["name"]
    uid = stack_uid(world, "tps-reports")
    sent = api_calls(world, "PUT", f"/stacks/{uid}/servers/{server['uid']}/settings/")
    assert len(sent) == 1
    again = run("settings", "list", "-s", "tps-reports", "--server", server["uid"], key, "--json")
    assert again.code == 0, again.err
    assert again.json[0]["value"] == "new value"


def test_an_unknown_server_is_a_usage_error_and_sends_nothing(world, run):
    result = run("settings", "set", "-s", "tps-reports", "--server", "nope", "k", "v", "-y")
    assert result.code == 2 and "no server matches" in result.err
    assert api_calls(world, "PUT") == []
