"""API routes: firewall rules and leases, and server SSH keys, per generation.

Resource API (``/api/3`` only; help-api ``_firewall_rules.md`` and ``_servers.md``):

* ``GET /stacks/{uid}/firewalls`` and ``/firewalls/{id}`` (public): the rules, leases
  included until their ``ttl`` runs out.
* ``POST /stacks/{uid}/firewalls`` (admin): ``port`` required, ``protocol`` (1 TCP, 2 UDP,
  3 ICMP) required unless ``ttl`` makes it a lease (the official Go library's lease sends
  ``ttl``, ``from_ip: AUTO``, ``port`` and ``server_id`` only); one of the from/to fields;
  ``from_ip`` may be ``AUTO`` only with ``ttl``. Answers an ``open_lease`` action that adds
  the rule when it finishes (an injected ``action`` failure makes it fail).
* ``GET /stacks/{uid}/servers/{server_uid}?include_private_key=1`` adds
  ``ssh_private_key`` (the Go library's field). The key gives a shell on the server, so the
  sandbox asks for ``admin`` here as the legacy page does.

Legacy API (``/api/2`` only; help-old ``_posts/api/stack/2008-12-15-lease.md`` and
``server/2004-09-28-ssh_private_key.md``):

* ``POST /stacks/{uid}/lease`` (admin): ``time_to_open`` (minutes, default 20, at most
  240), ``ip_address`` (default: the caller), answered ``{ok, message}`` at once; an
  injected ``action`` failure answers the documented 400 "Unable to allow...".
* ``GET /servers/{server_uid}/ssh_private_key`` (admin): ``{ok, private_key}``.

With ``SandboxConfig.ssh_port`` set, every server rendered by the server routes gets the
address ``127.0.0.1`` and the login user ``ssh_user`` (default: whoever runs the
sandbox), so a real sshd on loopback can be reached (see :mod:`.ssh_keys`).
"""

from __future__ import annotations

import getpass
import ipaddress
from dataclasses import dataclass
from typing import Any

from c66tui.sandbox.envelope import (
    ApiError,
    bad_request,
    iso_z,
    not_found,
    single,
)
from c66tui.sandbox.routing import API, LEGACY, Ctx
from c66tui.sandbox.ssh_keys import PLACEHOLDER_KEY

LOOPBACK = "127.0.0.1"
PROTOCOLS = {1: "tcp", 2: "udp", 3: "icmp"}
MAX_LEASE_MINUTES = 240
SERVER_ROUTES = (
    "/stacks/{uid}/servers",
    "/stacks/{uid}/servers/{server_uid}",
    "/stacks/{uid}/server_groups/{id}/servers",
    "/stacks/{uid}/server_groups/{id}/servers/{server_uid}",
)


@dataclass
class RuleRec:
    id: int
    from_ip: str | None
    to_server_uid: str | None
    protocol: str
    port: int
    created_at: float
    expires_at: float | None = None

    def to_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "from_ip": self.from_ip,
            "from_group_id": None,
            "from_server_id": None,
            "to_ip": None,
            "to_group_id": None,
            "to_server_id": None,
            "protocol": self.protocol,
            "port": self.port,
            "rule_type": "dynamic" if self.expires_at is not None else "user",
            "comments": None,
            "created_at": iso_z(self.created_at),
            "updated_at": iso_z(self.created_at),
        }


_rules: dict[str, tuple[object, list[RuleRec]]] = {}
"""Firewall rules per stack uid, tied to the stack's current details (a reset clears them)."""


def _stack_rules(ctx: Ctx, stack) -> list[RuleRec]:
    details = ctx.sandbox.details(stack)
    held = _rules.get(stack.uid)
    if held is None or held[0] is not details:
        held = _rules[stack.uid] = (details, [])
    now = ctx.sandbox.now()
    held[1][:] = [r for r in held[1] if r.expires_at is None or r.expires_at > now]
    return held[1]


def _only(ctx: Ctx, version: str) -> None:
    """404 as for an unknown route when the request is not under ``/api/<version>``."""
    if ctx.api_version and ctx.api_version != version:
        raise ApiError(404, "Not found", details=f"No such resource: {ctx.path}")


def _need(ctx: Ctx, scope: str) -> None:
    if ctx.token is None or not ctx.token.has(scope):
        raise ApiError(
            403,
            f"The access token lacks the '{scope}' scope",
            details=f"This call needs the {scope} scope",
            headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
        )


def _int(ctx: Ctx, name: str, low: int, high: int, *, required: bool = False) -> int | None:
    text = ctx.text(name, required=required)
    if text is None or text == "":
        if required:
            raise bad_request(f"Missing parameter: {name}", f"'{name}' is required")
        return None
    if not text.strip().isdigit() or not low <= int(text) <= high:
        raise bad_request(f"Invalid parameter: {name}", f"'{name}' must be {low} to {high}")
    return int(text)


def _server_by_uid(ctx: Ctx, uid: str):
    for stack in ctx.sandbox.ordered_stacks():
        for server in ctx.sandbox.details(stack).servers:
            if server.uid == uid:
                return stack, server
    raise not_found("Server", uid)


def _private_key(ctx: Ctx) -> str:
    return ctx.sandbox.config.ssh_private_key or PLACEHOLDER_KEY


