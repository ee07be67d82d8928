"""``c66tui completion bash|zsh|fish``: shell completion, stack names included.

The script is generated from the parser itself (commands, actions, options and option
choices), so a new command completes without touching this module. Stack names (after
``-s``/``--stack``) and environments (after ``-e``) come from the cache of the last
stack list (``c66tui completion --stacks``): no network, nothing printed on failure.

Install: ``eval "$(c66tui completion bash)"`` in ``~/.bashrc``; ``c66tui completion zsh
> "${fpath[1]}/_c66tui"``; ``c66tui completion fish > ~/.config/fish/completions/c66tui.fish``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from c66tui.commands import exit_codes
from c66tui.commands.options import add_command

SHELLS = ("bash", "zsh", "fish")
ROOT = "_"
"""The key of the top level in the generated tables (zsh keys cannot be empty)."""


def register(commands: Any, common: Any) -> None:
    completion = add_command(commands, "completion", common, "print a shell completion script")
    completion.add_argument("shell", nargs="?", metavar="SHELL", help="bash, zsh or fish")
    completion.add_argument("--stacks", action="store_true", help=argparse.SUPPRESS)
    completion.add_argument("--environments", action="store_true", help=argparse.SUPPRESS)
    completion.set_defaults(run=cmd_completion)


def command_tree(parser: argparse.ArgumentParser) -> dict[str, tuple[list[str], list[str]]]:
    """``path -> (subcommands, options)`` for every parser under ``parser``."""
    tree: dict[str, tuple[list[str], list[str]]] = {}

    def walk(node: argparse.ArgumentParser, path: str) -> None:
        children: list[str] = []
        options: list[str] = []
        for action in node._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    children.append(name)
                    walk(child, f"{path} {name}")
            elif action.help is not argparse.SUPPRESS:
                options.extend(action.option_strings)
        tree[path] = (children, options)

    walk(parser, ROOT)
    return tree


def option_choices(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """Options with fixed values (``--apply-strategy``), across every command."""
    found: dict[str, list[str]] = {}

    def walk(node: argparse.ArgumentParser) -> None:
        for action in node._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    walk(child)
            elif action.choices and action.option_strings:
                for option in action.option_strings:
                    found[option] = [str(choice) for choice in action.choices]

    walk(parser)
    return found


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _tables(tree: dict, choices: dict) -> dict[str, list[tuple[str, str]]]:
    """The children/options/choices tables as ``(key, value)`` pairs."""
    return {
        "children": [(path, " ".join(children)) for path, (children, _) in tree.items()],
        "options": [(path, " ".join(options)) for path, (_, options) in tree.items()],
        "choices": [(option, " ".join(values)) for option, values in choices.items()],
    }


def _bash_tables(tables: dict[str, list[tuple[str, str]]]) -> str:
    return "\n".join(
        f"_c66tui_{name}[{_quote(key)}]={_quote(value)}"
        for name, pairs in tables.items()
        for key, value in pairs
    )


def _zsh_tables(tables: dict[str, list[tuple[str, str]]]) -> str:
    """zsh keeps quotes inside a subscript, so each table is assigned as pairs."""
    lines = []
    for name, pairs in tables.items():
        body = "\n".join(f"    {_quote(key)} {_quote(value)}" for key, value in pairs)
        lines.append(f"_c66tui_{name}=(\n{body}\n)")
    return "\n".join(lines)


BASH = """# c66tui completion for bash: eval "$(c66tui completion bash)"
declare -gA _c66tui_children _c66tui_options _c66tui_choices
{tables}
_c66tui_complete() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local where="_" word i IFS=$'\\n'
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${{COMP_WORDS[i]}}"
        [[ "$word" == -* ]] && continue
        if [[ " ${{_c66tui_children[$where]}} " == *" $word "* ]]; then where="$where $word"; fi
    done
    case "$prev" in
        -s|--stack)
            COMPREPLY=($(compgen -W "$(c66tui completion --stacks 2>/dev/null)" -- "$cur"))
            return ;;
        -e|--environment)
            COMPREPLY=($(compgen -W "$(c66tui completion --environments 2>/dev/null)" -- "$cur"))
            return ;;
    esac
    if [[ -n "${{_c66tui_choices[$prev]}}" ]]; then
        IFS=' ' COMPREPLY=($(compgen -W "${{_c66tui_choices[$prev]}}" -- "$cur")); return
    fi
    if [[ "$cur" == -* ]]; then
        IFS=' ' COMPREPLY=($(compgen -W "${{_c66tui_options[$where]}}" -- "$cur"))
    else
        IFS=' ' COMPREPLY=($(compgen -W "${{_c66tui_children[$where]}}" -- "$cur"))
    fi
}}
complete -F _c66tui_complete c66tui
"""

ZSH = """#compdef c66tui
# c66tui completion for zsh: c66tui completion zsh > "${{fpath[1]}}/_c66tui"
typeset -gA _c66tui_children _c66tui_options _c66tui_choices
{tables}
_c66tui() {{
    local where="_" word i prev="${{words[CURRENT-1]}}"
    for ((i = 2; i < CURRENT; i++)); do
        word="${{words[i]}}"
        [[ "$word" == -* ]] && continue
        if [[ " ${{_c66tui_children[$where]}} " == *" $word "* ]]; then where="$where $word"; fi
    done
    local -a found
    case "$prev" in
        -s|--stack)
            found=("${{(@f)$(c66tui completion --stacks 2>/dev/null)}}")
            compadd -a found; return ;;
        -e|--environment)
            found=("${{(@f)$(c66tui completion --environments 2>/dev/null)}}")
            compadd -a found; return ;;
    esac
    if [[ -n "${{_c66tui_choices[$prev]}}" ]]; then
        compadd -- ${{=_c66tui_choices[$prev]}}; return
    fi
    if [[ "${{words[CURRENT]}}" == -* ]]; then compadd -- ${{=_c66tui_options[$where]}}
    else compadd -- ${{=_c66tui_children[$where]}}; fi
}}
compdef _c66tui c66tui
"""

FISH = """# c66tui completion for fish:
#   c66tui completion fish > ~/.config/fish/completions/c66tui.fish
function __c66tui_table
    switch "$argv[1]"
{cases}
    end
