"""The README's "Scripting" section: its synopsis, exit codes and examples are what the
command line does. The examples run as written, in order, without a terminal."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from c66tui.commands import exit_codes
from tests.cli.conftest import INSTALLED

README = Path(__file__).resolve().parents[2] / "README.md"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Scripting\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def blocks(text: str) -> list[tuple[str, str]]:
    """``(language, body)`` of each fenced block."""
    return re.findall(r"```(\w*)\n(.*?)```", text, flags=re.S)


def synopsis_commands() -> list[list[str]]:
    """The command words of each synopsis line (up to the first option or argument)."""
    plain = next(body for lang, body in blocks(section()) if lang == "")
    found = []
    for line in plain.splitlines():
        words = []
        for word in line.split()[1:]:
            if not re.fullmatch(r"[a-z][a-z-]*", word):
                break
            words.append(word)
        found.append(words)
    return found


def examples() -> list[tuple[str, int]]:
    """``(command line, expected exit code)`` of the examples block."""
    examples_part = section().split("### Examples", 1)[1]
    body = next(body for lang, body in blocks(examples_part) if lang == "sh")
    lines = []
    for line in body.splitlines():
        if not line.strip():
            continue
        code = re.search(r"#\s*exit (\d)\b", line)
        lines.append((line, int(code.group(1)) if code else 0))
    return lines


def test_every_synopsis_line_is_a_command(run):
    commands = synopsis_commands()
    assert len(commands) >= 17
    for words in commands:
        result = run(*words, "--help")
        assert result.code == 0, words


def test_the_exit_code_table_matches_the_codes():
    rows = dict(re.findall(r"^\| (\d) \| (.+?) \|$", section(), flags=re.M))
    assert sorted(int(code) for code in rows) == [
        exit_codes.OK,
        exit_codes.FAILED,
        exit_codes.USAGE,
        exit_codes.AUTH,
        exit_codes.UNKNOWN,
        exit_codes.UNREACHABLE,
    ]
    assert rows["0"] == "done" and rows["4"].startswith("outcome unknown")


def test_the_examples_run_as_written(world, tmp_path):
    env = {
        **os.environ,
        "PATH": f"{INSTALLED.parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    lines = examples()
    assert len(lines) >= 10
    for line, expected in lines:
        result = subprocess.run(
            ["bash", "--norc", "--noprofile", "-o", "pipefail", "-c", line],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=tmp_path,
        )
        assert result.returncode == expected, (line, result.stdout, result.stderr)
    posts = [e for e in world.sandbox.request_log if e["method"] == "POST" and "/api/" in e["path"]]
    # One redeploy, one job run, one variable added: the refused lines sent nothing.
    assert sorted(e["path"].rsplit("/", 1)[-1] for e in posts) == [
        "deployments",
        "environments",
        "run_now",
    ]
