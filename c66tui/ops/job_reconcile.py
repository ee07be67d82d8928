"""What became of a job write (run now, pause, resume) whose answer was lost.

Such a write is never resent. Instead the stack's async actions are checked: Cloud 66
records a run as a ``job_run_now`` action and a pause or resume as ``job_pause_handler``.
With the action id known (the POST was answered before the app stopped) that action is
read; otherwise the first page of the stack's actions is searched for one of the right
kind, started since the request (with some clock skew allowed), that names the job in its
metadata (an action naming another job is never taken; one naming none is taken only when
it is the only candidate). An action the job's local history already gives to another run
from here is never taken (within the clock skew it may be an earlier run of the same job),
and for a pause or resume an action whose metadata says that state beats one that does
not say. Before sending, the newest action id of the stack is journalled as the baseline
(:func:`newest_action_id`, ``baseline_action_id``); with it, only actions newer than the
baseline are candidates (an earlier run of the job, from here or elsewhere, is never
taken), and the time window is used only when no baseline could be read.

:func:`find_job_action` does the looking; :class:`JobCheck` says what it found and the
outcome that follows: ``ok`` or ``failed`` (the action finished), ``running`` (it is
still going: follow it) or ``unknown`` (nothing found, or the check itself failed).
Nothing here imports Textual.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from c66tui.api.errors import Cloud66Error
from c66tui.api.models import Action
from c66tui.ops.job_history import MAX_RUNS
from c66tui.text import sanitize

RUN_ACTION = "job_run_now"
PAUSE_ACTION = "job_pause_handler"
CLOCK_SKEW = timedelta(minutes=2)
"""How much earlier than the request (by the local clock) a matching action may start."""

FOLLOW_INTERVAL = 2.0
"""First wait between two looks at a found action that is still running (grows by half)."""
FOLLOW_MAX_INTERVAL = 10.0
FOLLOW_TIMEOUT = 1800.0
"""Stop following a found action after this many seconds (it carries on at Cloud 66)."""

BASELINE_ACTION_ID = "baseline_action_id"
"""Journal parameter: the newest action id of the stack before the write was sent
(present with ``None`` when the stack had no actions; absent when it could not be read)."""

JOURNAL_KINDS = {"job_run": RUN_ACTION, "job_pause": PAUSE_ACTION, "job_resume": PAUSE_ACTION}
"""Journal kinds of job writes, and the action each leaves at Cloud 66."""


@dataclass(frozen=True)
class JobCheck:
    """What a look at the stack's actions found for one job write."""

    summary: str
    action: Action | None = None
    error: str | None = None

    @property
    def outcome(self) -> str:
        """``ok``, ``failed``, ``running`` or ``unknown`` (see the module docstring)."""
        if self.action is None:
            return "unknown"
        if not self.action.is_finished:
            return "running"
        return "ok" if self.action.finished_success else "failed"


def _metadata(action: Action) -> dict[str, Any]:
    meta = action.raw.get("metadata")
    return meta if isinstance(meta, dict) else {}


def names_job(action: Action, job_uid: str, job_name: str = "") -> bool | None:
    """Whether ``action`` is about this job: ``True``/``False`` when its metadata says
    which job, ``None`` when it does not say."""
    meta = _metadata(action)
    if meta.get("job_uid"):
        return str(meta["job_uid"]) == job_uid
    if meta.get("job_name"):
        return bool(job_name) and str(meta["job_name"]) == job_name
    return None


def describe_action(action: Action) -> str:
    """``action #12 (finished: Job ran)``, ``action #12 (still running)`` (sanitised)."""
    if not action.is_finished:
        return f"action #{action.id} (still running)"
    word = "succeeded" if action.finished_success else "failed"
    message = sanitize(action.finished_message)
    return f"action #{action.id} ({word}{': ' + message if message else ''})"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%H:%M:%S UTC") if moment else "the request"


async def find_job_action(
    services: Any,
    stack_uid: str,
    *,
    kind: str,
    job_uid: str,
    job_name: str = "",
    since: datetime | None,
    action_id: int | None = None,
    paused: bool | None = None,
    taken: Collection[int] = (),
    baseline: dict[str, Any] | None = None,
) -> JobCheck:
    """Look for the action a job write of ``kind`` (an action name) may have started.

    ``paused`` narrows a pause/resume search to actions for that state, when the action
    says it (and prefers those that say it). Actions whose id is in ``taken`` (see
    :func:`recorded_action_ids`) belong to other writes and are skipped. With a baseline
    (the journal parameters holding :data:`BASELINE_ACTION_ID`, see
    :func:`newest_action_id`) only actions newer than it count; without one, those
    started since ``since``.
    """
    what = "run" if kind == RUN_ACTION else ("pause" if paused else "resume")
    try:
        if action_id is not None:
            action = await services.read(lambda api: api.get_action(stack_uid, action_id))
            return JobCheck(f"the {what} is {describe_action(action)}", action)
        actions = await services.read(lambda api: api.list_actions(stack_uid))
    except Cloud66Error as error:
        text = sanitize(str(error))
        return JobCheck(f"could not check the stack's actions: {text}", error=text)
    floor = since - CLOCK_SKEW if since is not None else None
    baseline_known, baseline_id = journalled_baseline(baseline or {})
    named: list[Action] = []
    unnamed: list[Action] = []
    for action in actions:
        if action.action != kind or action.id in taken:
            continue
        if baseline_known:
            if action.id is None or (baseline_id is not None and action.id <= baseline_id):
                continue
        elif floor is not None and action.started_at is not None and action.started_at < floor:
            continue
        state = _metadata(action).get("paused")
        if paused is not None and isinstance(state, bool) and state != paused:
            continue
        about = names_job(action, job_uid, job_name)
        if about:
            named.append(action)
        elif about is None:
            unnamed.append(action)
    candidates = named or (unnamed if len(unnamed) == 1 else [])
    if paused is not None:
        stated = [a for a in candidates if isinstance(_metadata(a).get("paused"), bool)]
        candidates = stated or candidates
    if candidates:
        found = min(candidates, key=lambda a: a.id or 0)
        return JobCheck(f"found the {what}: {describe_action(found)}", found)
    if len(unnamed) > 1:
        return JobCheck(
            f"{len(unnamed)} {kind} actions since {_when(since)} do not say which job they "
            "ran; check the stack's actions by hand"
        )
    return JobCheck(
        f"no {what} of this job since {_when(since)}: the request probably did not reach "
        "Cloud 66; send it again if you still want it"
    )


