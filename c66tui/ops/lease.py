"""Open a temporary firewall lease for this machine's address, journalled like every write.

The lease is a write: its intent is journalled (kind ``lease``) before it is sent, it is
sent once and never retried, and how it ended is journalled too. The resource API
(``/api/3``) answers with an ``open_lease`` action, followed until it finishes as the
official library does (every 2 s, 5 minutes at most); the legacy API (``/api/2``) answers
at once with ``ok`` and a message. An answer lost after sending is recorded as "outcome
unknown" and reported; it is not sent again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from c66tui.api.errors import ActionTimeoutError, Cloud66Error, OutcomeUnknownError
from c66tui.api.models import Action
from c66tui.api.transport.request_ids import new_request_id, sending_with
from c66tui.text import sanitize

DEFAULT_MINUTES = 20
MAX_MINUTES = 240
POLL_SECONDS = 2.0
FOLLOW_SECONDS = 300.0


@dataclass(frozen=True)
class LeaseRequest:
    """What to open: ``port`` for ``minutes`` from ``from_ip`` (``AUTO``: our address)."""

    stack_uid: str
    stack_name: str
    port: int = 22
    minutes: int = DEFAULT_MINUTES
    from_ip: str = "AUTO"
    server_uid: str = ""

    def params(self) -> dict[str, Any]:
        """The journal's record of the request."""
        return {
            "port": self.port,
            "minutes": self.minutes,
            "from_ip": self.from_ip,
            "server_uid": self.server_uid,
        }


@dataclass(frozen=True)
class LeaseResult:
    """How the lease ended: ``ok``, ``failed`` or ``unknown``, with Cloud 66's words."""

    outcome: str
    message: str
    entry_id: str = ""
    error: Cloud66Error | None = None
    """The API error that made the lease fail (a 403, a refused connection), if any."""

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def check_minutes(value: object) -> int:
    """A lease length in minutes (1-240, as the toolbelt allows); ValueError otherwise."""
    try:
        minutes = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a number of minutes") from None
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValueError(f"a lease lasts 1 to {MAX_MINUTES} minutes, not {minutes}")
    return minutes


async def open_lease(
    api: Any,
    journal: Any,
    profile: str,
    request: LeaseRequest,
    *,
    on_step: Callable[[str], None] | None = None,
    poll_seconds: float = POLL_SECONDS,
) -> LeaseResult:
    """Journal, send and follow one lease. Raises ``Cloud66Error`` only for failures that
    happened before anything was sent; after sending, every ending is a :class:`LeaseResult`.

    ``journal.begin`` raising (a full disk) means nothing is sent: the error propagates.
    """
    say = on_step or (lambda _text: None)
    request_id = new_request_id()
    entry = journal.begin(
        "lease",
        profile,
        request.stack_uid,
        request.stack_name,
        request.params(),
        request_id=request_id,
    )
    try:
        with sending_with(request_id):
            answer = await api.open_lease(
                request.stack_uid,
                minutes=request.minutes,
                from_ip=request.from_ip,
                port=request.port,
                server_uid=request.server_uid,
            )
    except OutcomeUnknownError as error:
        return _end(journal, entry, "unknown", f"the answer was lost: {error}")
    except Cloud66Error as error:
        return _end(journal, entry, "failed", str(error), error)
    if isinstance(answer, Action):
        return await _follow(api, journal, entry, request, answer, say, poll_seconds)
    data = answer if isinstance(answer, dict) else {}
    message = str(data.get("message") or "")
    if data.get("ok") is False:
        return _end(journal, entry, "failed", message or "Cloud 66 refused the lease")
    return _end(journal, entry, "ok", message or "lease opened")


async def _follow(api, journal, entry, request, action, say, poll_seconds) -> LeaseResult:
    if action.id is not None and not action.is_finished:
        say(f"Cloud 66 is opening the firewall (action {action.id})…")
        try:
            action = await api.wait_for_action(
                request.stack_uid,
                action.id,
                interval=poll_seconds,
                max_interval=poll_seconds,
                timeout=FOLLOW_SECONDS,
            )
        except ActionTimeoutError:
            return _end(journal, entry, "unknown", f"action {action.id} still running")
        except Cloud66Error as error:
            return _end(journal, entry, "unknown", f"action {action.id} not followed: {error}")
    if action.finished_success is False:
        return _end(journal, entry, "failed", action.finished_message or "the lease failed")
    return _end(journal, entry, "ok", action.finished_message or "lease opened")


def _end(
    journal: Any, entry: str, outcome: str, message: str, error: Cloud66Error | None = None
) -> LeaseResult:
    text = sanitize(message)
    journal.complete(entry, outcome, text)
    return LeaseResult(outcome, text, entry, error)
