"""Whether the API can be reached right now, since when not, and why.

:class:`Connection` is fed by every read (:meth:`c66tui.ops.services.AppServices.read`):
a failure that says nothing about the request itself (the network, a timeout, a 5xx from
Cloud 66 or a gateway) marks the link *offline* from that moment, with the reason in
plain words; the next answer of any kind marks it back online. Listeners (the identity
bar, the deploy watch) are told about each change, not about every request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from c66tui.api.errors import NetworkError, ServerError
from c66tui.ops import clock
from c66tui.text import sanitize

REASON_LENGTH = 60
"""Longest reason kept (the error text of a broken gateway can be long)."""


def is_link_failure(error: BaseException) -> bool:
    """Whether ``error`` means the API could not be used at all (not "this request was
    refused"): unreachable, timed out, or a 5xx."""
    return isinstance(error, (NetworkError, ServerError))


def reason_of(error: BaseException) -> str:
    """A short, single-line reason for ``error``."""
    text = " ".join(sanitize(str(error)).split()) or type(error).__name__
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


@dataclass
class Connection:
    """The link to the API as the reads have found it."""

    offline_since: datetime | None = None
    """When the first failing read of the current outage failed (``None``: online)."""
    reason: str = ""
    """Why the last read failed, while offline."""
    last_ok: datetime | None = None
    """When a read last got an answer."""
    _listeners: list[Callable[[Connection], None]] = field(default_factory=list, repr=False)

    @property
    def offline(self) -> bool:
        return self.offline_since is not None

    def subscribe(self, listener: Callable[[Connection], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Connection], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def answered(self) -> None:
        """A read got an answer (even a refusal): the link works."""
        self.last_ok = clock.now()
        if self.offline_since is not None:
            self.offline_since = None
            self.reason = ""
            self._tell()

    def failed(self, error: BaseException) -> None:
        """A read failed; only link failures (:func:`is_link_failure`) count."""
        if not is_link_failure(error):
            self.answered()
            return
        reason = reason_of(error)
        if self.offline_since is None:
            self.offline_since = clock.now()
        elif reason == self.reason:
            return
        self.reason = reason
        self._tell()

    def _tell(self) -> None:
        for listener in list(self._listeners):
            listener(self)
