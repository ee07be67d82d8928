"""Shared helpers for the stacks, stack detail, redeploy and journal screen tests."""

from __future__ import annotations

from c66tui.ui.screens.stacks import StacksScreen
from tests.waiting import until as wait_until
from tests.waiting import until_idle

__all__ = ["wait_until", "until_idle"]


async def stacks_ready(app, pilot) -> StacksScreen:
    """Wait for the stacks screen to show the live list; return it."""
    await wait_until(pilot, lambda: isinstance(app.screen, StacksScreen), what="stacks screen")
    screen = app.screen
    await wait_until(
        pilot, lambda: screen.loaded and not screen.refreshing, what="stack list loaded"
    )
    await pilot.pause()
    return screen


async def refreshed(app, pilot, screen: StacksScreen) -> None:
    """Press ctrl+r and wait until the list and the fast poll are done."""
    await pilot.press("ctrl+r")
    await settle(pilot, screen)


async def settle(pilot, screen) -> None:
    """Wait for the screen's list/fast/detail workers to finish."""
    groups = {"stacks-list", "stacks-fast", "detail-load", "journal-load", "journal-check"}

    def idle() -> bool:
        return not any(w.group in groups and not w.is_finished for w in screen.workers)

    await pilot.pause()
    await wait_until(pilot, idle, what="screen workers idle")
    await pilot.pause()


def uid_of(sandbox, name: str) -> str:
    return sandbox.sandbox.find_stack(name).uid


def requests(sandbox, method: str, fragment: str) -> list[dict]:
    """Logged API requests with ``method`` whose path contains ``fragment``."""
    return [
        entry
        for entry in sandbox.sandbox.request_log
        if entry["method"] == method and fragment in entry["path"]
    ]


def redeploy_posts(sandbox, name: str) -> list[dict]:
    uid = uid_of(sandbox, name)
    return [e for e in requests(sandbox, "POST", f"/stacks/{uid}/deployments")]


async def put_cursor(pilot, screen: StacksScreen, uid: str) -> None:
    """Move the list's cursor to ``uid``."""
    assert screen.table.move_to(uid), f"{uid} is not shown"
    await pilot.pause()


def first_stack(screen: StacksScreen, predicate) -> str:
    """The uid of the first shown stack matching ``predicate(stack)``."""
    for uid in screen.table.visible_uids:
        if predicate(screen.table.stacks[uid]):
            return uid
    raise AssertionError("no such stack")


class Recorder:
    """Records the app's notifications and bells (wraps ``app.notify`` and ``app.bell``)."""

    def __init__(self, app) -> None:
        self.messages: list[str] = []
        self.severities: list[str] = []
        self.bells = 0
        original = app.notify

        def notify(message, *args, **kwargs):
            self.messages.append(str(message))
            self.severities.append(kwargs.get("severity", "information"))
            return original(message, *args, **kwargs)

        def bell() -> None:
            self.bells += 1

        app.notify = notify
        app.bell = bell

    def saw(self, fragment: str) -> bool:
        return any(fragment in message for message in self.messages)
