"""The jobs actions whose keys explain themselves when greyed out (shared by the jobs list
and a job's detail).

A disabled binding never runs, so the screen's ``on_key`` asks
:func:`explain_disabled_key`, which says why (read-only profile, a missing scope, a run
already in flight) from :meth:`c66tui.ui.screens.job_runs.JobRuns.blocked_reason`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.binding import ActiveBinding
    from textual.events import Key

    from c66tui.api.models import Job
    from c66tui.ui.screens.job_runs import JobRuns

GATED_ACTIONS = frozenset({"run_job", "pause_job", "resume_job"})
"""Actions whose key explains itself (a notice) when pressed while disabled."""


class JobKeysScreen(Protocol):
    """A screen with the jobs actions: the jobs list or a job's detail."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]: ...

    @property
    def runs(self) -> JobRuns: ...

    def notify(self, message: str, *, title: str, severity: str, markup: bool) -> None: ...


def explain_disabled_key(screen: JobKeysScreen, event: Key, job: Job | None) -> None:
    """Notify the reason when ``event`` is the key of a disabled jobs action."""
    active = screen.active_bindings.get(event.key)
    if active is None or active.enabled or active.node is not screen:
        return
    action = active.binding.action
    if action not in GATED_ACTIONS:
        return
    reason = screen.runs.blocked_reason(action, job) or "not available here"
    event.stop()
    event.prevent_default()
    screen.notify(reason, title=active.binding.description, severity="warning", markup=False)
