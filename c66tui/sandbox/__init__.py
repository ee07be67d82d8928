"""The Cloud 66 sandbox: an in-memory ASGI emulator of the API v2/v3 and its OAuth flow.

``from c66tui.sandbox import SandboxConfig, Sandbox, create_app``; serve it over a socket
with :class:`c66tui.sandbox.server.SandboxServer` (tests, demo) or
:func:`c66tui.sandbox.server.serve` (``c66tui sandbox``). This package never imports Textual.

Layout (lower modules first; nothing imports upwards):

* ``config``: :class:`SandboxConfig`. ``clock``: the virtual clock. ``envelope``: answer
  shapes, errors, dates.
* ``seed`` (with the data file ``seed_words.json``) and ``seed_details``: deterministic
  seed data and the names of the notable seed stacks (``DEPLOYING_STACK``,
  ``HISTORY_STACK``, ``FAILED_STACK``, ``MAINTENANCE_STACK``, ``MARKUP_STACK``,
  ``QUIET_STACK``). ``records``: the records and their v3 JSON; ``legacy_json``: the v2 JSON.
* ``state``: :class:`Sandbox`, the world, made of ``tokens`` (tokens and rate windows),
  ``events`` (timed events) and ``deploys`` (the deployment life cycle); ``faults``:
  injected faults; ``write_log`` and ``persist``: changes kept across restarts.
* ``routing``: the route tables (``API`` for ``/api/3``, ``LEGACY`` for ``/api/2``,
  ``OPEN_V3`` for the tokenless ping) and the request context; ``params``: parameter
  rules both generations share; ``routes_*``: the routes (independent of one another);
  ``oauth``: the authorization flow; ``control``: the ``/_sandbox/`` endpoints.
* ``app``: :func:`create_app`; ``server``: uvicorn wrappers and the banner.

Time is virtual: real time plus an offset moved by :meth:`Sandbox.advance`; deploy phases
and async actions are timed events settled whenever the clock is read.

The names below are imported from their submodule on first use, so
``c66tui.sandbox.config`` loads without Starlette (``c66tui --demo`` paints its cached list
before it starts the sandbox).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from c66tui.sandbox.app import create_app
    from c66tui.sandbox.config import SandboxConfig
    from c66tui.sandbox.state import Sandbox

_HOMES = {"Sandbox": "state", "SandboxConfig": "config", "create_app": "app"}

__all__ = ["Sandbox", "SandboxConfig", "create_app"]


def __getattr__(name: str) -> Any:
    """Import ``name``'s submodule on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
