"""Finding stacks by what a user types: every word against name, environment and account.

Used by the stack chooser of the jobs and settings screens; pure functions of
:class:`~c66tui.api.models.Stack`, so a command can search the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from c66tui.api.models import Stack


def stack_matches(stack: Stack, words: Sequence[str]) -> bool:
    """Whether every (lower-case) word occurs in the stack's name, environment or account."""
    haystack = f"{stack.name} {stack.environment} {stack.account_name}".lower()
    return all(word in haystack for word in words)


def filter_stacks(stacks: Iterable[Stack], query: str) -> list[Stack]:
    """Stacks matching ``query``; names starting with the query come first."""
    words = query.lower().split()
    if not words:
        return list(stacks)
    matches = [stack for stack in stacks if stack_matches(stack, words)]
    first = words[0]
    return sorted(matches, key=lambda stack: not stack.name.lower().startswith(first))