end
function __c66tui_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l prev $words[-1]
    if contains -- "$prev" -s --stack
        c66tui completion --stacks 2>/dev/null; return
    end
    if contains -- "$prev" -e --environment
        c66tui completion --environments 2>/dev/null; return
    end
    set -l values (__c66tui_table "choices $prev")
    if test -n "$values"
        string split ' ' -- $values; return
    end
    set -l where _
    for word in $words[2..-1]
        string match -q -- '-*' $word; and continue
        if contains -- $word (string split ' ' -- (__c66tui_table "children $where"))
            set where "$where $word"
        end
    end
    if string match -q -- '-*' "$cur"
        string split ' ' -- (__c66tui_table "options $where")
    else
        string split ' ' -- (__c66tui_table "children $where")
    end
end
complete -c c66tui -f -a '(__c66tui_complete)'
"""


def script(shell: str, parser: argparse.ArgumentParser) -> str:
    """The completion script of ``shell`` for ``parser``."""
    tables = _tables(command_tree(parser), option_choices(parser))
    if shell == "fish":
        cases = [
            f"        case {_quote(name + ' ' + key)}\n            echo {_quote(value)}"
            for name, pairs in tables.items()
            for key, value in pairs
        ]
        return FISH.format(cases="\n".join(cases))
    if shell == "zsh":
        return ZSH.format(tables=_zsh_tables(tables))
    return BASH.format(tables=_bash_tables(tables))


def cached_values(args: Any, field: str) -> list[str]:
    """Stack names (``name``) or environments from the cache; ``[]`` on any problem."""
    try:
        # deferred until the command runs: the parser is built on every start
        from c66tui.config import load_settings
        from c66tui.ops.cache import StackCache
        from c66tui.text import sanitize

        settings = load_settings(args)
        stacks, _saved = StackCache().load(settings.profile.name)
        values = {sanitize(stack.get(field) or "") for stack in stacks}
        return sorted(value for value in values if value)
    except Exception:  # noqa: BLE001 - completion never complains
        return []


def cmd_completion(args: Any) -> int:
    """Print the script for SHELL, or (hidden) the cached stack names or environments."""
    if args.stacks or args.environments:
        for value in cached_values(args, "name" if args.stacks else "environment"):
            print(value)
        return exit_codes.OK
    if args.shell not in SHELLS:
        print("usage: c66tui completion {bash,zsh,fish}", file=sys.stderr)
        return exit_codes.USAGE
    sys.stdout.write(script(args.shell, args.root_parser))
    return exit_codes.OK
