"""Request ids: every call carries a fresh ``Request-Id``; a write may have it chosen first.

Cloud 66 support can find a request by its id, and a write's journal entry should name the
id *before* the write is sent (the entry is written first). So the caller picks the id,
journals it, and sends the write inside :func:`sending_with`::

    request_id = new_request_id()
    journal.begin(..., request_id=request_id)
    with sending_with(request_id):
        await api.redeploy(uid)

The next write sent from that task (or from a task created inside the block) takes the id,
once; reads, and any later write, get fresh ids. Ids are UUIDs: nothing else (a token, a
header value from elsewhere) can be passed on as one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_chosen: ContextVar[str | None] = ContextVar("c66tui_chosen_request_id", default=None)

READ_METHODS = frozenset({"GET", "HEAD"})
"""The methods that only read (retried; never a chosen request id)."""


def new_request_id() -> str:
    """A fresh request id (a random UUID)."""
    return str(uuid.uuid4())


@contextmanager
def sending_with(request_id: str) -> Iterator[str]:
    """Send the next write of this context with ``request_id`` as its ``Request-Id``."""
    checked = str(uuid.UUID(str(request_id)))  # ValueError for anything but a UUID
    token = _chosen.set(checked)
    try:
        yield checked
    finally:
        _chosen.reset(token)


def request_id_for(method: str) -> str:
    """The ``Request-Id`` of a request about to be sent: the chosen id for the first
    write after :func:`sending_with`, otherwise a fresh one."""
    if method.upper() not in READ_METHODS:
        chosen = _chosen.get()
        if chosen is not None:
            _chosen.set(None)
            return chosen
    return new_request_id()
