"""``c66tui completion bash|zsh|fish``: run the bash script in a real bash and ask it to
complete, with stack names from the cache; check the zsh and fish scripts with their
own shells when those are installed."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.cli.conftest import INSTALLED

BASH_DRIVER = r"""
c66tui() {{ "{installed}" "$@"; }}
eval "$("{installed}" completion bash)"
COMP_WORDS=({words})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
_c66tui_complete
printf '%s\n' "${{COMPREPLY[@]}}"
"""


def bash_complete(line: str) -> list[str]:
    """What bash completes for the command line ``line`` (the last word is completed)."""
    words = line.split(" ")
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    script = BASH_DRIVER.format(installed=INSTALLED, words=quoted)
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [item for item in result.stdout.splitlines() if item]


def test_bash_completes_commands_actions_and_options(run):
    assert {"stacks", "redeploy", "jobs", "env-vars", "completion"} <= set(bash_complete("c66tui "))
    assert bash_complete("c66tui st") == ["stacks", "status"]
    assert bash_complete("c66tui jobs ") == ["list", "run", "pause", "resume"]
    options = bash_complete("c66tui redeploy --")
    assert {"--stack", "--git-ref", "--service", "--wait", "--listen", "--yes", "--json"} <= set(
        options
    )
    assert bash_complete("c66tui env-vars set --apply-strategy ") == ["immediately", "deployment"]


def test_bash_completes_stack_names_from_the_cache(world, run):
    assert bash_complete("c66tui redeploy -s shop-") == []  # nothing cached yet
    assert run("stacks", "list").code == 0  # the list is cached for completion
    assert bash_complete("c66tui redeploy -s shop-") == [
        "shop-backend",
        "shop-frontend",
        "shop-portal-dev",
        "shop-sync-staging",
    ]
    assert "legacy [bold]api[/bold]" in bash_complete("c66tui stacks show --stack l")
    assert bash_complete("c66tui redeploy -e st") == ["staging"]


def test_unknown_shell_is_a_usage_error(run):
    result = run("completion", "tcsh")
    assert result.code == 2 and "bash,zsh,fish" in result.err


ZSH_DRIVER = r"""
compdef() {{ : }}
compadd() {{ if [[ $1 == -a ]]; then print -l -- ${{(P)2}}; else shift; print -l -- "$@"; fi }}
c66tui() {{ "{installed}" "$@"; }}
source <("{installed}" completion zsh)
words=({words}); CURRENT=${{#words}}
_c66tui
"""


def other_shell_complete(shell: str, line: str) -> list[str]:
    """What zsh (``compadd`` stubbed to print) or fish (``complete -C``) completes."""
    binary = shutil.which(shell)
    if binary is None:
        pytest.skip(f"{shell} is not installed here")
    if shell == "zsh":
        quoted = " ".join("'" + w + "'" for w in line.split(" "))
        script = ZSH_DRIVER.format(installed=INSTALLED, words=quoted)
    else:
        script = (
            f'function c66tui; "{INSTALLED}" $argv; end\n'
            f'"{INSTALLED}" completion fish | source\n'
            f"complete -C '{line}'\n"
        )
    result = subprocess.run([binary, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [item.split("\t")[0] for item in result.stdout.splitlines() if item]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_complete_the_same(shell, world, run):
    assert run("stacks", "list").code == 0
    assert sorted(other_shell_complete(shell, "c66tui jobs ")) == [
        "list", "pause", "resume", "run",
    ]  # fmt: skip
    assert "--git-ref" in other_shell_complete(shell, "c66tui redeploy --")
    assert sorted(other_shell_complete(shell, "c66tui env-vars set --apply-strategy ")) == [
        "deployment",
        "immediately",
    ]
    stacks = other_shell_complete(shell, "c66tui redeploy -s ")
    assert {"shop-backend", "tps-reports", "legacy [bold]api[/bold]"} <= set(stacks)


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_parse(shell, run):
    result = run("completion", shell)
    assert result.code == 0 and "c66tui completion --stacks" in result.out
    assert "redeploy" in result.out and "env-vars" in result.out
    binary = shutil.which(shell)
    if binary is None:
        pytest.skip(f"{shell} is not installed here; only the text was checked")
    check = subprocess.run(
        [binary, "-n"], input=result.out, capture_output=True, text=True, timeout=60
    )
    assert check.returncode == 0, check.stderr
