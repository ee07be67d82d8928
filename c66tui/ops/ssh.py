"""Which server, as which user, and the exact ``ssh`` command line to reach it.

* :func:`resolve_server` picks a server as cx does: an address, an exact name, a
  case-insensitive name or unique name prefix, else a role (the first server with it).
* :func:`server_address` / :func:`server_user` read and check what Cloud 66 said: both end
  up on ssh's command line, so anything that is not a plain host name, address or user
  name is refused (a hostile ``-oProxyCommand=...`` never reaches ssh).
* :func:`build_command` is the whole command: the key alone (no agent keys, no
  ``~/.ssh/config`` identities), c66tui's own known-hosts file with
  ``StrictHostKeyChecking=ask`` (the first connection shows the fingerprint and asks; a
  changed key is refused by OpenSSH), the port, then the remote command if any.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from c66tui.api.models import Server

DEFAULT_PORT = 22
PORT_ENV = "C66TUI_SSH_PORT"
"""Environment variable naming the port ssh connects to (and the lease opens); 22 unless
set. The sandbox's ``--ssh-port`` servers need it."""
HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*$")
USERNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,31}$")


class ServerNotResolved(Exception):
    """No server, or more than one, answers to the name given; the message says which."""


@dataclass(frozen=True)
class SshTarget:
    """Everything ssh needs for one session."""

    user: str
    host: str
    port: int
    key_path: Path
    known_hosts: Path
    command: tuple[str, ...] = field(default=())


def ssh_binary() -> str | None:
    """The ``ssh`` executable on PATH, or ``None``."""
    return shutil.which("ssh")


def default_port() -> int:
    """The port from ``C66TUI_SSH_PORT`` (22 when unset); ValueError when it is not one."""
    text = os.environ.get(PORT_ENV, "").strip()
    return checked_port(text) if text else DEFAULT_PORT


def checked_port(value: object) -> int:
    """``value`` as a TCP port number; ValueError otherwise."""
    try:
        port = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise ValueError(f"{port} is not a port number (1-65535)")
    return port


def server_address(server: Server) -> str:
    """The address to connect to (``address``, else ``ext_ipv4``), or ``""`` when Cloud 66
    gave none or gave something that is neither an IP address nor a host name."""
    for candidate in (server.address, server.ext_ipv4):
        text = (candidate or "").strip()
        if text and _plain_host(text):
            return text
    return ""


def _plain_host(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return bool(HOSTNAME.match(text))


def server_user(server: Server) -> str:
    """The login user Cloud 66 names (``user_name``), or ``""`` when absent or odd."""
    text = str(server.raw.get("user_name") or "").strip()
    return text if USERNAME.match(text) else ""


def resolve_server(servers: Sequence[Server], query: str | None) -> Server:
    """The server ``query`` names; with no query, the only server of the stack."""
    servers = list(servers)
    if not servers:
        raise ServerNotResolved("this stack has no servers")
    if not query:
        if len(servers) == 1:
            return servers[0]
        names = ", ".join(sorted(s.name for s in servers))
        raise ServerNotResolved(f"this stack has {len(servers)} servers; name one of: {names}")
    wanted = query.strip()
    by_address = [s for s in servers if wanted in (s.address, s.ext_ipv4, s.int_ipv4)]
    if by_address:
        return by_address[0]
    for test in (
        lambda s: s.name == wanted,
        lambda s: s.name.casefold() == wanted.casefold(),
        lambda s: s.uid == wanted,
    ):
        found = [s for s in servers if test(s)]
        if len(found) == 1:
            return found[0]
    prefixed = [s for s in servers if s.name.casefold().startswith(wanted.casefold())]
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        names = ", ".join(sorted(s.name for s in prefixed))
        raise ServerNotResolved(f"{wanted!r} matches several servers: {names}")
    in_role = [s for s in servers if wanted.casefold() in (r.casefold() for r in s.server_roles)]
    if in_role:
        return in_role[0]
    raise ServerNotResolved(f"no server is named {wanted!r} or has that role")


def build_command(ssh: str, target: SshTarget) -> list[str]:
    """The argv that runs ssh for ``target`` (nothing from the user's ssh identities)."""
    options = {
        "IdentitiesOnly": "yes",
        "IdentityAgent": "none",
        "UserKnownHostsFile": str(target.known_hosts),
        "GlobalKnownHostsFile": "/dev/null",
        "StrictHostKeyChecking": "ask",
        "UpdateHostKeys": "no",
        "PasswordAuthentication": "no",
        "KbdInteractiveAuthentication": "no",
        "ForwardAgent": "no",
        "ConnectTimeout": "20",
    }
    argv = [ssh, "-i", str(target.key_path), "-p", str(target.port)]
    for name, value in options.items():
        argv += ["-o", f"{name}={value}"]
    argv += ["-l", target.user, "--", target.host]
    argv += list(target.command)
    return argv
