"""``c66tui ssh`` and ``c66tui lease``: get onto a stack's server from a shell or a script.

``c66tui ssh -s STACK [SERVER] [-- COMMAND...]`` opens a firewall lease for this machine,
fetches the server's key (Cloud 66 e-mails the account's users), runs the system ssh with
it and deletes the key when ssh ends. SERVER is an address, a name, a unique name prefix or
a role (the first server with it); a stack with one server needs none.
``c66tui lease -s STACK [-p PORT] [-t MINUTES] [-f IP]`` opens the firewall alone.

Exit codes: 0 done, 1 failed (for ssh: it ended with a non-zero status, which is printed),
2 usage or a name that does not resolve, 3 not logged in or a scope missing, 4 outcome
unknown, 5 Cloud 66 unreachable. Steps go to standard error; ``--json`` prints a summary
on standard output. Nothing prompts without a terminal: pass ``--yes`` (and ``--host-key``
for a server c66tui has not seen yet).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from c66tui.commands.options import add_command

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_AUTH, EXIT_UNKNOWN, EXIT_UNREACHABLE = range(6)
KIND_EXIT = {"failed": EXIT_FAILED, "scope": EXIT_AUTH, "unknown": EXIT_UNKNOWN}
KIND_EXIT["unreachable"] = EXIT_UNREACHABLE


class Stop(Exception):
    """End the command with ``code`` after printing ``message``."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add ``ssh`` and ``lease`` to the subcommand parsers."""
    ssh = add_command(commands, "ssh", common, "log in to a server of a stack (lease, key, ssh)")
    ssh.add_argument("-s", "--stack", required=True, help="stack name, name prefix or uid")
    ssh.add_argument("-p", "--port", default=None, help="port to open and connect to")
    ssh.add_argument("-t", "--minutes", default="20", help="how long the lease lasts")
    ssh.add_argument("-y", "--yes", action="store_true", help="do not ask before fetching the key")
    ssh.add_argument(
        "--host-key",
        dest="host_key",
        metavar="SHA256:...",
        help="trust a server not seen before if its host key has this fingerprint",
    )
    ssh.add_argument("--json", action="store_true", help="print a JSON summary at the end")
    ssh.add_argument(
        "rest",
        nargs=argparse.REMAINDER,
        metavar="[SERVER] [-- COMMAND...]",
        help="server (name, prefix, role or address), then -- and a command to run",
    )
    lease = add_command(commands, "lease", common, "open the firewall of a stack for this machine")
    lease.add_argument("-s", "--stack", required=True, help="stack name, name prefix or uid")
    lease.add_argument("-p", "--port", default=None, help="port to open (default 22)")
    lease.add_argument("-t", "--minutes", default="20", help="minutes (1-240, default 20)")
    lease.add_argument("-f", "--from-ip", dest="from_ip", default="AUTO", help="address to allow")
    lease.add_argument("--json", action="store_true", help="print the outcome as JSON")
    for parser in (ssh, lease):
        parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``ssh`` or ``lease``; returns the exit status."""
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.ops import keyfile

    keyfile.sweep_stale()
    try:
        return run_ssh(args) if args.command == "ssh" else run_lease(args)
    except Stop as stop:
        _say(stop.message)
        return stop.code


# -- shared ------------------------------------------------------------------------------


def _say(message: str) -> None:
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.text import sanitize

    print(f"c66tui: {sanitize(message, single_line=False)}", file=sys.stderr, flush=True)


def _options(args: argparse.Namespace):
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.ops.lease import check_minutes
    from c66tui.ops.ssh import checked_port, default_port

    try:
        port = checked_port(args.port) if args.port else default_port()
        minutes = check_minutes(args.minutes)
    except ValueError as error:
        raise Stop(EXIT_USAGE, str(error)) from None
    return port, minutes


def _services(args: argparse.Namespace):
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.config import load_settings
    from c66tui.ops.services import AppServices

    settings = load_settings(args)
    if settings.token is None:
        raise Stop(EXIT_AUTH, "not logged in: run c66tui to log in, or set CLOUD66_TOKEN")
    services = AppServices(settings)
    services.scopes = services.starting_scopes()
    return services


def _api_failure(error: Exception, what: str) -> Stop:
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.ops.server_access import error_for

    failure = error_for(error, what)
    return Stop(KIND_EXIT.get(failure.kind, EXIT_FAILED), failure.message)


def resolve_stack(stacks: list, query: str):
    """The stack ``query`` names: uid, exact name, case-insensitive name, unique prefix."""
    wanted = query.strip()
    for test in (
        lambda s: s.uid == wanted,
        lambda s: s.name == wanted,
        lambda s: s.name.casefold() == wanted.casefold(),
    ):
        found = [s for s in stacks if test(s)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise Stop(EXIT_USAGE, f"several stacks are named {wanted!r}; give the uid")
    prefixed = [s for s in stacks if s.name.casefold().startswith(wanted.casefold())]
    if len(prefixed) == 1:
        return prefixed[0]
    if prefixed:
        names = ", ".join(sorted(s.name for s in prefixed)[:8])
        raise Stop(EXIT_USAGE, f"{wanted!r} matches several stacks: {names}")
    raise Stop(EXIT_USAGE, f"no stack is named {wanted!r}")


async def _find_stack(services: Any, query: str):
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.api.errors import Cloud66Error

    try:
        return resolve_stack(await services.api.list_stacks(), query)
    except Cloud66Error as error:
        raise _api_failure(error, "list the stacks") from None


def _split_rest(rest: list[str]) -> tuple[str | None, list[str]]:
    if "--" in rest:
        at = rest.index("--")
        head, command = rest[:at], rest[at + 1 :]
    else:
        head, command = rest, []
    if len(head) > 1:
        raise Stop(EXIT_USAGE, f"one server at most, then -- and the command (got {head})")
    if command and command[0].startswith("-"):
        raise Stop(EXIT_USAGE, "the command after -- must not start with '-' (ssh reads that)")
    return (head[0] if head else None), command


def _emit(args: argparse.Namespace, summary: dict) -> None:
    # deferred: the parser imports this module; what the command needs loads when it runs
    import json

    if getattr(args, "json", False):
        print(json.dumps(summary, ensure_ascii=False, sort_keys=True), flush=True)


# -- lease -------------------------------------------------------------------------------


def run_lease(args: argparse.Namespace) -> int:
    """``c66tui lease``."""
    # deferred: the parser imports this module; what the command needs loads when it runs
    import asyncio

    from c66tui.ops.lease import LeaseRequest, open_lease

    port, minutes = _options(args)
    services = _services(args)
    if services.read_only:
        raise Stop(EXIT_FAILED, "this profile is read-only; a lease is a change. Nothing sent.")
    if services.permission("admin", write=False):
        raise Stop(EXIT_AUTH, "a lease needs the 'admin' scope; log in again and grant it")

    async def lease() -> Any:
        try:
            await services.connect(services.token)
            stack = await _find_stack(services, args.stack)
            _say(f"Opening port {port} of {stack.name} to {args.from_ip} for {minutes} minutes…")
            request = LeaseRequest(stack.uid, stack.name, port, minutes, args.from_ip or "AUTO")
            try:
                result = await open_lease(services, request, on_step=_say)
            except OSError as error:
                raise Stop(EXIT_FAILED, f"the journal could not be written ({error})") from None
            return stack, result
        finally:
            await services.disconnect()

    stack, result = asyncio.run(lease())
    if result.error is not None:
        raise _api_failure(result.error, "open the firewall")
    _say(f"lease {result.outcome}: {result.message}")
    _emit(args, {"stack": stack.name, "stack_uid": stack.uid, **_lease_json(result)})
    return {"ok": EXIT_OK, "unknown": EXIT_UNKNOWN}.get(result.outcome, EXIT_FAILED)


def _lease_json(result) -> dict:
    return {"lease": {"outcome": result.outcome, "message": result.message}}


# -- ssh ---------------------------------------------------------------------------------


def _confirm(question: str) -> bool:
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def run_ssh(args: argparse.Namespace) -> int:
    """``c66tui ssh``."""
    # deferred: the parser imports this module; what the command needs loads when it runs
    import asyncio

    from c66tui.ops import known_hosts, server_access
    from c66tui.ops.ssh import ServerNotResolved, resolve_server, server_address

    port, minutes = _options(args)
    query, command = _split_rest(list(args.rest or []))
    services = _services(args)
    reason = server_access.general_refusal(services)
    if reason:
        raise Stop(EXIT_AUTH if "scope" in reason else EXIT_FAILED, reason + " Nothing was sent.")
    interactive = sys.stdin.isatty() and sys.stdout.isatty()

    async def prepare() -> Any:
        # deferred: the parser imports this module; what the command needs loads when it runs
        from c66tui.api.errors import Cloud66Error

        try:
            await services.connect(services.token)
            stack = await _find_stack(services, args.stack)
            try:
                servers = await services.api.list_servers(stack.uid)
            except Cloud66Error as error:
                raise _api_failure(error, "list the servers") from None
            try:
                server = resolve_server(servers, query)
            except ServerNotResolved as error:
                raise Stop(EXIT_USAGE, f"{stack.name}: {error}") from None
            problem = server_access.server_refusal(server)
            if problem:
                raise Stop(EXIT_FAILED, problem + " Nothing was sent.")
            host = server_address(server)
            if not known_hosts.is_known(host, port) and not interactive and not args.host_key:
                raise Stop(
                    EXIT_USAGE,
                    f"c66tui has not seen the host key of {host} yet and there is no terminal "
                    "to ask; pass --host-key SHA256:... (its fingerprint). Nothing was sent.",
                )
            _say(f"{server.name} ({host}) of {stack.name}. {server_access.EMAIL_NOTICE}")
            if not args.yes and not (interactive and _confirm("Fetch its key and connect?")):
                raise Stop(EXIT_USAGE, "not confirmed (pass --yes without a terminal)")
            try:
                prepared = await server_access.prepare(
                    services,
                    stack,
                    server,
                    port=port,
                    minutes=minutes,
                    command=command,
                    on_step=_say,
                )
            except server_access.AccessError as error:
                raise Stop(KIND_EXIT.get(error.kind, EXIT_FAILED), error.message) from None
            return stack, prepared
        finally:
            await services.disconnect()

    stack, prepared = asyncio.run(prepare())
    return _connect(args, stack, prepared)


def _connect(args: argparse.Namespace, stack: Any, prepared: Any) -> int:
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.ops import known_hosts, server_access

    target = prepared.target
    summary = {
        "stack": stack.name,
        "stack_uid": stack.uid,
        "server": prepared.server.name,
        "address": target.host,
        "port": target.port,
        **_lease_json(prepared.lease),
    }
    try:
        if args.host_key and not known_hosts.is_known(target.host, target.port):
            kind = known_hosts.accept_fingerprint(target.host, target.port, args.host_key)
            _say(f"Host key {args.host_key} ({kind}) recorded for {target.host}.")
        _say(f"Connecting to {target.user}@{target.host} port {target.port}…")
        status = server_access.run_session(prepared)
    except known_hosts.HostKeyError as error:
        prepared.key.remove()
        _emit(args, {**summary, "ssh_exit_status": None, "error": str(error)})
        raise Stop(EXIT_FAILED, str(error)) from None
    except server_access.AccessError as error:
        raise Stop(EXIT_FAILED, error.message) from None
    finally:
        prepared.key.remove()
    _say(server_access.describe_status(status))
    _emit(args, {**summary, "ssh_exit_status": status})
    return EXIT_OK if status == 0 else EXIT_FAILED
