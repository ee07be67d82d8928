"""``c66tui status [--check] [--json]``: profile, API URL and where the token comes from.

Plain ``status`` never touches the network. ``--check`` asks Cloud 66 as the official
Go library does (``GET /api/3/ping``, then ``/api/3/ping/auth``, see
:mod:`c66tui.ops.connectivity`) and says in one sentence whether the API is reachable
and the token accepted; ``--json`` prints the ``state`` word with it. Exit 0 when both
answer ok, 3 when the token is refused or there is none, 5 when the API cannot be
reached or did not answer the check.
"""

from __future__ import annotations

import sys
from typing import Any

from c66tui.commands import exit_codes
from c66tui.commands.options import add_command, add_json, uses_api
from c66tui.commands.output import Output


def register(commands: Any, common: Any) -> None:
    status = add_command(
        commands, "status", common, "profile, API URL and token source; --check asks Cloud 66"
    )
    status.add_argument(
        "--check",
        action="store_true",
        help="ask Cloud 66 whether it is reachable and accepts the token",
    )
    add_json(status)
    status.set_defaults(run=cmd_status)


CHECK_EXIT = {
    "ok": exit_codes.OK,
    "token_rejected": exit_codes.AUTH,
    "not_logged_in": exit_codes.AUTH,
    "unreachable": exit_codes.UNREACHABLE,
    "api_error": exit_codes.UNREACHABLE,
    "token_unchecked": exit_codes.UNREACHABLE,
}
"""The exit code of each state ``status --check`` reports."""


async def check_status(context) -> int:
    """Ping Cloud 66 and check the token; one sentence (or document) on standard output."""
    # deferred until the command runs: the parser is built on every start
    from c66tui.commands.context import NOT_LOGGED_IN
    from c66tui.ops.connectivity import check_connectivity

    settings = context.settings
    if settings.token is None:
        message = str(settings.credentials_error) if settings.credentials_error else NOT_LOGGED_IN
        doc = {"state": "not_logged_in", "reachable": None, "token_accepted": None}
        doc["message"] = message[:1].upper() + message[1:] + "."
    else:
        doc = (await check_connectivity(await context.connect())).to_json()
    if context.output.json_mode:
        context.output.document(
            {**doc, "profile": settings.profile.name, "api_url": settings.profile.api_url}
        )
    else:
        context.output.line(doc["message"])
    return CHECK_EXIT[doc["state"]]


def _error(message: str) -> None:
    # deferred until the command runs: the parser is built on every start
    from c66tui.text import sanitize

    print(f"c66tui: {sanitize(message, single_line=False)}", file=sys.stderr)


def cmd_status(args: Any) -> int:
    """Print the profile, API URL and where the token comes from (no network), or with
    ``--check`` what Cloud 66 answers."""
    if getattr(args, "check", False):
        return uses_api(check_status)(args)
    # deferred until the command runs: the parser is built on every start
    from c66tui.api.routes import ApiBase, status_rows
    from c66tui.config import load_settings
    from c66tui.ops.journal import Journal

    settings = load_settings(args)
    if settings.token_source == "env":
        token = f"{settings.token.masked()} (from CLOUD66_TOKEN)"
    elif settings.token_source == "file":
        token = f"{settings.token.masked()} (from {settings.store.credentials_path})"
    elif settings.credentials_error is not None:
        token = "unusable credentials file (see below)"
    else:
        token = "not logged in"
    pending = len(Journal().unresolved())
    # "default" when the value is built in (no file names it), else flag/env/file/demo.
    profile_source = settings.sources.get("profile", "default")
    api_url_source = settings.sources.get("api_url", "default")
    output = Output(json_mode=bool(getattr(args, "json", False)))
    if output.json_mode:
        output.document(
            {
                "profile": settings.profile.name,
                "profile_source": profile_source,
                "api_url": settings.profile.api_url,
                "api_url_source": api_url_source,
                "logged_in": settings.token is not None,
                "token_source": settings.token_source,
                "scopes_requested": list(settings.profile.scopes),
                "read_only": settings.read_only,
                "pending_actions": pending,
                "api_generation": ApiBase(settings.profile.api_url).generation,
                "routes": {
                    label.strip(): value
                    for label, value in status_rows(settings.profile.api_url)[1:]
                },
                "warnings": list(settings.warnings),
            }
        )
    else:
        rows = [
            ("Profile", f"{settings.profile.name} ({profile_source})"),
            ("API URL", f"{settings.profile.api_url} ({api_url_source})"),
            ("Token", token),
            ("Scopes requested", " ".join(settings.profile.scopes)),
            ("Read-only", "yes" if settings.read_only else "no"),
            ("Pending actions", str(pending)),
            *status_rows(settings.profile.api_url),
        ]
        for label, value in rows:
            print(f"{label + ':':<18} {value}")
    if settings.credentials_error is not None:
        _error(str(settings.credentials_error))
    for warning in settings.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return exit_codes.OK
