"""``redeploy-queue``: several stacks redeployed one after another by the app's queue
runner, one request each, each followed to its outcome; the queue stops at a failure."""

from __future__ import annotations

from tests.cli.helpers import api_calls, control, stack_uid
from tests.cli.test_confirm_terminal import ask


def idle_stacks(run, count: int) -> list[str]:
    stacks = run("stacks", "list", "--json").json
    names = [
        s["name"]
        for s in stacks
        if s["environment"] != "production" and not s["deploying"] and s["name"] != "tps-reports"
    ]
    assert len(names) >= count - 1, "the seed has idle stacks outside production"
    return ["tps-reports", *names[: count - 1]]


def redeploy_posts(world, name: str) -> list[dict]:
    return api_calls(world, "POST", f"/stacks/{stack_uid(world, name)}/deployments")


def test_two_stacks_in_order_one_request_each(world, run):
    first, second = idle_stacks(run, 2)
    result = run("redeploy-queue", first, second, "-y", "--json")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["operation"] == "redeploy_queue" and doc["outcome"] == "ok"
    assert [item["state"] for item in doc["stacks"]] == ["success", "success"]
    assert [item["stack"]["name"] for item in doc["stacks"]] == [first, second]
    one, two = redeploy_posts(world, first), redeploy_posts(world, second)
    assert len(one) == 1 and len(two) == 1
    assert one[0]["index"] < two[0]["index"]


def test_the_queue_stops_at_a_failed_deploy(world, run):
    first, second = idle_stacks(run, 2)
    control(world, "fail-next", {"kind": "deploy", "stack_uid": stack_uid(world, first)})
    result = run("redeploy-queue", first, second, "-y", "--json")
    assert result.code == 1, result.err
    states = [item["state"] for item in result.json["stacks"]]
    assert states == ["failed", "skipped"]
    assert len(redeploy_posts(world, first)) == 1 and redeploy_posts(world, second) == []


def test_without_a_terminal_it_needs_yes(world, run_installed):
    result = run_installed("redeploy-queue", "tps-reports", "shop-backend")
    assert result.code == 2 and "needs -y" in result.err
    assert api_calls(world, "POST") == []


def test_a_stack_named_twice_sends_nothing(world, run):
    result = run("redeploy-queue", "tps-reports", "tps-reports", "-y")
    assert result.code == 2 and "named twice" in result.err
    assert api_calls(world, "POST") == []


def test_with_production_in_the_queue_its_names_are_typed_as_in_the_app(world):
    """The command asks what the app's queue dialog asks: the production stacks' names."""
    argv = ["redeploy-queue", "tps-reports", "shop-backend"]
    code, _out, screen = ask(argv, b"production stacks' names", b"2\n")
    assert code == 2 and "did not match" in screen
    assert api_calls(world, "POST") == []
    code, out, screen = ask([*argv, "--json"], b"production stacks' names", b"shop-backend\n")
    assert code == 0, screen
    assert '"outcome": "ok"' in out
    assert len(redeploy_posts(world, "shop-backend")) == 1
