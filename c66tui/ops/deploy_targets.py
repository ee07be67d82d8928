"""What a redeploy may ask for and which deploy a cancel stops (no Textual here).

Both the redeploy dialog and the ``c66tui redeploy`` / ``c66tui cancel`` commands use
these, so a git ref is judged the same way and a cancel picks the same deployment
wherever it is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable

from c66tui.api.models import Deployment
from c66tui.ops.deploy_state import DEPLOYING, QUEUED, deployment_phase

MAX_REF = 250
"""The longest git ref (branch, tag or hash) Cloud 66 accepts."""


def ref_problem(ref: str) -> str | None:
    """Why a git ref cannot be sent (``None`` when it is fine or empty)."""
    ref = ref.strip()
    if not ref:
        return None
    if len(ref) > MAX_REF:
        return f"git ref is longer than {MAX_REF} characters"
    if any(ch.isspace() for ch in ref) or any(ord(ch) < 32 for ch in ref):
        return "git ref cannot contain spaces or control characters"
    return None


def cancel_target(
    deployments: Iterable[Deployment], watched_id: int | None = None
) -> Deployment | None:
    """The deployment a cancel should stop: the one being watched while it still runs,
    else the oldest running or queued one (``None`` when nothing runs)."""
    deployments = list(deployments)
    if watched_id is not None:
        watched = next((d for d in deployments if d.id == watched_id), None)
        if watched is not None and deployment_phase(watched) in (DEPLOYING, QUEUED):
            return watched
    running = [d for d in deployments if deployment_phase(d) in (DEPLOYING, QUEUED)]
    return min(running, key=lambda d: d.id or 0) if running else None
