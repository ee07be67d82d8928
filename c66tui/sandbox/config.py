"""Configuration of a sandbox world."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from c66tui.config.demo import DEMO_TOKEN as DEMO_TOKEN  # every world accepts it
from c66tui.sandbox.oauth_clients import OOB, ClientApp


@dataclass(frozen=True)
class SandboxConfig:
    """Knobs of the emulator; every field has a sensible default.

    ``stacks=None`` builds the default realistic world (40 stacks over three accounts);
    a number builds that many stacks (the named special stacks first). ``deploy_seconds``
    and ``action_seconds`` are virtual durations. ``rate_limit`` is requests per token per
    clock hour. ``default_token``, when set, is an extra token with every scope (besides
    :attr:`Sandbox.DEMO_TOKEN`). ``start_time`` pins the virtual clock's start (default:
    the real time at build/reset) and ``realtime=False`` stops real time from flowing, so
    the clock only moves when advanced (useful for pixel-stable screenshots).
    ``state_file``, when set, keeps the world's lasting changes (settings, environment
    variables, maintenance mode, issued tokens) in that file and replays them when the
    world is built again (see :mod:`c66tui.sandbox.persist`).
    ``ssh_port``, when set, makes every server reachable for real: address ``127.0.0.1``,
    ``ssh_user`` as its login user, and ``ssh_private_key`` as the key handed out (the
    public half goes to an sshd's authorized keys, see :mod:`c66tui.sandbox.ssh_keys`).

    ``redirect_uris`` are the registered callback URL(s) of the default OAuth application
    (``client_id``); ``extra_clients`` registers more applications (same secret rules).
    ``pkce=False`` makes the token endpoint ignore PKCE, as a server without it would.
    """

    seed: int = 66
    stacks: int | None = None
    latency_ms: int = 0
    deploy_seconds: float = 30.0
    action_seconds: float = 3.0
    rate_limit: int = 3600
    client_id: str = "c66tui-sandbox"
    client_secret: str = "sandbox-secret"
    redirect_uris: tuple[str, ...] = (OOB,)
    extra_clients: tuple[ClientApp, ...] = ()
    pkce: bool = True
    default_token: str | None = None
    start_time: datetime | float | None = None
    realtime: bool = True
    user_email: str = "demo@example.com"
    state_file: str | None = None
    ssh_port: int | None = None
    ssh_user: str | None = None
    ssh_private_key: str | None = field(default=None, repr=False)

    @property
    def clients(self) -> dict[str, ClientApp]:
        """Every registered OAuth application by client id (the default one first)."""
        default = ClientApp(self.client_id, self.client_secret, tuple(self.redirect_uris))
        apps = {default.client_id: default}
        for app in self.extra_clients:
            apps.setdefault(app.client_id, app)
        return apps
