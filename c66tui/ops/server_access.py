"""Getting onto a server: the checks, the lease, the key, the ssh session, in that order.

Shared by the stack detail's ``s`` and ``c66tui ssh``:

1. :func:`refusal` says in one plain sentence why nothing may be sent (no ssh program, a
   read-only profile, no ``admin`` scope, a server without an address or user); the caller
   sends nothing then.
2. :func:`prepare` opens the lease (journalled, see :mod:`.lease`), fetches the server key
   (Cloud 66 e-mails the account's users when it is fetched) and writes it to a private
   key file (:mod:`.keyfile`). Any failure raises :class:`AccessError` with a plain message
   and what kind of failure it was; the key file never outlives it.
3. :func:`run_session` runs ssh in the foreground and deletes the key when ssh ends,
   however it ends.
"""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from c66tui.api.errors import (
    AuthenticationError,
    Cloud66Error,
    MissingScopeError,
    NetworkError,
    OutcomeUnknownError,
)
from c66tui.api.models import Server, Stack
from c66tui.ops import keyfile, known_hosts
from c66tui.ops.lease import DEFAULT_MINUTES, LeaseRequest, LeaseResult, open_lease
from c66tui.ops.ssh import SshTarget, build_command, server_address, server_user, ssh_binary
from c66tui.text import sanitize

FAILED, SCOPE, UNKNOWN, UNREACHABLE = "failed", "scope", "unknown", "unreachable"
EMAIL_NOTICE = "Cloud 66 e-mails the account's users whenever a server key is fetched."


class AccessError(Exception):
    """A step failed; ``kind`` is ``failed``, ``scope``, ``unknown`` or ``unreachable``."""

    def __init__(self, message: str, kind: str = FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


@dataclass
class Prepared:
    """A session ready to start: the ssh argv and the key file it uses."""

    server: Server
    target: SshTarget
    argv: list[str]
    key: keyfile.KeyFile
    lease: LeaseResult


def general_refusal(services: Any, ssh: str | None = None) -> str | None:
    """Why nothing may be sent to reach any server (ssh missing, read-only, no scope)."""
    if getattr(services, "demo", False):
        return (
            "The demo's servers are simulated, so there is nothing to log in to "
            "(c66tui sandbox --ssh-port points a sandbox's servers at a real sshd)."
        )
    if (ssh or ssh_binary()) is None:
        return "There is no ssh program on this machine; install the OpenSSH client first."
    if services.read_only:
        return (
            "This profile is read-only, and getting onto a server opens the firewall, "
            "which is a change."
        )
    if services.permission("admin", write=False):
        return (
            "Getting onto a server needs the 'admin' scope (to fetch its key); "
            "log in again and grant it."
        )
    return None


def server_refusal(server: Server | None) -> str | None:
    """Why ``server`` cannot be reached (no server chosen, no address, no user)."""
    if server is None:
        return "Choose a server in the servers table first."
    name = sanitize(server.name) or "this server"
    if not server_address(server):
        return f"Cloud 66 has no address for {name}, so there is nothing to connect to."
    if not server_user(server):
        return f"Cloud 66 did not say which user logs in to {name}."
    return None


def refusal(services: Any, server: Server | None, ssh: str | None = None) -> str | None:
    """Why nothing may be sent for ``server``, as one sentence; ``None`` when all is well."""
    return general_refusal(services, ssh) or server_refusal(server)


def error_for(error: Cloud66Error, what: str) -> AccessError:
    """The :class:`AccessError` for an API failure while trying to ``what``."""
    text = sanitize(str(error))
    if isinstance(error, MissingScopeError | AuthenticationError):
        return AccessError(f"Cloud 66 refused to {what}: {text}", SCOPE)
    if isinstance(error, OutcomeUnknownError):
        return AccessError(f"The answer to {what} was lost: {text}", UNKNOWN)
    if isinstance(error, NetworkError):
        return AccessError(f"Cloud 66 could not be reached to {what}: {text}", UNREACHABLE)
    return AccessError(f"Cloud 66 could not {what}: {text}", FAILED)


async def prepare(
    services: Any,
    stack: Stack,
    server: Server,
    *,
    port: int,
    minutes: int = DEFAULT_MINUTES,
    command: Sequence[str] = (),
    on_step: Callable[[str], None] | None = None,
) -> Prepared:
    """Open the lease, fetch the key, write it; see the module docstring."""
    say = on_step or (lambda _text: None)
    ssh = ssh_binary()
    reason = refusal(services, server, ssh)
    if reason:
        raise AccessError(reason, SCOPE if "scope" in reason else FAILED)
    host, user = server_address(server), server_user(server)
    say(f"Opening the firewall to {host} port {port} for {minutes} minutes…")
    request = LeaseRequest(stack.uid, stack.name, port, minutes, "AUTO", server.uid)
    try:
        lease = await open_lease(services, request, on_step=say)
    except OSError as error:
        message = f"Nothing was sent: the journal could not be written ({error})."
        raise AccessError(message) from None
    except Cloud66Error as error:
        raise error_for(error, "open the firewall") from None
    if lease.outcome == "unknown":
        said = lease.message.rstrip(".")
        again = "" if "not sent again" in said.lower() else "; it was not sent again"
        raise AccessError(
            f"Whether the firewall opened is unknown ({said}){again}. See the journal.",
            UNKNOWN,
        )
    if isinstance(lease.error, MissingScopeError):
        services.note_missing_scope(lease.error)
    if isinstance(lease.error, MissingScopeError | AuthenticationError | NetworkError):
        raise error_for(lease.error, "open the firewall")
    if not lease.ok:
        raise AccessError(f"Cloud 66 refused the lease: {lease.message}", FAILED)
    say(f"Fetching the key of {sanitize(server.name)}…")
    try:
        secret = await services.api.get_server_key(stack.uid, server.uid)
    except MissingScopeError as error:
        services.note_missing_scope(error)
        raise error_for(error, "hand out the server key") from None
    except Cloud66Error as error:
        raise error_for(error, "hand out the server key") from None
    keyfile.install_signal_cleanup()
    try:
        key = keyfile.KeyFile(secret)
    except OSError as error:
        message = f"The server key could not be written to a private file: {error}"
        raise AccessError(message) from None
    target = SshTarget(
        user=user,
        host=host,
        port=port,
        key_path=key.path,
        known_hosts=known_hosts.ensure_file(),
        command=tuple(command),
    )
    return Prepared(server, target, build_command(ssh, target), key, lease)


def run_session(prepared: Prepared) -> int:
    """Run ssh in the foreground; delete the key when it ends. Returns ssh's exit status
    (128 + N when a signal N ended it). A SIGHUP or SIGTERM for this process meanwhile is
    passed on to ssh (see :mod:`.keyfile`)."""
    try:
        try:
            child = subprocess.Popen(prepared.argv)
        except OSError as error:
            raise AccessError(f"ssh could not be started: {error}", FAILED) from None
        with keyfile.signals_passed_to(child.pid):
            try:
                status = child.wait()
            except BaseException:  # a signal handler ended the wait: ssh ends too
                child.kill()
                child.wait()
                raise
    finally:
        prepared.key.remove()
    return 128 - status if status < 0 else status


def describe_status(status: int) -> str:
    """ssh's exit status in words."""
    if status == 0:
        return "ssh ended normally (exit status 0)"
    if status == 255:
        return "ssh could not connect or log in (exit status 255)"
    if status > 128:
        try:
            name = signal.Signals(status - 128).name
        except ValueError:
            name = f"signal {status - 128}"
        return f"ssh was stopped by {name} (exit status {status})"
    return f"ssh ended with exit status {status}"
