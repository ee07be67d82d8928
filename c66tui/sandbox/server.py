"""Serving the sandbox over a real socket.

* :class:`SandboxServer`: a context manager running uvicorn in a daemon thread on an
  ephemeral loopback port (tests, ``--demo``); ``base_url``, ``api_url``, ``sandbox``.
* :func:`serve`: blocking server for ``c66tui sandbox``; prints :func:`print_banner`.
"""

from __future__ import annotations

import ipaddress
import sys
import threading
import time
from typing import TextIO
from urllib.parse import quote

import uvicorn

from c66tui.sandbox.app import create_app
from c66tui.sandbox.config import SandboxConfig
from c66tui.sandbox.oauth import OOB
from c66tui.sandbox.seed import DEPLOYING_STACK, FAILED_STACK, MAINTENANCE_STACK
from c66tui.sandbox.state import Sandbox

__all__ = ["SandboxServer", "serve", "print_banner", "is_loopback"]


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _uvicorn_config(app, host: str, port: int, log_level: str = "warning") -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        lifespan="off",
        access_log=False,
        timeout_graceful_shutdown=1,
        timeout_keep_alive=5,
    )


class SandboxServer:
    """uvicorn in a background thread serving a :class:`Sandbox` on ``host:port``.

    ``with SandboxServer(config=SandboxConfig(...)) as srv:`` then use ``srv.api_url``.
    ``port=0`` picks a free port; ``srv.port`` is the one bound.
    """

    def __init__(
        self,
        config: SandboxConfig | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        sandbox: Sandbox | None = None,
    ) -> None:
        self.sandbox = sandbox or Sandbox(config or SandboxConfig())
        self.config = self.sandbox.config
        self.host = host
        self.port = port
        self.app = create_app(self.sandbox)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def api_url(self) -> str:
        """The v3 API base (what c66tui speaks by default)."""
        return f"{self.base_url}/api/3"

    @property
    def api3_url(self) -> str:
        return f"{self.base_url}/api/3"

    @property
    def api2_url(self) -> str:
        """The legacy v2 base: only the legacy surface is served there."""
        return f"{self.base_url}/api/2"

    def start(self, timeout: float = 10.0) -> SandboxServer:
        """Start serving; returns once the socket is bound."""
        server = uvicorn.Server(_uvicorn_config(self.app, self.host, self.port))
        thread = threading.Thread(target=server.run, name="c66tui-sandbox", daemon=True)
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError(f"sandbox server failed to start on {self.host}:{self.port}")
            if time.monotonic() > deadline:
                server.should_exit = True
                raise RuntimeError("sandbox server did not start in time")
            time.sleep(0.005)
        self.port = server.servers[0].sockets[0].getsockname()[1]
        self._server, self._thread = server, thread
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving and wait for the thread (bounded)."""
        if self._server is None:
            return
        self._server.should_exit = True
        self._server.force_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        self._server = self._thread = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def print_banner(base_url: str, sandbox: Sandbox, file: TextIO | None = None) -> None:
    """What a newcomer needs to log in against a running sandbox."""
    out = file or sys.stdout
    cfg = sandbox.config
    callback = OOB if OOB in cfg.redirect_uris or not cfg.redirect_uris else cfg.redirect_uris[0]
    authorize = (
        f"{base_url}/oauth/authorize?client_id={cfg.client_id}"
        f"&redirect_uri={quote(callback, safe=':/')}&response_type=code"
        "&scope=public+redeploy+jobs+users+admin"
    )
    if callback == OOB:
        approve = [
            '     or approve with curl (the code is in <code id="auth-code">):',
            f"     curl -s -d decision=allow -d client_id={cfg.client_id} -d response_type=code \\",
            f"       -d redirect_uri={OOB} -d 'scope=public redeploy jobs users admin' \\",
            f"       {base_url}/oauth/authorize | grep -o 'auth-code\">[^<]*'",
        ]
    else:
        approve = [
            "     or approve with curl (the code is in the address it redirects to):",
            "     curl -s -o /dev/null -w '%{redirect_url}\\n' -d decision=allow \\",
            f"       -d client_id={cfg.client_id} -d response_type=code \\",
            f"       -d redirect_uri={callback} -d 'scope=public redeploy jobs users admin' \\",
            f"       {base_url}/oauth/authorize",
        ]
    registered = [
        f"  OAuth callback   {', '.join(app.callbacks)}"
        + ("" if app.client_id == cfg.client_id else f"   (client id {app.client_id})")
        for app in cfg.clients.values()
    ]
    lines = [
        "c66tui sandbox: a local emulator of the Cloud 66 API (not the real service)",
        "",
        f"  API base URL     {base_url}/api/3   (legacy v2 surface: {base_url}/api/2)",
        f"  OAuth client id  {cfg.client_id}",
        f"  OAuth secret     {cfg.client_secret}",
        *registered,
        f"  Demo token       {sandbox.DEMO_TOKEN}   (all scopes, {cfg.user_email})",
        f"  Stacks           {len(sandbox.stacks)} (seed {cfg.seed}); deploying: {DEPLOYING_STACK},"
        f" failed: {FAILED_STACK}, maintenance: {MAINTENANCE_STACK}",
        "",
        "Log in:",
        "  1. Open the authorize URL in a browser and press Approve:",
        f"     {authorize}",
        *approve,
        "  2. Exchange the code:",
        "     curl -s -H 'Accept: application/json' -d grant_type=authorization_code \\",
        f"       -d client_id={cfg.client_id} -d client_secret={cfg.client_secret} \\",
        f"       -d redirect_uri={callback} -d code=CODE {base_url}/oauth/token",
        "  3. List stacks:",
        f"     curl -s -H 'Authorization: Bearer TOKEN' {base_url}/api/3/stacks.json",
        "",
        "  Or point c66tui at it:",
        f"     C66TUI_API_URL={base_url}/api/3 CLOUD66_TOKEN={sandbox.DEMO_TOKEN} c66tui",
        f"  Control endpoints under {base_url}/_sandbox/",
        "     (requests, tokens, faults, advance, finish, reset, fail-next, info)",
    ]
    if cfg.latency_ms:
        lines.append(f"  Added latency    {cfg.latency_ms} ms per request")
    print("\n".join(lines), file=out, flush=True)


def serve(
    config: SandboxConfig | None = None,
    host: str = "127.0.0.1",
    port: int = 8066,
    *,
    file: TextIO | None = None,
) -> None:
    """Serve the sandbox until interrupted (Ctrl+C), printing the banner once bound."""
    sandbox = Sandbox(config or SandboxConfig())
    server = uvicorn.Server(_uvicorn_config(create_app(sandbox), host, port, "info"))
    out = file or sys.stdout
    if not is_loopback(host):
        print(
            f"warning: serving on {host}, which is not a loopback address; the sandbox has "
            "no real security and its control endpoints are open",
            file=out,
        )

    original_startup = server.startup

    async def startup(sockets=None) -> None:
        await original_startup(sockets=sockets)
        if server.started and server.servers:
            bound = server.servers[0].sockets[0].getsockname()
            shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
            print_banner(f"http://{shown}:{bound[1]}", sandbox, out)

    server.startup = startup  # type: ignore[method-assign]
    server.run()
