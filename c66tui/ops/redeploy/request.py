"""What a redeploy asks for and what is known right before it is sent.

:class:`RedeployRequest` is the user's choice (a git ref, some services); :class:`Preflight`
is the stack read fresh just before sending: whether a deploy is already running (then the
caller asks again, because Cloud 66 will queue another one) and the newest deployment,
journalled as the *baseline* so a later check only takes newer deployments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from c66tui.api.models import Deployment, Stack
from c66tui.ops.deploy_state import (
    DEPLOYING,
    QUEUED,
    DeployWatch,
    deployment_phase,
    newest_id,
    typical_seconds,
)
from c66tui.text import sanitize

BASELINE_ID = "baseline_deployment_id"
"""Journal parameter: the newest deployment id before a redeploy was sent."""
BASELINE_AT = "baseline_deployment_at"
"""Journal parameter: when that deployment started."""


@dataclass(frozen=True)
class RedeployRequest:
    """What to deploy: an optional git ref and services (empty means the defaults)."""

    git_ref: str = ""
    services: tuple[str, ...] = ()

    @classmethod
    def parse(cls, git_ref: str = "", services: str = "") -> RedeployRequest:
        """From the dialog's text fields (services comma or space separated)."""
        names = tuple(s for s in services.replace(",", " ").split() if s)
        return cls(git_ref=git_ref.strip(), services=names)

    def params(self) -> dict[str, Any]:
        """Journal parameters."""
        out: dict[str, Any] = {}
        if self.git_ref:
            out["git_ref"] = self.git_ref
        if self.services:
            out["services"] = list(self.services)
        return out

    def describe(self) -> str:
        """``"ref v1.2 · services web, worker"`` or ``"default branch"``."""
        parts = [f"ref {self.git_ref}" if self.git_ref else "default branch"]
        if self.services:
            parts.append("services " + ", ".join(self.services))
        return " · ".join(parts)


@dataclass(frozen=True)
class Preflight:
    """The stack as it is right before sending, and its recent deployments."""

    stack: Stack
    deployments: list[Deployment]

    @property
    def busy(self) -> bool:
        """Whether a redeploy now would be queued behind a running deploy."""
        return self.stack.is_deploying or any(
            deployment_phase(d) in (QUEUED, DEPLOYING) for d in self.deployments[:3]
        )

    @property
    def baseline_id(self) -> int | None:
        return newest_id(self.deployments)

    def baseline_params(self) -> dict[str, Any]:
        """What the journal keeps before sending: the newest deployment seen (id and
        time; ``None`` when the stack had none), so a later check takes only newer ones."""
        newest = next((d for d in self.deployments if d.id == self.baseline_id), None)
        moment = None
        if newest is not None:
            moment = newest.started_at or getattr(newest, "created_at", None)
        return {
            BASELINE_ID: self.baseline_id,
            BASELINE_AT: moment.isoformat() if isinstance(moment, datetime) else None,
        }

    @property
    def typical(self) -> float | None:
        return typical_seconds(self.deployments)

    def watch(self, requested_at: datetime | None) -> DeployWatch:
        """A watch of the deploy a redeploy of this stack, sent at ``requested_at``,
        started: only deployments newer than the baseline are taken for it."""
        return DeployWatch(
            uid=self.stack.uid,
            name=self.stack.name,
            environment=self.stack.environment,
            baseline_id=self.baseline_id,
            requested_at=requested_at,
            typical=self.typical,
        )


def when(moment: datetime | None) -> str:
    """``"12:03:04 UTC"`` (``"?"`` when unknown)."""
    return moment.strftime("%H:%M:%S UTC") if moment else "?"


def describe_deployment(deployment: Deployment) -> str:
    """One line about a deployment: id, state, start time, who and how (sanitised)."""
    phase = deployment_phase(deployment)
    who = sanitize(deployment.triggered_by) or "someone"
    via = sanitize(deployment.triggered_via)
    text = f"deployment #{deployment.id} ({phase}) started {when(deployment.started_at)}"
    if phase == QUEUED:
        text = f"deployment #{deployment.id} (queued)"
    text += f" by {who}"
    if via:
        text += f" via {via}"
    return text
