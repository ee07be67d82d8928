"""Deployments: the part of :class:`~c66tui.sandbox.state.Sandbox` that starts, queues,
finishes and cancels them.

A redeploy moves the stack's ``status`` to 5 (queued for deployment), then 6 (deploying)
after a short queue phase, then 1 (deployed) or 2 (failed) after
:attr:`SandboxConfig.deploy_seconds`; the deployment record carries ``is_deploying``,
``finished_at``, ``outcome`` and moves ``is_head``/``is_live`` when it succeeds. While one
runs, at most one more waits in the queue (see :meth:`DeployLifecycle.redeploy`).
"""

from __future__ import annotations

import itertools
import random
import string
from collections.abc import Callable

from c66tui.sandbox.clock import VirtualClock
from c66tui.sandbox.config import SandboxConfig
from c66tui.sandbox.envelope import ApiError, by_id, find_or_404
from c66tui.sandbox.records import ActionRec, DeployRec, Details, StackRec


class DeployLifecycle:
    """Deployments of the world (mixed into ``Sandbox``, which provides the attributes
    and the action and event methods declared here)."""

    config: SandboxConfig
    clock: VirtualClock
    _rng: random.Random
    _deploy_ids: itertools.count
    _prev_status: dict[int, int]
    details: Callable[[StackRec], Details]
    start_action: Callable[..., ActionRec]
    finish_action: Callable[[ActionRec, float, bool, str], None]
    _take_failure: Callable[..., str | None]
    _schedule: Callable[[float, Callable[[float], None]], None]

    def _new_deploy(
        self, stack: StackRec, user: str, via: int, git_ref: str | None, services: list[str]
    ) -> DeployRec:
        rng_hex = f"{self._rng.getrandbits(160):040x}"
        web = stack.git[: -len(".git")] if stack.git.endswith(".git") else stack.git
        return DeployRec(
            id=next(self._deploy_ids),
            triggered_by=user,
            via=via,
            git_hash=rng_hex,
            git_ref=git_ref or stack.git_branch,
            commit_url=f"{web}/commit/{rng_hex}",
            commit_message=f"Deploy {git_ref or stack.git_branch}",
            deploy_session="".join(self._rng.choices(string.ascii_letters + string.digits, k=10)),
            started_at=None,
            services=list(services),
            created_at=self.clock.now(),
        )

    def _seed_running_deploy(self, stack: StackRec) -> None:
        details = self.details(stack)
        total = self.config.deploy_seconds
        start = self.clock.start - total / 3
        rec = self._new_deploy(stack, "dev@example.com", 0, stack.git_branch, [])
        rec.commit_message = "Speed up product listing"
        rec.created_at = start
        details.deployments.insert(0, rec)
        self._begin_deploy(stack, rec, start)

    def redeploy(
        self,
        stack: StackRec,
        *,
        user: str,
        git_ref: str | None = None,
        services: list[str] | None = None,
        via: int = 1,
    ) -> tuple[bool, ActionRec]:
        """Start a deployment, or queue one behind the running deployment.

        While a deployment runs, a redeploy answers 200 with ``queued: true`` (the way
        Cloud 66 and its toolbelt describe it: the new deploy runs right after the current
        one) rather than 409. At most one deployment waits in the queue: further redeploys
        join it (updating its ``git_ref``/``services`` when given) and each gets its own
        async action, finished when that queued deployment ends.
        """
        details = self.details(stack)
        action = self.start_action(
            stack,
            "application_deployment",
            user=user,
            metadata={"git_ref": git_ref, "services": services or []},
            auto_finish=False,
        )
        if details.running is None:
            rec = self._new_deploy(stack, user, via, git_ref, services or [])
            rec.action_ids.append(action.id)
            details.deployments.insert(0, rec)
            self._begin_deploy(stack, rec, self.clock.now())
            return False, action
        if details.queued is None:
            rec = self._new_deploy(stack, user, via, git_ref, services or [])
            rec.is_queued = True
            details.queued = rec
            details.deployments.insert(0, rec)
        else:
            rec = details.queued
            if git_ref:
                rec.git_ref = git_ref
            if services:
                rec.services = list(services)
        rec.action_ids.append(action.id)
        return True, action

    def _begin_deploy(self, stack: StackRec, rec: DeployRec, at: float) -> None:
        details = self.details(stack)
        details.running = rec
        rec.is_queued = False
        rec.is_deploying = True
        rec.started_at = at
        self._prev_status[rec.id] = stack.status if stack.status not in (5, 6) else 1
        stack.busy = True
        stack.status = 5
        stack.last_activity = stack.updated_at = max(stack.last_activity, at)
        total = self.config.deploy_seconds
        queue_phase = min(total * 0.1, 5.0)

        def deploying(when: float) -> None:
            if details.running is rec:
                stack.status = 6

        def finished(when: float) -> None:
            if details.running is rec:
                failure = self._take_failure(stack.uid, "deploy")
                self._end_deploy(stack, rec, when, 2 if failure else 1, failure)

        if at + queue_phase <= self.clock.start:
            stack.status = 6
        else:
            self._schedule(at + queue_phase, deploying)
        self._schedule(at + total, finished)

    def _end_deploy(
        self, stack: StackRec, rec: DeployRec, at: float, outcome: int, message: str | None
    ) -> None:
        details = self.details(stack)
        rec.finished_at = at
        rec.outcome = outcome
        rec.is_deploying = False
        details.running = None
        if outcome == 1:
            for other in details.deployments:
                other.is_live = other.is_head = False
            rec.is_live = rec.is_head = True
            stack.status = 1
            stack.health = 3
            for server in details.servers:
                server.health_state = 3
        elif outcome == 2:
            stack.status = 2
        else:
            stack.status = self._prev_status.get(rec.id, 1)
        stack.last_activity = stack.updated_at = at
        text = {
            1: "Deployment finished successfully",
            2: f"Deployment failed: {message}",
            3: "Deployment cancelled",
        }[outcome]
        for action in details.actions:
            if action.id in rec.action_ids:
                self.finish_action(action, at, outcome == 1, text)
        if details.queued is not None:
            queued = details.queued
            details.queued = None
            self._begin_deploy(stack, queued, at)
        else:
            stack.busy = False

    def cancel_deploy(self, stack: StackRec, deploy_id: str) -> DeployRec:
        """Cancel a running or queued deployment (409 when it already ended)."""
        details = self.details(stack)
        rec = self.find_deploy(stack, deploy_id)
        now = self.clock.now()
        if details.running is rec:
            self._end_deploy(stack, rec, now, 3, None)
        elif details.queued is rec:
            details.queued = None
            rec.is_queued = False
            rec.outcome = 3
            rec.finished_at = now
            for action in details.actions:
                if action.id in rec.action_ids:
                    self.finish_action(action, now, False, "Deployment cancelled")
        else:
            raise ApiError(
                409, "Deployment is not running", details=f"Deployment {deploy_id} already finished"
            )
        return rec

    def find_deploy(self, stack: StackRec, deploy_id: str) -> DeployRec:
        """The stack's deployment ``deploy_id`` (404 when it has none)."""
        return find_or_404(self.details(stack).deployments, "Deployment", deploy_id, by_id)
