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

The sandbox (Starlette) and httpx are started by :class:`DemoWorld` when the app first
connects, which is after its first frame: a demo started before shows the list it cached.
"""

from __future__ import annotations

import os
import re
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from c66tui.api.secret import Secret
from c66tui.ops import clock
from c66tui.ui.app import C66App, make_app

if TYPE_CHECKING:
    import httpx

    from c66tui.api import Cloud66Client
    from c66tui.sandbox import Sandbox, SandboxConfig

_CODE = re.compile(r"id=[\"']auth-code[\"']>([^<]+)<")


def _arg(args: Any, name: str, default: Any) -> Any:
    value = getattr(args, name, None) if args is not None else None
    return default if value is None else value


async def approve_in_sandbox(transport: httpx.AsyncBaseTransport, authorize_url: str) -> str:
    """Do what the user would do in a browser: open the URL, press Approve; return the
    code the sandbox shows."""
    import httpx

    parts = urlsplit(authorize_url)
    base = f"{parts.scheme}://{parts.netloc}"
    form = dict(parse_qsl(parts.query))
    form["decision"] = "allow"
    async with httpx.AsyncClient(transport=transport, base_url=base) as client:
        page = await client.get(parts.path, params=parse_qsl(parts.query))
        if page.status_code != 200:
            raise ValueError(f"the sandbox refused the request (HTTP {page.status_code})")
        answer = await client.post(parts.path, data=form)
        match = _CODE.search(answer.text)
        if match:
            return match.group(1).strip()
        last = await client.get("/_sandbox/oauth/last-code")
        if last.status_code == 200:
            return str(last.json().get("code", ""))
    raise ValueError("the sandbox did not issue a code")


class DemoWorld:
    """The demo's in-process sandbox and the transport to it, started on first use."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config

    @cached_property
    def asgi(self) -> Any:
        """The sandbox's ASGI app (builds the world, replaying the demo's earlier changes)."""
        from c66tui.sandbox import create_app

        return create_app(config=self.config)

    @cached_property
    def transport(self) -> httpx.AsyncBaseTransport:
        """An httpx transport that calls the sandbox in this process (no socket)."""
        import httpx

        return httpx.ASGITransport(app=self.asgi)

    @property
    def sandbox(self) -> Sandbox:
        return self.asgi.state.sandbox

    def client(self, api_url: str, token: Secret) -> Cloud66Client:
        """The app's API client, talking to the sandbox."""
        from c66tui.api import Cloud66Client

        return Cloud66Client(api_url, token, transport=self.transport)

    async def approve(self, authorize_url: str) -> str:
        """Play the browser for the login flow (see :func:`approve_in_sandbox`)."""
        return await approve_in_sandbox(self.transport, authorize_url)


def make_demo_app(args: Any = None) -> C66App:
    """Build the demo app; ``args`` may carry ``seed``, ``latency_ms``, ``read_only`` and
    ``fresh`` (forget what earlier demos changed)."""
    from c66tui.config import demo_settings, use_demo_dirs
    from c66tui.config.settings import DEMO_SANDBOX_STATE
    from c66tui.sandbox.config import SandboxConfig

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

    def add_demo_profile(config: Any) -> None:
        config.profiles.pop("default", None)  # only the demo profile exists here
        config.profiles[profile.name] = profile
        config.active_profile = profile.name

    settings.config = store.update(add_demo_profile)
    if settings.token:
        store.set_token(
            profile.name, settings.token, client_secret=Secret(sandbox_config.client_secret)
        )
        settings.token_source = "file"

    app = make_app(settings, api_factory=world.client)
    app.services.demo_world = world
    return app
