"""Redeploying several stacks one after the other: :class:`QueueRunner`.

Each stack is claimed, checked fresh, confirmed again when it is already deploying, sent
through the same :class:`~c66tui.ops.redeploy.controller.RedeployController` as a single
redeploy, and watched to its outcome; the queue stops at the first stack that does not
deploy successfully (refused, outcome unknown, failed, not confirmed) and skips the rest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from c66tui.api.errors import Cloud66Error
from c66tui.api.models import Stack
from c66tui.ops.deploy_state import FAILED, SUCCESS, DeployWatch
from c66tui.ops.redeploy.controller import RedeployController, SendOutcome
from c66tui.ops.redeploy.request import Preflight, RedeployRequest
from c66tui.text import sanitize

WAITING = "waiting"
SENDING = "sending"
SKIPPED = "skipped"
DECLINED = "not confirmed"
UNKNOWN = "outcome unknown"
REFUSED = "refused"

NAMES_SEPARATOR = ", "
"""Between the production stacks' names the user types (in the order of the plan)."""


def production_names(stacks: list[Stack]) -> str | None:
    """What to type to confirm a queue, in the app and on the command line alike: its
    production stacks' names in plan order (``None``: the queue has no production stack)."""
    names = [sanitize(stack.name) for stack in stacks if stack.is_production]
    return NAMES_SEPARATOR.join(names) if names else None


@dataclass
class QueueItem:
    """One stack of a redeploy queue and how far it got."""

    stack: Stack
    state: str = WAITING
    detail: str = ""

    @property
    def finished(self) -> bool:
        return self.state in (SUCCESS, FAILED, SKIPPED, DECLINED, UNKNOWN, REFUSED, "cancelled")


class QueueRunner:
    """Redeploys several stacks serially, stopping at the first one that does not succeed.

    ``confirm_busy(stack)`` is awaited when a stack is already deploying right before its
    turn (return ``False`` to stop); ``watch(preflight, outcome)`` must return a started
    :class:`DeployWatch` whose ``wait()`` resolves with the deploy's outcome (the screen's
    poller feeds it); ``on_progress(item)`` is called on every state change.
    """

    def __init__(
        self,
        controller: RedeployController,
        stacks: list[Stack],
        request: RedeployRequest,
        *,
        confirm_busy: Callable[[Stack], Awaitable[bool]],
        watch: Callable[[Preflight, SendOutcome], DeployWatch],
        on_progress: Callable[[QueueItem], None] = lambda item: None,
    ) -> None:
        self.controller = controller
        self.items = [QueueItem(stack) for stack in stacks]
        self.request = request
        self.confirm_busy = confirm_busy
        self.watch = watch
        self.on_progress = on_progress
        self.stopped_reason = ""

    def _set(self, item: QueueItem, state: str, detail: str = "") -> None:
        item.state = state
        item.detail = detail
        self.on_progress(item)

    def _stop(self, index: int, reason: str) -> None:
        self.stopped_reason = reason
        for item in self.items[index + 1 :]:
            self._set(item, SKIPPED, "not started: the queue stopped")

    async def run(self) -> list[QueueItem]:
        """Run the queue; returns the items with their final states."""
        for index, item in enumerate(self.items):
            uid = item.stack.uid
            if not self.controller.claim(uid):
                self._set(item, SKIPPED, self.controller.busy_reason(uid) or "busy")
                self._stop(index, f"{sanitize(item.stack.name)} was busy")
                break
            self._set(item, SENDING, "checking the stack")
            try:
                preflight = await self.controller.preflight(uid)
            except Cloud66Error as error:
                self.controller.release(uid)
                self._set(item, REFUSED, f"could not check the stack: {sanitize(str(error))}")
                self._stop(index, "a stack could not be checked")
                break
            if preflight.busy and not await self.confirm_busy(preflight.stack):
                self.controller.release(uid)
                self._set(item, DECLINED, "already deploying; you chose not to queue another")
                self._stop(index, "stopped at your request")
                break
            self._set(item, SENDING, "sending the redeploy")
            outcome = await self.controller.redeploy(
                preflight.stack, self.request, preflight=preflight
            )
            if outcome.status == "unknown":
                summary = outcome.reconcile.summary if outcome.reconcile else ""
                self._set(item, UNKNOWN, f"{outcome.message}; {summary}".strip("; "))
                self._stop(index, "the outcome of a redeploy is unknown")
                break
            if not outcome.ok:
                self._set(item, REFUSED, outcome.message)
                self._stop(index, "a redeploy was refused")
                break
            watch = self.watch(preflight, outcome)
            self._set(item, watch.phase, outcome.message)
            try:
                finished = await watch.wait()
            except asyncio.CancelledError:
                self._set(item, SKIPPED, "stopped watching")
                self._stop(index, "the watch was closed")
                raise
            self._set(item, finished.phase, finished.note)
            if finished.phase != SUCCESS:
                self._stop(index, f"{sanitize(item.stack.name)} did not deploy successfully")
                break
        return self.items
