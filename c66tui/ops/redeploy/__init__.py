"""Redeploy and cancel a stack's deploy, done safely (no widgets here).

A redeploy, from the key press to the request:

- :mod:`~c66tui.ops.redeploy.request`: what is asked (:class:`RedeployRequest`) and the
  stack read fresh right before sending (:class:`Preflight`: already deploying?, the
  baseline deployment);
- :mod:`~c66tui.ops.redeploy.controller`: :class:`RedeployController` claims the stack on
  the key press, then sends through the write engine (:mod:`c66tui.ops.write_engine`:
  journal first, one request with its request id, shielded, outcome recorded);
- :mod:`~c66tui.ops.redeploy.checks`: when the answer was lost, the deployments newer
  than the baseline are checked (never resent), now or from the journal later;
- :mod:`~c66tui.ops.redeploy.queue`: :class:`QueueRunner`, several stacks in turn;
- :mod:`c66tui.ops.deploy_state`: :class:`~c66tui.ops.deploy_state.DeployWatch` follows the
  deployment to its outcome.
"""

from c66tui.ops.redeploy.checks import (
    RECONCILE_WINDOW,
    ReconcileReport,
    check_entry,
    reconcile,
    reconcile_cancel,
    settled_outcome,
    watch_if_running,
)
from c66tui.ops.redeploy.controller import (
    COOLDOWN_SECONDS,
    RedeployController,
    SendOutcome,
    cancel_key,
    controller_for,
    journal_checks_for,
    redeploy_key,
)
from c66tui.ops.redeploy.queue import QueueItem, QueueRunner, production_names
from c66tui.ops.redeploy.request import (
    BASELINE_AT,
    BASELINE_ID,
    Preflight,
    RedeployRequest,
    describe_deployment,
)
from c66tui.ops.write_plan import unknown_detail, unknown_reason

__all__ = [
    "BASELINE_AT",
    "BASELINE_ID",
    "COOLDOWN_SECONDS",
    "RECONCILE_WINDOW",
    "Preflight",
    "QueueItem",
    "QueueRunner",
    "production_names",
    "ReconcileReport",
    "RedeployController",
    "RedeployRequest",
    "SendOutcome",
    "cancel_key",
    "check_entry",
    "controller_for",
    "describe_deployment",
    "journal_checks_for",
    "reconcile",
    "reconcile_cancel",
    "redeploy_key",
    "settled_outcome",
    "unknown_detail",
    "unknown_reason",
    "watch_if_running",
]
