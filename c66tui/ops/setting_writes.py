"""The one way the settings tabs (and ``c66tui settings`` / ``env``) change anything at
Cloud 66: a setting, an environment variable, maintenance mode.

:func:`perform_write` describes the change to the write engine
(:mod:`c66tui.ops.write_engine`: single flight for the whole change, journal before
anything is sent, one request with its request id, shielded from cancellation, outcome
recorded), follows the asynchronous action to its outcome and tells the user how it ended.
When no answer comes back the outcome is "unknown": the user is told it may or may not
have applied, and the caller reloads to check, never resends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from c66tui.api.models import Action
from c66tui.ops.write_engine import WriteEngine
from c66tui.ops.write_plan import Verdict, WritePlan, finished_verdict
from c66tui.text import sanitize

ACTION_POLL_INTERVAL = 2.0
"""Seconds before the first re-check of a running action (grows by half each time)."""
ACTION_POLL_MAX = 10.0
"""The longest wait between two checks of a running action."""
ACTION_TIMEOUT = 600.0
"""How long to follow an action before handing it back to the user."""

Progress = Callable[[str], None]
"""Receives short status texts while a change is applied."""
Notify = Callable[..., None]
"""Tells the user how a change ended: ``notify(text, severity=..., markup=False[, timeout=...])``
(Textual's ``notify`` signature)."""


def _nothing() -> None:
    """The default ``refresh_keys``: no keys to refresh (the command line)."""


@dataclass
class Write(WritePlan):
    """One change to send: a :class:`~c66tui.ops.write_engine.WritePlan` with ``kind``
    ``"setting"``, ``"env_var"`` or ``"maintenance"``, a ``flight_key`` such as
    ``"setting:<uid>:git.branch"``, ``send(api)`` returning the action (or ``None``) and
    ``params`` never holding a secret value; ``what`` describes it in a few plain words,
    e.g. ``"git.branch = release"``."""

    what: str = ""


@dataclass
class WriteResult:
    """How a write ended: ``ok``, ``failed``, ``unknown`` or ``not_sent``."""

    outcome: str
    message: str = ""
    action: Action | None = None
    request_id: str = ""
    """The ``Request-Id`` the change was sent with (journalled with it)."""
    entry_id: str = ""
    """The journal entry of the change."""
    error: Exception | None = None
    """The API error that refused it or left its outcome unknown."""

    @property
    def sent(self) -> bool:
        return self.outcome != "not_sent"


async def perform_write(
    services: Any,
    write: Write,
    *,
    notify: Notify,
    refresh_keys: Callable[[], None] = _nothing,
    progress: Progress | None = None,
) -> WriteResult:
    """Send ``write`` once, follow it and tell the user how it ended.

    ``services`` is the session; ``notify`` tells the user the outcome; ``refresh_keys``
    is called as the change starts and ends (keys depending on it grey out meanwhile);
    ``progress`` receives short status texts while the change is applied.
    """
    say = progress or (lambda _text: None)
    engine = WriteEngine(services)

    def prepare() -> None:
        refresh_keys()  # grey out what depends on this change while it is sent
        say(f"Sending {write.what}…")

    plan = replace(
        write,
        busy="this change is already being sent",
        prepare=prepare,
        judge=judge_action,
        unfollowed=lambda action: Verdict(
            "unknown", f"sent as action {action.id}; not followed (screen closed)"
        ),
    )
    try:
        sent = await engine.write(plan)
        if sent.follow is not None:
            action = sent.follow
            say(f"Cloud 66 is applying {write.what} (action {action.id})…")
            sent.answer = await engine.follow(plan, sent, partial(_wait, services, write), action)
    finally:
        refresh_keys()
    action = sent.answer if isinstance(sent.answer, Action) else None
    result = WriteResult(
        sent.outcome, sent.message, action, sent.request_id, sent.entry_id or "", sent.error
    )
    if sent.sent:
        _announce(notify, write, result)
    elif sent.message != plan.busy:  # the journal could not be written: nothing was sent
        _notify(notify, sent.message, "error")
    return result


def judge_action(answer: Any) -> Verdict:
    """How the answer to a change reads: an action still running is to be followed."""
    action = answer if isinstance(answer, Action) else None
    if action is None or (action.id is None and not action.is_finished):
        return Verdict("ok")
    if not action.is_finished:
        return Verdict("ok", follow=action)
    return finished_verdict(action)


async def _wait(services: Any, write: Write, action_id: int) -> Action:
    return await services.read(
        lambda api: api.wait_for_action(
            write.stack.uid,
            action_id,
            interval=ACTION_POLL_INTERVAL,
            max_interval=ACTION_POLL_MAX,
            timeout=ACTION_TIMEOUT,
        )
    )


def _announce(notify: Notify, write: Write, result: WriteResult) -> None:
    what = sanitize(write.what)
    message = sanitize(result.message)
    if result.outcome == "ok":
        _notify(notify, f"Done: {what}.", "information")
    elif result.outcome == "failed":
        _notify(notify, f"Failed: {what}. {message}", "error")
    elif result.outcome == "unknown":
        _notify(
            notify,
            f"Outcome unknown: {what}. No answer came back, so it may or may not have "
            f"applied; reloading to check. ({message})",
            "warning",
            timeout=20,
        )


def _notify(notify: Notify, message: str, severity: str, timeout: float | None = None) -> None:
    kwargs: dict[str, Any] = {"severity": severity, "markup": False}
    if timeout is not None:
        kwargs["timeout"] = timeout
    notify(message, **kwargs)
