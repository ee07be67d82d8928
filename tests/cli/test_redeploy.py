"""``redeploy`` and ``cancel``: one POST per confirmed write, none without ``-y`` and no
terminal, and every exit code provoked through the sandbox."""

from __future__ import annotations

import uuid

from c66tui.api.secret import Secret
from c66tui.config import ConfigStore, Profile
from c66tui.ops.journal import Journal
from tests.cli.helpers import api_calls, control, stack_uid

WRITE_KEYS = {"operation", "stack", "request_id", "outcome", "message", "journal_entry"}


def redeploy_posts(world, name: str) -> list[dict]:
    return api_calls(world, "POST", f"/stacks/{stack_uid(world, name)}/deployments")


def test_no_yes_and_no_terminal_sends_nothing(world, run_installed):
    result = run_installed("redeploy", "-s", "tps-reports")
    assert result.code == 2
    assert "needs -y" in result.err and "Nothing was sent" in result.err
    assert result.out == ""
    assert api_calls(world, "POST") == []
    assert Journal().entries() == []


def test_confirmed_redeploy_sends_one_post_and_journals_it(world, run_installed):
    result = run_installed("redeploy", "-s", "tps", "-y", "--git-ref", "main", "--json")
    assert result.code == 0, result.err
    doc = result.json
    assert WRITE_KEYS <= set(doc)
    assert doc["operation"] == "redeploy" and doc["outcome"] == "ok"
    assert doc["stack"]["name"] == "tps-reports"
    assert len(redeploy_posts(world, "tps-reports")) == 1
    entry = Journal().get(doc["journal_entry"])
    assert entry is not None and entry.kind == "redeploy" and entry.outcome == "ok"
    assert entry.request_id == doc["request_id"] and uuid.UUID(doc["request_id"])
    assert entry.params["git_ref"] == "main"


def test_wait_follows_the_deploy_to_success(world, run_installed):
    result = run_installed("redeploy", "-s", "tps-reports", "-y", "--wait", "--json")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["outcome"] == "ok" and doc["deployment"]["status"] == "success"
    assert "tps-reports: success" in result.err  # progress lines on stderr, no terminal
    assert len(redeploy_posts(world, "tps-reports")) == 1


def test_listen_is_an_alias_and_a_failed_deploy_exits_1(world, run_installed):
    control(world, "fail-next", {"kind": "deploy", "stack_uid": stack_uid(world, "tps-reports")})
    result = run_installed("redeploy", "-s", "tps-reports", "-y", "--listen", "--json")
    assert result.code == 1, result.err
    assert result.json["outcome"] == "failed"
    assert result.json["deployment"]["status"] == "failed"
    assert len(redeploy_posts(world, "tps-reports")) == 1


def test_dropped_answer_exits_4_checks_and_never_resends(world, run):
    control(world, "faults", {"path": "/deployments$", "method": "POST", "drop": True})
    result = run("redeploy", "-s", "tps-reports", "-y", "--json")
    assert result.code == 4, result.err
    doc = result.json
    assert doc["outcome"] == "unknown"
    assert doc["check"] and doc["deployment"] is not None  # the check found the deploy
    assert "not sent again" in doc["message"].lower()
    assert len(redeploy_posts(world, "tps-reports")) == 1
    assert Journal().get(doc["journal_entry"]).outcome == "unknown"


def test_missing_scope_refused_by_cloud66_exits_3(world, run, monkeypatch):
    token = control(world, "tokens", {"scopes": ["public"]})["access_token"]
    monkeypatch.setenv("CLOUD66_TOKEN", token)  # its scopes are unknown until refused
    result = run("redeploy", "-s", "tps-reports", "-y", "--json")
    assert result.code == 3, result.err
    assert result.json["outcome"] == "failed"
    assert len(redeploy_posts(world, "tps-reports")) == 1  # sent once, refused (403)


