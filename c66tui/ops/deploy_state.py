"""What a deploy is doing, worked out from the stack and its deployments (no Textual here).

A :class:`DeployWatch` follows one stack's deploy through ``queued`` -> ``deploying`` ->
an outcome (``success``, ``failed``, ``cancelled``). It is fed the stack and the first
page of its deployments each time they are polled, and decides which deployment is "ours":

* after a redeploy from this app, the first deployment newer than the newest one that
  existed before the request (``baseline_id``);
* when watching a deploy that was already running, the running (or queued) deployment.

:class:`WatchBook` holds the watches of a screen and lets a caller ``await`` one to finish
(the redeploy queue does). :func:`typical_seconds` is the median duration of recent
finished deployments, shown as the yardstick for the elapsed time.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from c66tui.api.models import Deployment, Stack

if TYPE_CHECKING:
    from c66tui.ops.services import AppServices

QUEUED = "queued"
DEPLOYING = "deploying"
SUCCESS = "success"
FAILED = "failed"
CANCELLED = "cancelled"
WAITING = "waiting"
"""Watching a stack that is not deploying: waiting for the next deploy to start."""

FINAL_PHASES = frozenset({SUCCESS, FAILED, CANCELLED})


def typical_seconds(deployments: Iterable[Deployment]) -> float | None:
    """Median duration of the finished deployments given (``None`` when there are none)."""
    durations = [
        d.duration_seconds
        for d in deployments
        if d.duration_seconds is not None and not d.is_deploying and d.outcome
    ]
    if not durations:
        return None
    return float(statistics.median(durations))


def newest_id(deployments: Iterable[Deployment]) -> int | None:
    """The highest deployment id in the list (``None`` for an empty list)."""
    ids = [d.id for d in deployments if d.id is not None]
    return max(ids) if ids else None


def is_queued(deployment: Deployment) -> bool:
    """Whether the deployment is waiting behind another one: not deploying, not started
    and not finished (the API sends no queued flag; this derives it)."""
    return (
        not deployment.is_deploying
        and deployment.started_at is None
        and deployment.finished_at is None
        and not deployment.outcome
    )


def deployment_phase(deployment: Deployment) -> str:
    """``queued``, ``deploying`` or the outcome of one deployment.

    ``is_deploying`` decides first (a running deploy may already carry an outcome
    object), then the finished fields (``finished_at`` and the ``outcome`` meaning): only
    a finished deployment has an outcome. ``success`` is the only documented meaning;
    ``cancel...`` is cancelled and any other is failed.
    """
    if deployment.is_deploying:
        return DEPLOYING
    outcome = deployment.outcome.strip().lower()
    if deployment.finished_at is not None or outcome:
        if outcome == "success":
            return SUCCESS
        if outcome.startswith("cancel"):
            return CANCELLED
        return FAILED
    if is_queued(deployment):
        return QUEUED
    return DEPLOYING


@dataclass
class DeployWatch:
    """One stack's deploy being followed to its outcome.

    Attributes:
        uid, name, environment: the stack.
        baseline_id: newest deployment id before our redeploy (``None`` when watching a
            deploy that was already running).
        requested_at: when this app sent the redeploy (``None`` if it did not).
        deployment_id: the deployment being followed, once known.
        phase: ``waiting``, ``queued``, ``deploying``, ``success``, ``failed`` or
            ``cancelled``.
        typical: median duration of recent deployments, in seconds.
        started_at / finished_at: of the followed deployment.
        label: what is being deployed (git ref / hash), for display.
        note: extra detail (e.g. "queued behind a running deploy").
    """

    uid: str
    name: str
    environment: str = ""
    baseline_id: int | None = None
    requested_at: datetime | None = None
    deployment_id: int | None = None
    phase: str = QUEUED
    typical: float | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    label: str = ""
    note: str = ""
    deployment: Deployment | None = field(default=None, repr=False)
    _done: asyncio.Future | None = field(default=None, repr=False)

    @property
    def done(self) -> bool:
        return self.phase in FINAL_PHASES

    def elapsed(self, now: datetime) -> float | None:
        """Seconds since the followed deployment started (to its end once finished)."""
        if self.started_at is None:
            return None
        end = self.finished_at or now
        return max(0.0, (end - self.started_at).total_seconds())

    def _pick(self, deployments: list[Deployment]) -> Deployment | None:
        if self.deployment_id is not None:
            return next((d for d in deployments if d.id == self.deployment_id), None)
        if self.baseline_id is not None:
            newer = [d for d in deployments if d.id is not None and d.id > self.baseline_id]
            return min(newer, key=lambda d: d.id or 0) if newer else None
        if self.requested_at is not None:
            newer = [
                d for d in deployments if d.started_at is None or d.started_at >= self.requested_at
            ]
            if newer:
                return min(newer, key=lambda d: d.id or 0)
        running = [d for d in deployments if deployment_phase(d) in (DEPLOYING, QUEUED)]
        return min(running, key=lambda d: d.id or 0) if running else None

    def update(self, stack: Stack | None, deployments: list[Deployment] | None) -> bool:
        """Take in freshly polled data; return whether anything shown changed."""
        before = (self.phase, self.deployment_id, self.started_at, self.finished_at, self.note)
        if self.typical is None and deployments:
            self.typical = typical_seconds(deployments)
        found = self._pick(deployments) if deployments is not None else None
        if found is not None:
            self.deployment = found
            self.deployment_id = found.id
            self.phase = deployment_phase(found)
            self.started_at = found.started_at
            self.finished_at = found.finished_at
            self.label = found.short_hash
            self.note = "queued behind a running deploy" if self.phase == QUEUED else ""
        elif self.deployment_id is None and stack is not None:
            waiting = self.baseline_id is None and self.requested_at is None
            if stack.is_deploying:
                self.phase = DEPLOYING if stack.status == 6 else QUEUED
                self.note = ""
            elif waiting:
                self.phase = WAITING
                self.note = "not deploying: waiting for the next deploy"
            else:
                self.phase = QUEUED
                self.note = "request accepted, waiting for Cloud 66 to start it"
        after = (self.phase, self.deployment_id, self.started_at, self.finished_at, self.note)
        if self.done and self._done is not None and not self._done.done():
            self._done.set_result(self)
        return before != after

    def wait(self) -> asyncio.Future:
        """A future resolved with this watch when it reaches an outcome."""
        if self._done is None:
            self._done = asyncio.get_running_loop().create_future()
            if self.done:
                self._done.set_result(self)
        return self._done

    def abandon(self) -> None:
        """Stop waiting (the watch was closed): waiters get ``CancelledError``."""
        if self._done is not None and not self._done.done():
            self._done.cancel()


class WatchBook:
    """The deploy watches of a screen, keyed by stack uid (one per stack)."""

    def __init__(self) -> None:
        self._watches: dict[str, DeployWatch] = {}
        self.profile: str | None = None
        """The profile whose deploys these are (the stacks screen clears it on a switch)."""
        self._listeners: list[Callable[[DeployWatch | None], None]] = []

    def subscribe(self, listener: Callable[[DeployWatch | None], None]) -> None:
        """Call ``listener(watch)`` whenever a watch is added, changed or removed."""
        if listener not in self._listeners:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[DeployWatch | None], None]) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def changed(self, watch: DeployWatch | None = None) -> None:
        """Tell the listeners that ``watch`` (or the book) changed."""
        for listener in list(self._listeners):
            listener(watch)

    def __contains__(self, uid: object) -> bool:
        return uid in self._watches

    def __iter__(self):
        return iter(list(self._watches.values()))

    def __len__(self) -> int:
        return len(self._watches)

    def get(self, uid: str) -> DeployWatch | None:
        return self._watches.get(uid)

    def add(self, watch: DeployWatch) -> DeployWatch:
        """Start following ``watch`` (replacing an earlier watch of the same stack)."""
        old = self._watches.get(watch.uid)
        if old is not None and old is not watch:
            old.abandon()
        self._watches[watch.uid] = watch
        self.changed(watch)
        return watch

    def remove(self, uid: str) -> DeployWatch | None:
        watch = self._watches.pop(uid, None)
        if watch is not None:
            watch.abandon()
            self.changed(None)
        return watch

    @property
    def active(self) -> list[DeployWatch]:
        """Watches still waiting for an outcome."""
        return [w for w in self._watches.values() if not w.done]


def watch_book_for(services: AppServices) -> WatchBook:
    """The app-wide watch book (a field of the services)."""
    return services.deploy_watches
