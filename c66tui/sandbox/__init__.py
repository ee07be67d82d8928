"""The Cloud 66 sandbox: an in-memory ASGI emulator of the API v2/v3 and its OAuth flow.

``from c66tui.sandbox import SandboxConfig, Sandbox, create_app``; serve it over a socket
with :class:`c66tui.sandbox.server.SandboxServer`. This package never imports Textual.
"""

from c66tui.sandbox.app import create_app
from c66tui.sandbox.config import SandboxConfig
from c66tui.sandbox.state import Sandbox

__all__ = ["Sandbox", "SandboxConfig", "create_app"]
