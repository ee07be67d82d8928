"""HTTP plumbing of the service layer: the request session and the retry policy.

The names below are imported from their submodule on first use: importing one small
submodule of this package does not load the session (and httpx) with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .retry import RetryPolicy
    from .session import ApiSession, Reply

_HOMES = {"ApiSession": "session", "Reply": "session", "RetryPolicy": "retry"}

__all__ = ["ApiSession", "Reply", "RetryPolicy"]


def __getattr__(name: str) -> Any:
    """Import ``name``'s submodule on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
