"""``c66tui sandbox``: serve the local Cloud 66 emulator on a loopback address.

The parser (in :mod:`c66tui.cli`) imports this module only when the command runs: it
loads Starlette and uvicorn.
"""

from __future__ import annotations

import argparse
import ipaddress

from c66tui.commands.exit_codes import OK, USAGE
from c66tui.commands.output import error
from c66tui.sandbox import SandboxConfig
from c66tui.sandbox.oauth_clients import registrations_from_flags
from c66tui.sandbox.server import serve
from c66tui.sandbox.ssh_keys import generate_keypair, write_authorized_keys


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback IP addresses."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cmd_sandbox(args: argparse.Namespace) -> int:
    """Serve the Cloud 66 emulator (loopback only unless ``--allow-remote``)."""
    if not is_loopback(args.host) and not args.allow_remote:
        error(
            f"refusing to serve the sandbox on {args.host}: it accepts any request and "
            "hands out tokens. Use 127.0.0.1, or add --allow-remote if you really mean it."
        )
        return USAGE
    secret = getattr(args, "client_secret", None) or SandboxConfig.client_secret
    try:
        client_id, callbacks, extra = registrations_from_flags(
            getattr(args, "oauth_flags", None) or [], SandboxConfig.client_id, secret
        )
    except ValueError as exc:
        error(str(exc))
        return USAGE
    config = SandboxConfig(
        seed=args.seed,
        stacks=args.stacks,
        latency_ms=args.latency_ms,
        deploy_seconds=args.deploy_seconds,
        state_file=getattr(args, "state_file", None),
        client_id=client_id,
        client_secret=secret,
        redirect_uris=callbacks,
        extra_clients=extra,
        **_sandbox_ssh(args),
    )
    serve(config, args.host, args.port)
    return OK


def _sandbox_ssh(args: argparse.Namespace) -> dict:
    """``--ssh-port`` / ``--ssh-authorized-keys``: a real key pair, its public half in FILE."""
    port, keys_file = getattr(args, "ssh_port", None), getattr(args, "ssh_authorized_keys", None)
    if port is None and keys_file is None:
        return {}
    private, public = generate_keypair()
    if keys_file:
        write_authorized_keys(keys_file, public)
        print(f"Server key: its public half is in {keys_file}", flush=True)
    if port:
        print(f"Servers: 127.0.0.1 port {port}; run c66tui with C66TUI_SSH_PORT={port}", flush=True)
    return {"ssh_port": port, "ssh_private_key": private}
