"""What a write is, for the write engine (:mod:`c66tui.ops.write_engine`).

An operation (a redeploy, a job run, a setting) describes its write as a :class:`WritePlan`:
the journal kind and parameters, the single-flight key, the one request to send and how to
read its answer (:class:`Verdict`), and how to check when the answer was lost
(:class:`Check`). The engine answers with a :class:`Delivery`. :func:`unknown_detail` is
the one sentence every write whose outcome is unknown is recorded and shown with.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from c66tui.api.errors import Cloud66Error, MissingScopeError, OutcomeUnknownError, ServerError
from c66tui.api.models import Action, Stack
from c66tui.text import sanitize

NOT_SENT = "not_sent"
"""The outcome of a write that never left (busy key, journal not writable)."""


class WriteServices(Protocol):
    """What the engine needs of a session (``AppServices`` or a test double)."""

    journal: Any
    api: Any

    @property
    def profile_name(self) -> str: ...

    def is_in_flight(self, key: str) -> bool: ...

    def single_flight(self, key: str) -> Any: ...

    def note_missing_scope(self, error: MissingScopeError) -> None: ...

    async def read(self, call: Callable[[Any], Awaitable[Any]]) -> Any: ...


@dataclass(frozen=True)
class Verdict:
    """One record of a write: the journal gets ``outcome`` and ``detail``.

    ``message`` is what the user is shown when it differs from ``detail``; ``follow`` an
    action still to be followed (nothing is recorded for it yet); ``quiet`` a record the
    hooks need not announce (a first "unknown" before its check, or a caller that is
    going away); ``local`` the outcome of the plan's local record when it differs (a run
    accepted but not followed is ``ok`` in the journal, ``unknown`` in the run history).
    """

    outcome: str
    detail: str = ""
    message: str = ""
    follow: Action | None = None
    quiet: bool = False
    local: str | None = None
    action_id: int | None = None

    @property
    def shown(self) -> str:
        return self.message or self.detail


@dataclass(frozen=True)
class Check:
    """What a check after a lost answer found: ``summary`` in words, ``report`` the
    operation's own report, ``follow`` a found action that is still to be followed."""

    summary: str
    report: Any = None
    follow: Action | None = None


def accepted(_answer: Any) -> Verdict:
    """The default reading of an answer: accepted, nothing more to say."""
    return Verdict("ok")


def not_followed(action: Action) -> Verdict:
    """The default record when the caller stops waiting for an action to follow."""
    return Verdict("unknown", f"Sent (action {action.id}); the app stopped following it.")


def finished_verdict(action: Action, note: str = "") -> Verdict:
    """How a finished action ended: ``ok``, ``failed`` (with Cloud 66's words), or
    ``unknown`` when it finished without saying whether it succeeded."""
    if action.finished_success is None:
        text = f"Action {action.id} finished without saying whether it succeeded."
        return Verdict("unknown", text + note, action_id=action.id)
    if action.finished_success:
        return Verdict("ok", (action.finished_message or "done") + note, action_id=action.id)
    text = action.finished_message or "Cloud 66 reported that the action failed"
    return Verdict("failed", text + note, action_id=action.id)


@dataclass
class WritePlan:
    """One write to ``stack``, described by its operation (``kind`` is its journal kind,
    ``flight_key`` its single-flight key, e.g. ``"redeploy:<uid>"``).

    ``send(api)`` makes the one request; ``params`` is what the journal keeps (with the
    baseline; never a secret value). ``prepare()`` runs right after the journal entry is
    written and before sending (an ``OSError`` there means nothing is sent); ``judge``
    reads an accepted answer; ``refusal`` words a refusal; ``check(sent_at)`` looks for
    the effect of a write whose answer was lost; ``unfollowed`` is recorded when the
    caller stops waiting for an action it was to follow. ``store(verdict)`` mirrors each
    record into a local store (an ``OSError`` there is reported like a journal failure)
    and ``told(verdict)`` hears of each record.
    """

    kind: str
    flight_key: str
    stack: Stack
    send: Callable[[Any], Awaitable[Any]]
    params: dict[str, Any] = field(default_factory=dict)
    account: str = ""
    busy: str = "this write is already being sent"
    prepare: Callable[[], None] | None = None
    judge: Callable[[Any], Verdict] = accepted
    refusal: Callable[[Cloud66Error], str] = str
    check: Callable[[datetime], Awaitable[Check]] | None = None
    unfollowed: Callable[[Action], Verdict] = not_followed
    store: Callable[[Verdict], None] | None = None
    told: Callable[[Verdict], None] | None = None


@dataclass
class Delivery:
    """How a write went: ``outcome`` is ``ok``, ``failed``, ``unknown`` or ``not_sent``;
    ``follow`` an action still to follow (``outcome`` is then the last one recorded)."""

    outcome: str
    message: str = ""
    answer: Any = None
    error: Exception | None = None
    entry_id: str | None = None
    request_id: str = ""
    sent_at: datetime | None = None
    follow: Action | None = None
    check: Check | None = None
    store_error: OSError | None = None

    @property
    def sent(self) -> bool:
        return self.outcome != NOT_SENT


def unknown_reason(error: BaseException | None) -> str:
    """What made the outcome of a sent write unknown, in a few words."""
    if isinstance(error, ServerError) and error.status:
        return f"Cloud 66 answered with a server error (HTTP {error.status})"
    return "no answer arrived"


def unknown_detail(error: BaseException | None) -> str:
    """The journal detail (and toast text) of any sent write whose outcome is unknown:
    the service layer's sentence, which says why and that it is not known whether the
    write was carried out, plus that it was not sent again (each said once)."""
    text = sanitize(error.message) if isinstance(error, OutcomeUnknownError) else ""
    if not text:
        text = (
            f"The request was sent but {unknown_reason(error)}, so it is not known whether "
            "it was carried out."
        )
    if "not sent again" not in text.lower():
        text += " It was not sent again."
    return text
