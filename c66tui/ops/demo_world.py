"""The demo's world: an in-process sandbox standing in for Cloud 66.

:class:`DemoWorld` starts the sandbox (Starlette) and an httpx transport to it when first
used, which is after the app's first frame: a demo started before shows the list it
cached without waiting for either. :func:`approve_in_sandbox` plays the browser of the
login flow (open the authorize URL, press Approve, read the code).
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

if TYPE_CHECKING:
    import httpx
    from starlette.applications import Starlette

    from c66tui.api.client import Cloud66Client
    from c66tui.api.secret import Secret
    from c66tui.sandbox import Sandbox, SandboxConfig

_CODE = re.compile(r"id=[\"']auth-code[\"']>([^<]+)<")


async def approve_in_sandbox(transport: httpx.AsyncBaseTransport, authorize_url: str) -> str:
    """Do what the user would do in a browser: open the URL, press Approve; return the
    code the sandbox shows."""
    import httpx  # deferred: the demo's first frame comes before the HTTP stack

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
    def asgi(self) -> Starlette:
        """The sandbox's ASGI app (builds the world, replaying the demo's earlier changes)."""
        from c66tui.sandbox import create_app  # deferred: Starlette after the first frame

        return create_app(config=self.config)

    @cached_property
    def transport(self) -> httpx.AsyncBaseTransport:
        """An httpx transport that calls the sandbox in this process (no socket)."""
        import httpx  # deferred: the demo's first frame comes before the HTTP stack

        return httpx.ASGITransport(app=self.asgi)

    @property
    def sandbox(self) -> Sandbox:
        return self.asgi.state.sandbox

    def client(self, api_url: str, token: Secret) -> Cloud66Client:
        """The app's API client, talking to the sandbox."""
        from c66tui.api.client import Cloud66Client  # deferred: loads httpx

        return Cloud66Client(api_url, token, transport=self.transport)

    async def approve(self, authorize_url: str) -> str:
        """Play the browser for the login flow (see :func:`approve_in_sandbox`)."""
        return await approve_in_sandbox(self.transport, authorize_url)
