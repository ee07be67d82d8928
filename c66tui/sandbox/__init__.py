"""The Cloud 66 sandbox: an in-memory ASGI emulator of the API v2/v3 and its OAuth flow.

``from c66tui.sandbox import SandboxConfig, Sandbox, create_app``; serve it over a socket
with :class:`c66tui.sandbox.server.SandboxServer` (tests, demo) or
:func:`c66tui.sandbox.server.serve` (``c66tui sandbox``). This package never imports Textual.

Layout:

* ``config``: :class:`SandboxConfig`. ``clock``: the virtual clock.
* ``seed``: deterministic seed data and the names of the notable seed stacks
  (``DEPLOYING_STACK``, ``HISTORY_STACK``, ``FAILED_STACK``, ``MAINTENANCE_STACK``,
  ``MARKUP_STACK``, ``QUIET_STACK``). ``records``: the records and their JSON forms.
* ``state``: :class:`Sandbox`, the world, tokens, rate windows and pending work.
* ``routing``, ``routes_*``: the API; ``oauth``: the authorization flow; ``control``:
  the ``/_sandbox/`` endpoints; ``faults``: injected faults; ``envelope``: answer shapes.
* ``app``: :func:`create_app`; ``server``: uvicorn wrappers and the banner.

Time is virtual: real time plus an offset moved by :meth:`Sandbox.advance`; deploy phases
and async actions are timed events settled whenever the clock is read.
"""

from c66tui.sandbox.app import create_app
from c66tui.sandbox.config import SandboxConfig
from c66tui.sandbox.state import Sandbox

__all__ = ["Sandbox", "SandboxConfig", "create_app"]
