"""``c66tui status [--json]``: profile, API URL and where the token comes from (no network)."""

from __future__ import annotations

import sys
from typing import Any

from c66tui.commands import exit_codes
from c66tui.commands.options import add_command, add_json
from c66tui.commands.output import Output


def register(commands: Any, common: Any) -> None:
    status = add_command(
        commands, "status", common, "profile, API URL and token source (no network)"
    )
    add_json(status)
    status.set_defaults(run=cmd_status)


def _error(message: str) -> None:
    from c66tui.text import sanitize

    print(f"c66tui: {sanitize(message, single_line=False)}", file=sys.stderr)


def cmd_status(args: Any) -> int:
    """Print the profile, API URL and where the token comes from (no network)."""
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
    pending = len(Journal().pending())
    output = Output(json_mode=bool(getattr(args, "json", False)))
    if output.json_mode:
        output.document(
            {
                "profile": settings.profile.name,
                "profile_source": settings.sources.get("profile", "file"),
                "api_url": settings.profile.api_url,
                "api_url_source": settings.sources.get("api_url", "file"),
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
            ("Profile", f"{settings.profile.name} ({settings.sources.get('profile', 'file')})"),
            ("API URL", f"{settings.profile.api_url} ({settings.sources.get('api_url', 'file')})"),
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
