"""Asking before a write, and never asking without a terminal.

``-y`` answers yes (as cx's ``-y`` does). Without it, a write asks on the terminal: the
summary and the question go to standard error, the answer is read from standard input;
a production stack asks for its name typed exactly. Without a terminal (cron, CI, a
pipe) nothing can be asked, so the command ends with exit 2 and nothing is sent.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from c66tui.commands.exit_codes import USAGE, CommandError
from c66tui.commands.output import Output, sanitize


def has_terminal() -> bool:
    """Whether a person can answer: standard input and standard error are terminals."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def _read(prompt: str, output: Output) -> str:
    output.err.write(prompt)
    output.err.flush()
    answer = sys.stdin.readline()
    if not answer:  # end of input
        raise CommandError(USAGE, "no answer: nothing was sent")
    return answer.strip()


def confirm(
    output: Output,
    what: str,
    facts: Sequence[tuple[str, str]],
    *,
    stack: Any = None,
    assume_yes: bool = False,
    typed: tuple[str, str] | None = None,
) -> None:
    """Return when the write ``what`` may be sent; else raise exit 2 (nothing sent).

    ``facts`` are ``(label, value)`` lines shown before the question; ``stack`` (when
    production) makes the question "type the stack name"; ``typed`` is ``(what to type,
    the text)`` for a question of another kind (a queue: its production stacks' names).
    """
    if assume_yes:
        return
    if not has_terminal():
        raise CommandError(
            USAGE,
            f"not confirmed: {what} needs -y when there is no terminal to ask on. "
            "Nothing was sent.",
        )
    width = max((len(label) for label, _ in facts), default=0) + 1
    output.say(what[:1].upper() + what[1:] + ":")
    for label, value in facts:
        output.say(f"  {label + ':':<{width}} {sanitize(value)}")
    if typed is not None:
        asked, expected = typed
        answer = _read(f"A production stack is included. To go on, {asked}: ", output)
        if answer != expected:
            raise CommandError(USAGE, "what was typed did not match: nothing was sent")
        return
    if stack is not None and stack.is_production:
        name = sanitize(stack.name)
        typed = _read(f"This is a production stack. Type its name ({name}) to go on: ", output)
        if typed != name:
            raise CommandError(USAGE, "the name typed did not match: nothing was sent")
        return
    answer = _read("Go on? [y/N] ", output)
    if answer.lower() not in ("y", "yes"):
        raise CommandError(USAGE, "not confirmed: nothing was sent")