def _caller_ip(ctx: Ctx, given: str | None) -> str:
    if not given or given.upper() == "AUTO":
        return LOOPBACK  # every sandbox caller is on loopback
    try:
        return str(ipaddress.ip_network(given.strip(), strict=False).network_address)
    except ValueError:
        raise bad_request(
            "Unable to allow a temporary SSH connection",
            f"are you sure this IP address is correct: '{given}'?",
        ) from None


@API.route("GET", "/stacks/{uid}/firewalls")
def list_rules(ctx: Ctx):
    _only(ctx, "3")
    rules = _stack_rules(ctx, ctx.stack())
    return ctx.listed(rules)


@API.route("GET", "/stacks/{uid}/firewalls/{id}")
def get_rule(ctx: Ctx):
    _only(ctx, "3")
    for rule in _stack_rules(ctx, ctx.stack()):
        if str(rule.id) == ctx.params["id"]:
            return single(rule.to_api())
    raise not_found("Firewall rule", ctx.params["id"])


@API.route("POST", "/stacks/{uid}/firewalls", scope="admin")
def add_rule(ctx: Ctx):
    _only(ctx, "3")
    stack = ctx.stack()
    ttl = _int(ctx, "ttl", 1, MAX_LEASE_MINUTES)
    port = _int(ctx, "port", 1, 65535, required=True)
    protocol = _int(ctx, "protocol", 1, 3, required=ttl is None) or 1
    from_ip = ctx.text("from_ip")
    if from_ip and from_ip.upper() == "AUTO" and ttl is None:
        raise bad_request("Invalid parameter: from_ip", "AUTO is only allowed with ttl")
    ends = ("from_ip", "from_group_id", "from_server_id", "to_ip", "to_group_id", "to_server_id")
    if not any(ctx.text(name) for name in ends):
        raise bad_request("Missing parameter", "one of the from/to parameters is required")
    address = _caller_ip(ctx, from_ip) if from_ip else None
    server_uid = ctx.text("server_id") or None
    if server_uid and not any(s.uid == server_uid for s in ctx.sandbox.details(stack).servers):
        raise not_found("Server", server_uid)
    rules = _stack_rules(ctx, stack)

    def effect(at: float) -> str:
        expires = at + ttl * 60 if ttl else None
        rule_id = 5000 + stack.index * 100 + len(rules) + 1
        rules.append(RuleRec(rule_id, address, server_uid, PROTOCOLS[protocol], port, at, expires))
        if ttl:
            return f"{address} is allowed to connect to {stack.name} for {ttl} minute(s)."
        return f"Firewall rule added for port {port}"

    action = ctx.sandbox.start_action(stack, "open_lease", user=ctx.user, effect=effect)
    return single(action.to_api())


@LEGACY.route("POST", "/stacks/{uid}/lease", scope="admin")
def legacy_lease(ctx: Ctx):
    _only(ctx, "2")
    stack = ctx.stack()
    try:
        minutes = _int(ctx, "time_to_open", 1, MAX_LEASE_MINUTES) or 20
    except ApiError:
        raise bad_request("Invalid lease time", "Invalid time_to_open") from None
    port = _int(ctx, "port", 1, 65535) or 22
    address = _caller_ip(ctx, ctx.text("ip_address"))
    failure = ctx.sandbox._take_failure(stack.uid, "action")
    if failure is not None:
        raise bad_request("Unable to allow a temporary SSH connection", failure)
    now = ctx.sandbox.now()
    rules = _stack_rules(ctx, stack)
    rule_id = 5000 + stack.index * 100 + len(rules) + 1
    rules.append(RuleRec(rule_id, address, None, "tcp", port, now, now + minutes * 60))
    message = f"{address} is allowed to connect to {stack.name} for {minutes} minute(s)."
    return single({"ok": True, "message": message})


@LEGACY.route("GET", "/servers/{server_uid}/ssh_private_key", scope="admin")
def legacy_ssh_key(ctx: Ctx):
    _only(ctx, "2")
    _server_by_uid(ctx, ctx.params["server_uid"])
    return single({"ok": True, "private_key": _private_key(ctx)})


# -- the server routes: reachable servers, and the key on request ----------------------


def _reachable(ctx: Ctx, data: dict) -> dict:
    config = ctx.sandbox.config
    if config.ssh_port:
        data["address"] = data["ext_ipv4"] = LOOPBACK
        data["params"] = {**(data.get("params") or {}), "ips": [LOOPBACK]}
        data["user_name"] = config.ssh_user or getpass.getuser()
    return data


def _wrap(handler, with_key: bool):
    def serve(ctx: Ctx):
        wants_key = with_key and (ctx.text("include_private_key") or "").strip() == "1"
        if wants_key:
            _only(ctx, "3")
            _need(ctx, "admin")
        body = handler(ctx)
        items = body.get("response") if isinstance(body, dict) else None
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, dict):
                _reachable(ctx, item)
                if wants_key:
                    item["ssh_private_key"] = _private_key(ctx)
        return body

    serve.__name__ = getattr(handler, "__name__", "serve")
    return serve


def install() -> None:
    """Wrap the server routes of both generations (once, after every route module is
    imported): loopback addresses in ssh mode, the key on request."""
    for route in (*API.routes, *LEGACY.routes):
        if route.method == "GET" and route.template in SERVER_ROUTES:
            if not getattr(route.handler, "_c66_access", False):
                with_key = route.template == "/stacks/{uid}/servers/{server_uid}"
                route.handler = _wrap(route.handler, with_key)
                route.handler._c66_access = True
