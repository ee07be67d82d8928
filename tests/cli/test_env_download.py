"""``env-vars download``: the variables' text byte for byte, on standard output or in a
0600 file written atomically, never over a non-regular file, and no value anywhere else
(journal, logs, standard error)."""

from __future__ import annotations

import io
import json
import logging
import os
import stat
from urllib.parse import parse_qs

import pytest

from c66tui.commands.env_download import write_stdout
from c66tui.config import paths
from tests.cli.helpers import api_calls, stack_uid

HARD_VALUE = "line one\nline \"two\"\twith tab $HOME \\ back ß✓ 🚀 'single'"
STACK = "shop-backend"


def parse_dotenv(text: str) -> dict[str, str]:
    """A dotenv reader written for the test: ``KEY=bare`` or ``KEY="..."`` with ``\\\\``,
    ``\\"``, ``\\$``, ``\\n``, ``\\r`` and ``\\t`` escapes, one variable a line."""
    escapes = {"\\": "\\", '"': '"', "$": "$", "n": "\n", "r": "\r", "t": "\t"}
    found: dict[str, str] = {}
    assert text.endswith("\n")
    for line in text[:-1].split("\n"):
        key, sep, raw = line.partition("=")
        assert sep and key and key == key.strip(), line
        if not raw.startswith('"'):
            assert '"' not in raw and " " not in raw, line
            found[key] = raw
            continue
        assert raw.endswith('"') and len(raw) >= 2, line
        body, out, index = raw[1:-1], [], 0
        while index < len(body):
            char = body[index]
            if char == "\\":
                out.append(escapes[body[index + 1]])
                index += 2
            else:
                assert char != '"', line
                out.append(char)
                index += 1
        found[key] = "".join(out)
    return found


def revealed(run) -> dict[str, dict]:
    listed = run("env-vars", "list", "-s", STACK, "--reveal", "--json")
    assert listed.code == 0, listed.err
    return {v["key"]: v for v in listed.json}


@pytest.fixture
def hard_value(world, run):
    """A variable whose value has a newline, quotes, a tab, ``$``, ``\\`` and unicode."""
    added = run("env-vars", "set", "-s", STACK, f"HARD_ONE={HARD_VALUE}", "-y", "--json")
    assert added.code == 0, added.err
    assert revealed(run)["HARD_ONE"]["value"] == HARD_VALUE
    return HARD_VALUE


def test_dotenv_on_stdout_round_trips_every_value(hard_value, run):
    result = run("env-vars", "download", "-s", STACK)
    assert result.code == 0, result.err
    parsed = parse_dotenv(result.out)
    values = {key: var["value"] for key, var in revealed(run).items()}
    assert parsed == values
    assert parsed["HARD_ONE"] == hard_value
    assert result.err == ""


def test_json_format_and_kinds(hard_value, run, world):
    everything = revealed(run)
    result = run("env-vars", "download", "-s", STACK, "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == {k: v["value"] for k, v in everything.items()}
    user = run("env-vars", "download", "-s", STACK, "--format", "json", "--kind", "user")
    assert json.loads(user.out) == {k: v["value"] for k, v in everything.items()
                                    if not v["generated"]}  # fmt: skip
    both = run("env-vars", "download", "-s", STACK, "--kind", "locked", "--kind", "user")
    wanted = {k for k, v in everything.items() if v["readonly"] or not v["generated"]}
    assert set(parse_dotenv(both.out)) == wanted and len(wanted) < len(everything)
    calls = api_calls(world, "GET", f"/stacks/{stack_uid(world, STACK)}/environments")
    queries = [e.get("query", "") for e in calls]
    asked = [parse_qs(q).get("requested_types") for q in queries]
    assert ["locked,user"] in asked, queries


def test_json_document_carries_the_contents(hard_value, run):
    result = run("env-vars", "download", "-s", STACK, "--json")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["format"] == "dotenv" and doc["kinds"] == ["all"]
    assert doc["stack"]["name"] == STACK
    assert parse_dotenv(doc["contents"])["HARD_ONE"] == hard_value


def test_output_file_is_0600_atomic_and_exact(hard_value, run, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "prod.env"
    target.write_text("OLD=1\n")
    os.chmod(target, 0o644)
    result = run("env-vars", "download", "-s", STACK, "-o", str(target))
    assert result.code == 0, result.err
    assert result.out == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    data = target.read_bytes()
    assert parse_dotenv(data.decode("utf-8"))["HARD_ONE"] == hard_value
    assert hard_value.encode("utf-8").split(b"\n")[0] in data
    assert sorted(p.name for p in target.parent.iterdir()) == ["prod.env"]  # no temporary left
    secrets = [v["value"] for v in revealed(run).values() if v["password"]]
    assert secrets
    # Nothing of the values anywhere else: standard error, logs, the journal.
    journal = paths.journal_file()
    journal_text = journal.read_text() if journal.exists() else ""
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in [*secrets, "line one", "with tab"]:
        assert secret not in result.err and secret not in logged and secret not in journal_text
    as_json = run("env-vars", "download", "-s", STACK, "-o", str(target), "--json")
    assert as_json.code == 0 and "contents" not in as_json.json
    assert as_json.json["file"] == str(target) and as_json.json["bytes"] == len(data)


def test_never_written_over_a_non_regular_file(world, run, tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    fifo = tmp_path / "a-fifo"
    os.mkfifo(fifo)
    dangling = tmp_path / "a-link"
    dangling.symlink_to(tmp_path / "nowhere")
    for target in (folder, fifo, dangling):
        result = run("env-vars", "download", "-s", STACK, "-o", str(target))
        assert result.code == 2, (target, result.err)
        assert "not written" in result.err
    assert not (tmp_path / "nowhere").exists() and folder.is_dir() and list(folder.iterdir()) == []
    missing = run("env-vars", "download", "-s", STACK, "-o", str(tmp_path / "no" / "x.env"))
    assert missing.code == 2 and "no such folder" in missing.err
    # Refused before anything was fetched.
    assert [e for e in api_calls(world, "GET") if "environments" in e["path"]] == []


def test_link_to_a_regular_file_is_written_through(world, run, tmp_path):
    real = tmp_path / "real.env"
    real.write_text("")
    link = tmp_path / "link.env"
    link.symlink_to(real)
    result = run("env-vars", "download", "-s", STACK, "-o", str(link))
    assert result.code == 0, result.err
    assert link.is_symlink() and "STRIPE_API_KEY=" in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_installed_command_pipes_the_exact_bytes(hard_value, run_installed, run):
    result = run_installed("env-vars", "download", "-s", STACK, env={"LC_ALL": "C"})
    assert result.code == 0, result.err
    assert parse_dotenv(result.out)["HARD_ONE"] == hard_value


def test_refused_token_exits_3_without_values(world, run, monkeypatch):
    monkeypatch.setenv("CLOUD66_TOKEN", "not-a-token-the-sandbox-knows")
    result = run("env-vars", "download", "-s", STACK)
    assert result.code == 3 and result.out == ""


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_control_characters_escaped():
    terminal = FakeTerminal()
    hostile = 'EVIL="\x1b]52;c;aGk=\x07\x1b[2J"\nTAB="a\tb"\n'
    assert write_stdout(terminal, hostile) is True
    shown = terminal.getvalue()
    assert "\x1b" not in shown and "\x07" not in shown
    assert shown == 'EVIL="\\x1b]52;c;aGk=\\x07\\x1b[2J"\nTAB="a\tb"\n'
    plain = FakeTerminal()
    assert write_stdout(plain, "A=1\n") is False and plain.getvalue() == "A=1\n"
