"""``stacks list``, ``stacks show`` and ``deployments list`` against the sandbox; stack
names resolved as cx does (exact, then unique prefix, ``-e`` narrowing, ambiguity)."""

from __future__ import annotations

from datetime import datetime

from tests.cli.helpers import api_calls, stack_uid

STACK_KEYS = {"uid", "name", "environment", "status", "health", "maintenance", "last_activity"}


def test_list_json_is_every_stack_with_the_documented_keys(world, run):
    result = run("stacks", "list", "--json")
    assert result.code == 0, result.err
    stacks = result.json
    assert isinstance(stacks, list) and len(stacks) == len(world.sandbox.stacks)
    for stack in stacks:
        assert STACK_KEYS <= set(stack)
        assert isinstance(stack["maintenance"], bool)
        if stack["last_activity"] is not None:
            assert datetime.fromisoformat(stack["last_activity"]).tzinfo is not None
    by_name = {s["name"]: s for s in stacks}
    assert by_name["marketing-site"]["maintenance"] is True
    assert by_name["shop-backend"]["uid"] == stack_uid(world, "shop-backend")


def test_list_text_filters_by_name_prefix_and_environment(world, run):
    result = run("stacks", "list", "shop", "-e", "production")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split()[:3] == ["NAME", "ENVIRONMENT", "STATUS"]
    names = [line.split()[0] for line in lines[1:]]
    assert names == ["shop-backend", "shop-frontend"]


def test_list_json_prints_nothing_else_on_stdout(world, run_installed):
    result = run_installed("stacks", "list", "tps", "--json")
    assert result.code == 0, result.err
    assert [s["name"] for s in result.json] == ["tps-reports"]


def test_unique_prefix_resolves(world, run):
    result = run("deployments", "list", "-s", "tps", "--json")
    assert result.code == 0, result.err
    uid = stack_uid(world, "tps-reports")
    assert api_calls(world, "GET", f"/stacks/{uid}/deployments")
    assert all({"id", "status", "started_at"} <= set(d) for d in result.json)


def test_exact_name_wins_over_longer_names(world, run):
    # "forecast-portal" is also the prefix of "forecast-portal-staging".
    result = run("stacks", "show", "-s", "forecast-portal", "--json")
    assert result.code == 0, result.err
    assert result.json["name"] == "forecast-portal"


def test_environment_narrows_an_ambiguous_prefix(world, run):
    assert run("stacks", "show", "-s", "forecast-portal-", "--json").json["name"] == (
        "forecast-portal-staging"
    )
    result = run("stacks", "show", "-s", "forecast-p", "-e", "staging", "--json")
    assert result.code == 0 and result.json["name"] == "forecast-portal-staging"


def test_ambiguous_prefix_exits_2_listing_the_candidates(world, run):
    result = run("stacks", "show", "-s", "shop", "--json")
    assert result.code == 2
    error = result.json["error"]
    assert error["exit_code"] == 2 and error["reason"] == "ambiguous"
    assert sorted(error["candidates"]) == [
        "shop-backend (production)",
        "shop-frontend (production)",
        "shop-portal-dev (development)",
        "shop-sync-staging (staging)",
    ]
    assert "shop-backend (production)" in result.err and "-e ENV" in result.err


def test_unknown_name_exits_2(world, run):
    result = run("stacks", "show", "-s", "no-such-stack")
    assert result.code == 2 and "no stack matches 'no-such-stack'" in result.err
    assert result.out == ""


def test_uid_resolves(world, run):
    uid = stack_uid(world, "billing-api")
    assert run("stacks", "show", "-s", uid, "--json").json["name"] == "billing-api"


def test_show_has_servers_deployments_and_actions(world, run):
    result = run("stacks", "show", "-s", "shop-backend", "--json")
    assert result.code == 0, result.err
    doc = result.json
    assert STACK_KEYS <= set(doc)
    assert doc["servers"] and {"name", "address", "roles"} <= set(doc["servers"][0])
    assert 0 < len(doc["deployments"]) <= 5
    assert isinstance(doc["actions"], list)
    text = run("stacks", "show", "-s", "shop-backend")
    assert text.code == 0 and "Servers (" in text.out and "Recent deployments:" in text.out


def test_markup_in_a_name_is_printed_as_plain_text(world, run):
    result = run("stacks", "list", "legacy")
    assert "legacy [bold]api[/bold]" in result.out
    assert "\x1b" not in result.out
