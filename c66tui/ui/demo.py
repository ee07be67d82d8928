"""``c66tui --demo``: the real app against an in-process sandbox.

No network and nothing written to the user's files: the sandbox runs inside this process
(``httpx.ASGITransport``), and config, credentials, journal and cache live in the demo's own
folder (``demo/`` in the state directory, see :func:`c66tui.config.use_demo_dirs`). What is
changed there is kept: the next ``c66tui --demo`` shows the theme, stack settings,
environment variables and maintenance mode as they were left (``--fresh`` starts over).
The demo profile starts logged in with every scope; logging in
to a new profile ("add profile" in the palette, or after logging out) goes through the
whole code-paste flow, with ``ctrl+g`` playing the browser: it approves the request in the
sandbox and shows the code to paste.

The sandbox (Starlette) and httpx are started by :class:`~c66tui.ops.demo_world.DemoWorld`
when the app first connects, which is after its first frame: a demo started before shows
the list it cached.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from c66tui.api.secret import Secret
from c66tui.config.settings import DEMO_SANDBOX_STATE, demo_settings, use_demo_dirs
from c66tui.ops import clock
from c66tui.ops.demo_world import DemoWorld
from c66tui.ops.services import AppServices
from c66tui.sandbox.config import SandboxConfig
from c66tui.ui.app import C66App

if TYPE_CHECKING:
    from c66tui.config.model import AppConfig


def _arg(args: Any, name: str, default: Any) -> Any:
    value = getattr(args, name, None) if args is not None else None
    return default if value is None else value


def make_demo_app(args: Any = None) -> C66App:
    """Build the demo app; ``args`` may carry ``seed``, ``latency_ms``, ``read_only`` and
    ``fresh`` (forget what earlier demos changed)."""
    home, home_warnings = use_demo_dirs(fresh=bool(_arg(args, "fresh", False)))
    settings = demo_settings(args)
    settings.warnings.extend(home_warnings)
    # With the app's clock frozen (C66TUI_FROZEN_NOW: screenshots, snapshots), the demo's
    # world starts at that instant and stands still, so its times agree with the app's.
    frozen = {}
    if os.environ.get("C66TUI_FROZEN_NOW"):
        frozen = {"start_time": clock.now(), "realtime": False}
    sandbox_config = SandboxConfig(
        seed=int(_arg(args, "seed", 66)),
        latency_ms=int(_arg(args, "latency_ms", 0)),
        user_email="demo@example.com",
        state_file=str(home / DEMO_SANDBOX_STATE),
        **frozen,
    )
    world = DemoWorld(sandbox_config)

    # The demo login lives in the demo's folder like a real one would.
    profile = settings.profile
    store = settings.store

    def add_demo_profile(config: AppConfig) -> None:
        config.profiles.pop("default", None)  # only the demo profile exists here
        config.profiles[profile.name] = profile
        config.active_profile = profile.name

    settings.config = store.update(add_demo_profile)  # no write when already in place
    if settings.token:
        store.set_token(
            profile.name, settings.token, client_secret=Secret(sandbox_config.client_secret)
        )
        settings.token_source = "file"

    return C66App(AppServices(settings=settings, api_factory=world.client, demo_world=world))
