"""Finding the stack (or job, or key) a command line names, as cx does.

A name matches exactly first, then case-insensitively, then as a unique prefix
(case-insensitive); a stack's uid matches too. ``-e ENV`` narrows the stacks to one
environment first (exact or prefix, case-insensitive: ``-e prod``). Several matches end
the command with exit 2 and the candidates listed; so does none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from c66tui.commands.exit_codes import USAGE, CommandError
from c66tui.commands.output import sanitize

T = TypeVar("T")
MAX_LISTED = 12


def narrow_environment(stacks: Sequence[Any], environment: str | None) -> list[Any]:
    """The stacks of ``environment`` (all when it is empty)."""
    wanted = (environment or "").strip().lower()
    if not wanted:
        return list(stacks)
    exact = [s for s in stacks if s.environment.lower() == wanted]
    return exact or [s for s in stacks if s.environment.lower().startswith(wanted)]


def matches(items: Sequence[T], name: str, key: Callable[[T], str], ident=None) -> list[T]:
    """The items ``name`` means: exact, case-insensitive, then prefix matches."""
    if ident is not None:
        by_id = [item for item in items if ident(item) == name]
        if by_id:
            return by_id
    for test in (
        lambda text: text == name,
        lambda text: text.lower() == name.lower(),
        lambda text: text.lower().startswith(name.lower()),
    ):
        found = [item for item in items if test(key(item))]
        if found:
            return found
    return []


def pick(items: Sequence[T], name: str, what: str, key, ident=None, describe=None) -> T:
    """The one item ``name`` means, or a :class:`CommandError` (exit 2) listing why."""
    describe = describe or key
    found = matches(items, name, key, ident)
    if len(found) == 1:
        return found[0]
    listed = [sanitize(describe(item)) for item in found[:MAX_LISTED]]
    if not found:
        raise CommandError(
            USAGE, f"no {what} matches '{sanitize(name)}'", {"reason": "not_found", "name": name}
        )
    more = f" (and {len(found) - MAX_LISTED} more)" if len(found) > MAX_LISTED else ""
    raise CommandError(
        USAGE,
        f"'{sanitize(name)}' matches {len(found)} {what}s: {', '.join(listed)}{more}; "
        "give more of the name" + (" or -e ENV" if what == "stack" else ""),
        {"reason": "ambiguous", "name": name, "candidates": [describe(i) for i in found]},
    )


def stack_label(stack: Any) -> str:
    """``shop-backend (production)``."""
    return f"{stack.name} ({stack.environment or 'no environment'})"


def resolve_stack(stacks: Sequence[Any], name: str, environment: str | None = None) -> Any:
    """The stack ``-s NAME [-e ENV]`` means (see the module docstring)."""
    if not name or not name.strip():
        raise CommandError(USAGE, "name a stack with -s STACK")
    pool = narrow_environment(stacks, environment)
    if environment and not pool:
        raise CommandError(USAGE, f"no stack is in environment '{sanitize(environment)}'")
    return pick(
        pool, name, "stack", key=lambda s: s.name, ident=lambda s: s.uid, describe=stack_label
    )
