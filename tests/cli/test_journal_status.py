"""``journal --json|--pending`` and ``status --json`` (no network), and the exit codes in
``--help``."""

from __future__ import annotations

import uuid

from c66tui.ops.journal import Journal
from tests.cli.helpers import control

EXIT_LINES = (
    "0 done",
    "1 the operation ran and failed",
    "2 usage error, confirmation refused or name not resolved",
    "3 not logged in, token refused, scope missing",
    "4 outcome unknown",
    "5 the API could not be reached or kept failing",
)


def test_journal_json_lists_writes_with_their_outcomes(world, run):
    control(world, "faults", {"path": "/deployments$", "method": "POST", "drop": True})
    assert run("redeploy", "-s", "tps-reports", "-y").code == 4
    assert run("redeploy", "-s", "billing-api", "-y").code == 0
    entries = run("journal", "--json")
    assert entries.code == 0
    by_stack = {e["stack_name"]: e for e in entries.json}
    assert by_stack["tps-reports"]["outcome"] == "unknown"
    assert by_stack["billing-api"]["outcome"] == "ok"
    for entry in entries.json:
        assert entry["kind"] == "redeploy" and entry["pending"] is False
        assert uuid.UUID(entry["request_id"]) and entry["started_at"].endswith("+00:00")


def test_journal_pending_keeps_entries_without_an_outcome(run):
    journal = Journal()
    done = journal.begin("redeploy", "default", "u1", "one", request_id=str(uuid.uuid4()))
    journal.complete(done, "ok", "fine")
    open_id = journal.begin("job_run", "default", "u2", "two", {"job_uid": "j"})
    pending = run("journal", "--pending", "--json")
    assert pending.code == 0
    assert [(e["id"], e["outcome"], e["pending"]) for e in pending.json] == [(open_id, None, True)]
    text = run("journal", "--pending")
    assert "pending" in text.out and "two" in text.out and "one" not in text.out


def test_journal_text_when_empty(run):
    result = run("journal")
    assert result.code == 0 and result.out.startswith("No actions recorded")
    assert run("journal", "--json").json == []


def test_status_json_without_network(run, monkeypatch):
    monkeypatch.setenv("CLOUD66_TOKEN", "token-value-never-printed")
    monkeypatch.setenv("C66TUI_API_URL", "http://127.0.0.1:9/api/2")
    result = run("status", "--json")
    assert result.code == 0
    doc = result.json
    assert doc["logged_in"] is True and doc["token_source"] == "env"
    assert doc["api_url"] == "http://127.0.0.1:9/api/2" and doc["api_url_source"] == "env"
    assert doc["profile"] == "default" and doc["pending_actions"] == 0
    assert "token-value-never-printed" not in result.out + result.err
    text = run("status")
    assert "Profile:" in text.out and "never-printed" not in text.out


def test_status_without_a_config_file_names_the_defaults(run):
    doc = run("status", "--json").json
    assert doc["profile_source"] == "default" and doc["api_url_source"] == "default"
    text = run("status").out
    assert "default (default)" in text and "(file)" not in text
    assert "https://app.cloud66.com/api/3 (default)" in text


def test_exit_codes_are_listed_in_every_help(run):
    for argv in (["--help"], ["redeploy", "--help"], ["jobs", "run", "--help"]):
        result = run(*argv)
        assert result.code == 0
        flat = " ".join(result.out.split())
        for line in EXIT_LINES:
            assert line in flat, (argv, line)


def test_cx_names_and_flags_are_accepted(run):
    help_text = run("redeploy", "--help").out
    for flag in ("-s STACK", "-e ENV", "--git-ref REF", "--service NAME[:REF]", "--listen", "-y"):
        assert flag in help_text, flag
    for argv in (["env-vars", "set", "--help"], ["settings", "set", "--help"]):
        assert run(*argv).code == 0
    assert "--apply-strategy" in run("env-vars", "set", "--help").out