def test_scope_known_missing_is_refused_before_sending(world, run, monkeypatch):
    monkeypatch.delenv("CLOUD66_TOKEN")
    monkeypatch.delenv("C66TUI_API_URL")
    store = ConfigStore()
    config = store.load()
    config.profiles["default"] = Profile("default", api_url=world.api_url)
    store.save(config)  # the token is saved for the sandbox's URL, and sent only there
    store.set_token("default", Secret(world.sandbox.DEMO_TOKEN))
    # The default login asks for public, redeploy and jobs: not admin.
    result = run("env-vars", "set", "-s", "tps-reports", "NEW=1", "-y")
    assert result.code == 3 and "admin" in result.err
    assert api_calls(world, "POST") == []


def test_read_only_refuses_every_write(world, run):
    result = run("--read-only", "redeploy", "-s", "tps-reports", "-y")
    assert result.code == 3 and "read-only" in result.err
    result = run("redeploy", "-s", "tps-reports", "-y", "--read-only")
    assert result.code == 3
    assert api_calls(world, "POST") == []


def test_revoked_token_exits_3(world, run, monkeypatch):
    monkeypatch.setenv("CLOUD66_TOKEN", "not-a-token")
    result = run("stacks", "list", "--json")
    assert result.code == 3 and result.json["error"]["exit_code"] == 3


def test_not_logged_in_exits_3(world, run, monkeypatch):
    monkeypatch.delenv("CLOUD66_TOKEN")
    result = run("stacks", "list")
    assert result.code == 3 and "not logged in" in result.err
    assert api_calls(world) == []


def test_unreachable_api_exits_5(world, run_installed):
    result = run_installed(
        "stacks", "list", "--json", env={"C66TUI_API_URL": "http://127.0.0.1:9/api/2"}
    )
    assert result.code == 5, result.err
    assert result.json["error"]["exit_code"] == 5


def test_bad_git_ref_is_a_usage_error(world, run):
    result = run("redeploy", "-s", "tps-reports", "-y", "--git-ref", "a b")
    assert result.code == 2 and api_calls(world, "POST") == []


def test_services_are_sent_with_their_refs(world, run):
    result = run(
        "redeploy", "-s", "tps-reports", "-y", "--service", "web:v2", "--service", "api", "--json"
    )
    assert result.code == 0, result.err
    entry = Journal().get(result.json["journal_entry"])
    assert entry.params["services"] == ["web:v2", "api"]


def test_cancel_stops_the_running_deploy_with_one_delete(slow_world, run):
    world = slow_world
    assert run("redeploy", "-s", "tps-reports", "-y").code == 0
    result = run("cancel", "-s", "tps-reports", "-y", "--json")
    assert result.code == 0, result.err
    assert result.json["operation"] == "cancel" and result.json["outcome"] == "ok"
    uid = stack_uid(world, "tps-reports")
    assert len(api_calls(world, "DELETE", f"/stacks/{uid}/deployments/")) == 1
    listed = run("deployments", "list", "-s", "tps-reports", "--json").json
    assert listed[0]["status"] == "cancelled"
    assert Journal().get(result.json["journal_entry"]).kind == "cancel"


def test_cancel_without_a_running_deploy_exits_1(world, run):
    result = run("cancel", "-s", "billing-api", "-y")
    assert result.code == 1 and "no running deploy" in result.err
    assert api_calls(world, "DELETE") == []


def test_cancel_needs_yes_without_a_terminal(slow_world, run_installed):
    # shop-frontend is deploying in the seed world (and stays so in the slow sandbox).
    result = run_installed("cancel", "-s", "shop-frontend")
    assert result.code == 2 and "needs -y" in result.err
    assert api_calls(slow_world, "DELETE") == []


def test_a_stack_already_deploying_is_queued_behind_with_yes(slow_world, run):
    # shop-frontend is deploying in the seed world; -y answers the "queue another?" question.
    result = run("redeploy", "-s", "shop-frontend", "-y", "--json")
    assert result.code == 0, result.err
    assert "queued" in result.json["message"]
    assert len(redeploy_posts(slow_world, "shop-frontend")) == 1


def test_an_api_that_keeps_failing_exits_5(world, run):
    control(world, "faults", {"path": "/stacks$", "method": "GET", "status": 503, "times": 20})
    result = run("stacks", "list", "--json")
    assert result.code == 5, result.err
    assert result.json["error"]["exit_code"] == 5
    assert len(api_calls(world, "GET")) > 1  # a read is retried before giving up
