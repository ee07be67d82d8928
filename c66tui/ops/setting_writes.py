"""The one way the settings tabs change anything at Cloud 66.

:func:`perform_write` holds a single-flight key for the whole change, writes the intent
to the journal before anything is sent, sends exactly once (writes are never retried,
and the request is shielded from cancellation: cancelling a task does not un-send a
request already on the wire), follows the asynchronous action to its outcome and
records that outcome. When no answer comes back the outcome is "unknown": the user is
told it may or may not have applied, and the caller reloads to check, never resends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from c66tui.api.errors import (
    ActionTimeoutError,
    Cloud66Error,
    MissingScopeError,
    OutcomeUnknownError,
)
from c66tui.api.models import Action, Stack
from c66tui.api.transport.request_ids import new_request_id, sending_with
from c66tui.text import sanitize

ACTION_POLL_INTERVAL = 2.0
"""Seconds before the first re-check of a running action (grows by half each time)."""
ACTION_POLL_MAX = 10.0
"""The longest wait between two checks of a running action."""
ACTION_TIMEOUT = 600.0
"""How long to follow an action before handing it back to the user."""

Progress = Callable[[str], None]


@dataclass
class Write:
    """One change to send.

    Attributes:
        kind: journal kind (``"setting"``, ``"env_var"``, ``"maintenance"``).
        flight_key: single-flight key, e.g. ``"setting:<uid>:git.branch"``.
        stack: the stack the change is made on.
        what: a short plain description, e.g. ``"git.branch = release"``.
        send: ``send(api)`` makes the one request and returns its action (or ``None``).
        params: what the journal records; never a secret value.
    """

    kind: str
    flight_key: str
    stack: Stack
    what: str
    send: Callable[[Any], Awaitable[Any]]
    params: dict[str, Any] = field(default_factory=dict)


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

    @property
    def sent(self) -> bool:
        return self.outcome != "not_sent"


async def perform_write(node: Any, write: Write, progress: Progress | None = None) -> WriteResult:
    """Send ``write`` once, follow it and tell the user how it ended.

    ``node`` is the widget asking (its app provides services and notifications);
    ``progress`` receives short status texts while the change is applied.
    """
    app = node.app
    services = app.services
    say = progress or (lambda _text: None)
    if services.is_in_flight(write.flight_key):
        return WriteResult("not_sent", "this change is already being sent")
    async with services.single_flight(write.flight_key):
        _refresh_keys(app)
        request_id = new_request_id()
        try:
            entry = services.journal.begin(
                kind=write.kind,
                profile=services.profile_name,
                stack_uid=write.stack.uid,
                stack_name=write.stack.name,
                params=dict(write.params),
                request_id=request_id,
            )
        except Exception as err:  # noqa: BLE001 - no journal entry, no request
            message = f"Nothing was sent: the action journal could not be written ({err})."
            _notify(app, message, "error")
            return WriteResult("not_sent", message)
        try:
            result = await _send(services, write, entry, say, request_id)
        finally:
            _refresh_keys(app)
        result.request_id, result.entry_id = request_id, entry
    _announce(app, write, result)
    return result


async def _send(
    services: Any, write: Write, entry: Any, say: Progress, request_id: str
) -> WriteResult:
    journal = services.journal
    say(f"Sending {write.what}…")
    with sending_with(request_id):  # the task made here sends with the journalled id
        task = asyncio.ensure_future(write.send(services.api))
    try:
        answer = await asyncio.shield(task)
    except asyncio.CancelledError:
        # The request carries on; record its outcome whenever it arrives.
        task.add_done_callback(lambda t: _record_late(journal, entry, t))
        raise
    except OutcomeUnknownError as err:
        journal.complete(entry, "unknown", str(err))
        return WriteResult("unknown", str(err))
    except MissingScopeError as err:
        services.note_missing_scope(err)
        journal.complete(entry, "failed", str(err))
        return WriteResult("failed", str(err))
    except Cloud66Error as err:
        journal.complete(entry, "failed", str(err))
        return WriteResult("failed", str(err))
    action = answer if isinstance(answer, Action) else None
    if action is not None and action.id is not None and not action.is_finished:
        say(f"Cloud 66 is applying {write.what} (action {action.id})…")
        try:
            action = await services.api.wait_for_action(
                write.stack.uid,
                action.id,
                interval=ACTION_POLL_INTERVAL,
                max_interval=ACTION_POLL_MAX,
                timeout=ACTION_TIMEOUT,
            )
        except ActionTimeoutError as err:
            journal.complete(entry, "unknown", f"action {action.id} still running")
            return WriteResult("unknown", str(err), action)
        except Cloud66Error as err:
            detail = f"action {action.id} could not be followed: {err}"
            journal.complete(entry, "unknown", detail)
            return WriteResult("unknown", detail, action)
    if action is not None and action.finished_success is False:
        message = action.finished_message or "Cloud 66 reported that the action failed"
        journal.complete(entry, "failed", message)
        return WriteResult("failed", message, action)
    detail = action.finished_message if action is not None else ""
    journal.complete(entry, "ok", detail or "")
    return WriteResult("ok", detail or "", action)


def _record_late(journal: Any, entry: Any, task: asyncio.Future) -> None:
    """Journal the answer of a request whose waiter was cancelled."""
    try:
        if task.cancelled():
            journal.complete(entry, "unknown", "cancelled while sending")
        elif isinstance(task.exception(), OutcomeUnknownError):
            journal.complete(entry, "unknown", str(task.exception()))
        elif task.exception() is not None:
            journal.complete(entry, "failed", str(task.exception()))
        else:
            journal.complete(entry, "unknown", "sent; not followed (screen closed)")
    except Exception:  # noqa: BLE001 - best effort from a callback
        pass


def _announce(app: Any, write: Write, result: WriteResult) -> None:
    what = sanitize(write.what)
    message = sanitize(result.message)
    if result.outcome == "ok":
        _notify(app, f"Done: {what}.", "information")
    elif result.outcome == "failed":
        _notify(app, f"Failed: {what}. {message}", "error")
    elif result.outcome == "unknown":
        _notify(
            app,
            f"Outcome unknown: {what}. No answer came back, so it may or may not have "
            f"applied. It was not sent again; reloading to check. ({message})",
            "warning",
            timeout=20,
        )


def _notify(app: Any, message: str, severity: str, timeout: float | None = None) -> None:
    kwargs: dict[str, Any] = {"severity": severity, "markup": False}
    if timeout is not None:
        kwargs["timeout"] = timeout
    app.notify(message, **kwargs)


def _refresh_keys(app: Any) -> None:
    """Grey out (or restore) keys that depend on what is in flight."""
    try:
        app.screen.refresh_bindings()
    except Exception:  # noqa: BLE001 - no screen during shutdown
        pass
