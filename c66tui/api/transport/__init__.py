"""HTTP plumbing of the service layer: the request session and the retry policy.

The names below are imported from their submodule on first use: importing one small
submodule of this package does not load the session (and httpx) with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from c66tui.lazy import lazy_exports

if TYPE_CHECKING:
    from .answers import Reply
    from .retry import RetryPolicy
    from .session import ApiSession

_HOMES = {"ApiSession": "session", "Reply": "answers", "RetryPolicy": "retry"}

__all__ = ["ApiSession", "Reply", "RetryPolicy"]


__getattr__, __dir__ = lazy_exports(__name__, _HOMES, globals())
