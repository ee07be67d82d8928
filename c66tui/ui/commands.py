"""Command palette providers: go to a stack by name, switch profile.

Static commands (log in, log out, add profile, toggle theme, show journal) are added by
``C66App.get_system_commands``; the data-driven ones live here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from c66tui.text import sanitize
from c66tui.ui.context import services_of

if TYPE_CHECKING:
    from c66tui.api.models import Stack


def _stack_label(stack: Stack) -> str:
    return sanitize(stack.name or "")


def _stack_help(stack: Stack) -> str:
    parts = [stack.environment or "", stack.account_name or ""]
    return sanitize(" · ".join(part for part in parts if part))


class StackCommands(Provider):
    """ "Go to stack <name>" over the stacks the stacks screen loaded."""

    def _stacks(self) -> list[Stack]:
        return list(services_of(self.app).known_stacks)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for stack in self._stacks():
            label = f"Go to stack {_stack_label(stack)}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    partial(self.app.go_to_stack, stack.uid),
                    text=label,
                    help=_stack_help(stack),
                )


class ProfileCommands(Provider):
    """ "Switch to profile <name>" for every profile in ``config.toml``."""

    async def startup(self) -> None:
        self._profiles: list[tuple[str, str]] = []
        services = services_of(self.app)
        try:
            config = await asyncio.to_thread(services.store.load)
        except Exception:  # noqa: BLE001 - an unreadable config just means no profile hits
            config = services.config
        current = services.profile_name
        for name, profile in sorted(getattr(config, "profiles", {}).items()):
            if name != current:
                self._profiles.append((name, getattr(profile, "api_url", "")))

    def _hits(self) -> list[tuple[str, Callable[[], None], str]]:
        return [
            (
                f"Switch to profile {sanitize(name)}",
                partial(self.app.switch_profile, name),
                sanitize(url),
            )
            for name, url in getattr(self, "_profiles", [])
        ]

    async def discover(self) -> Hits:
        for label, callback, help_text in self._hits():
            yield DiscoveryHit(Text(label), callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback, help_text in self._hits():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, text=label, help=help_text)
