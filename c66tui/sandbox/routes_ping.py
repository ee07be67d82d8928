"""API routes (``/api/3`` only): the connectivity and authentication pings.

The official Go library (cloud66-oss/cloud66, ``ping.go``) checks the service with
``GET /ping.json`` (no token needed: is Cloud 66 reachable?) and ``GET /ping/auth.json``
(is the token accepted?). Both decode ``{"response": {"ok", "message"}}`` (its
``GenericResponse``). The plain ping is served before the token check; the
authenticated one goes through it, so a bad token gets the usual 401.
"""

from __future__ import annotations

from c66tui.sandbox.envelope import ack
from c66tui.sandbox.routing import API, OPEN_V3, Ctx

PING_PATH = "/ping"


def is_open(path: str) -> bool:
    """Whether this ``/api/3`` path is the tokenless ping (for any method, so a wrong one
    gets a 405 from the ping's own router rather than a 401)."""
    return path == PING_PATH


@OPEN_V3.route("GET", PING_PATH)
def ping(ctx: Ctx):
    return ack("pong")


@API.route("GET", "/ping/auth")
def ping_auth(ctx: Ctx):
    return ack("pong")
