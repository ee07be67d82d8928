"""``s`` on a server: confirm, open the lease, fetch the key, hand the terminal to ssh.

The decisions live in :mod:`c66tui.ops.server_access`; this module asks and shows. Every
refusal (no ssh program, read-only profile, missing scope, a server without an address) is
one notification and nothing is sent. After the confirmation, which says that Cloud 66
e-mails the account's users when the key is fetched, each step is shown as it happens; then
the app is suspended (``App.suspend``), the system ssh runs in the terminal, and the app
comes back on the same screen with ssh's exit status. The key file is gone by then.
"""

from __future__ import annotations

import sys
from typing import Any

from rich.text import Text
from textual.app import SuspendNotSupported

from c66tui.api.models import Server, Stack
from c66tui.api.redaction import redact
from c66tui.ops import server_access
from c66tui.ops.lease import DEFAULT_MINUTES
from c66tui.ops.ssh import default_port, server_address, server_user
from c66tui.text import sanitize
from c66tui.ui.context import services_of
from c66tui.ui.dialogs.confirm import ConfirmDialog

FLIGHT = "ssh:{uid}"
"""The single-flight key of one server's log-in (a second ``s`` meanwhile is ignored)."""


def refuse(node: Any, message: str) -> None:
    """Say why nothing was sent, in one sentence."""
    node.app.notify(message, title="Not connecting", severity="warning", markup=False)


def begin(node: Any, stack: Stack, server: Server | None) -> None:
    """Start the flow for ``server`` from the widget ``node`` (refusals are immediate)."""
    services = services_of(node.app)
    reason = server_access.refusal(services, server)
    if reason:
        refuse(node, reason)
        return
    try:
        port = default_port()
    except ValueError as error:
        refuse(node, f"C66TUI_SSH_PORT is not usable: {error}.")
        return
    key = FLIGHT.format(uid=server.uid or server.name)
    if services.is_in_flight(key):
        refuse(node, f"Already connecting to {sanitize(server.name)}.")
        return
    # The app owns the worker: leaving the screen must not cancel a lease on the wire.
    node.app.run_worker(
        _flow(node, stack, server, port, key), group=f"ssh-{server.uid}", exit_on_error=False
    )


def confirmation(stack: Stack, server: Server, port: int) -> ConfirmDialog:
    """The question asked before anything is sent."""
    who = Text()
    who.append(f"{server_user(server)}@{server_address(server)}", style="bold")
    who.append(f"  port {port} · {sanitize(server.name)} of {sanitize(stack.name)}")
    return ConfirmDialog(
        "Log in to this server?",
        [
            who,
            f"Opens the firewall to this machine for {DEFAULT_MINUTES} minutes (journalled).",
            f"Fetches the server's key: {server_access.EMAIL_NOTICE}",
            "The key is kept in a private file that is deleted when ssh ends.",
        ],
        confirm_label="Connect",
    )


async def _flow(node: Any, stack: Stack, server: Server, port: int, key: str) -> None:
    try:
        await _steps(node, stack, server, port, key)
    except Exception as error:  # noqa: BLE001 - say so instead of failing silently
        text = sanitize(redact(f"{type(error).__name__}: {error}"))
        node.app.notify(f"Could not log in: {text}", severity="error", markup=False)


async def _steps(node: Any, stack: Stack, server: Server, port: int, key: str) -> None:
    app = node.app
    services = services_of(app)
    if not await app.push_screen_wait(confirmation(stack, server, port)):
        return

    def step(text: str) -> None:
        app.notify(text, title="SSH", timeout=6, markup=False)

    async with services.single_flight(key):
        try:
            prepared = await server_access.prepare(services, stack, server, port=port, on_step=step)
        except server_access.AccessError as error:
            app.notify(error.message, title="Not connected", severity="error", markup=False)
            return
        try:
            status = hand_over(app, prepared)
        except server_access.AccessError as error:
            app.notify(error.message, title="Not connected", severity="error", markup=False)
            return
    severity = "information" if status == 0 else "warning"
    text = f"{sanitize(server.name)}: {server_access.describe_status(status)}."
    app.notify(text, title="Back from ssh", severity=severity, markup=False, timeout=10)


def hand_over(app: Any, prepared: server_access.Prepared) -> int:
    """Suspend the app, run ssh in the terminal, resume; returns ssh's exit status."""
    target = prepared.target
    try:
        with app.suspend():
            sys.stderr.write(
                f"c66tui: connecting to {target.user}@{target.host} port {target.port}; "
                "c66tui comes back when ssh ends.\n"
            )
            sys.stderr.flush()
            return server_access.run_session(prepared)
    except SuspendNotSupported:
        raise server_access.AccessError(
            "This terminal cannot be handed over to ssh; use c66tui ssh from a shell."
        ) from None
    finally:
        prepared.key.remove()