async def newest_action_id(services: Any, stack_uid: str) -> dict[str, int | None]:
    """The baseline to journal before a job write: ``{BASELINE_ACTION_ID: id}`` with the
    newest action id of the stack (``None`` when it has none), or ``{}`` when the
    actions could not be read (the check then falls back to the time window)."""
    try:
        actions = await services.read(lambda api: api.list_actions(stack_uid))
    except Cloud66Error:
        return {}
    ids = [action.id for action in actions if isinstance(action.id, int)]
    return {BASELINE_ACTION_ID: max(ids) if ids else None}


def journalled_baseline(params: dict[str, Any]) -> tuple[bool, int | None]:
    """(known, id) of the baseline in journal ``params`` (unknown when absent or not an
    integer, e.g. a hand-edited journal)."""
    if BASELINE_ACTION_ID not in params:
        return False, None
    value = params[BASELINE_ACTION_ID]
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return True, value
    return False, None


async def follow_action(services: Any, stack_uid: str, action: Action) -> Action:
    """Wait for a found action that is still running to finish (at most
    :data:`FOLLOW_TIMEOUT`; raises :class:`~c66tui.api.errors.ActionTimeoutError` then)."""
    return await services.read(
        lambda api: api.wait_for_action(
            stack_uid,
            action.id,
            interval=FOLLOW_INTERVAL,
            max_interval=FOLLOW_MAX_INTERVAL,
            timeout=FOLLOW_TIMEOUT,
        )
    )


def outcome_detail(check: JobCheck, final: Action | None = None) -> tuple[str, str]:
    """(outcome, journal detail) once a found action has finished (``final``)."""
    action = final or check.action
    if action is None or not action.is_finished:
        return "unknown", check.summary
    outcome = "ok" if action.finished_success else "failed"
    message = sanitize(action.finished_message) or ("Finished" if outcome == "ok" else "Failed")
    return outcome, f"{message} (action #{action.id}, found after the answer was lost)"


# -- journal entries left without an outcome ------------------------------------------------

RUN_MATCH_SECONDS = 60.0
"""An old entry without a run id matches the local run started this close to it."""


def recorded_action_ids(history: Any, job_uid: str, *, besides: str = "") -> set[int]:
    """The action ids the job's local history gives to its runs other than run
    ``besides`` (blocking file I/O: call from a thread; an unreadable history is empty)."""
    try:
        runs = history.runs(job_uid, limit=MAX_RUNS)
    except OSError:
        return set()
    return {run.action_id for run in runs if run.action_id is not None and run.id != besides}


def run_of(history: Any, entry: Any) -> Any:
    """The local history run of a ``job_run`` journal entry (``None`` when not found)."""
    job_uid = str(entry.params.get("job_uid") or "")
    if entry.kind != "job_run" or not job_uid:
        return None
    run_id = entry.params.get("run_id")
    if run_id:
        return history.get(job_uid, str(run_id))
    args = str(entry.params.get("args") or "")
    for run in history.runs(job_uid):
        if (
            run.outcome == "running"
            and run.args == args
            and run.started_at is not None
            and entry.started_at is not None
            and abs((run.started_at - entry.started_at).total_seconds()) <= RUN_MATCH_SECONDS
        ):
            return run
    return None


async def check_job_entry(services: Any, history: Any, entry: Any) -> JobCheck:
    """Look up what became of a pending job journal entry (run, pause or resume)."""
    job_uid = str(entry.params.get("job_uid") or "")
    if not job_uid or not entry.stack_uid:
        return JobCheck("the entry does not say which job; check the stack's actions by hand")
    run = run_of(history, entry)
    taken = await asyncio.to_thread(
        recorded_action_ids, history, job_uid, besides=run.id if run is not None else ""
    )
    return await find_job_action(
        services,
        entry.stack_uid,
        kind=JOURNAL_KINDS[entry.kind],
        job_uid=job_uid,
        job_name=str(entry.params.get("job_name") or ""),
        since=entry.started_at,
        action_id=run.action_id if run is not None else None,
        paused={"job_pause": True, "job_resume": False}.get(entry.kind),
        taken=taken,
        baseline=entry.params,
    )


def settle_job_entry(
    journal: Any, history: Any, entry: Any, outcome: str, detail: str, action_id: int | None
) -> None:
    """Record ``outcome`` for a job entry in the journal and, for a run still shown as
    running, in the job's local history (blocking file I/O: call from a thread)."""
    journal.complete(entry.id, outcome, detail)
    run = run_of(history, entry)
    if run is not None and run.outcome in ("running", "unknown"):
        history.finish(run.job_uid, run.id, outcome, detail, action_id=action_id)
