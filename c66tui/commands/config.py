"""``c66tui config path|check``: where the files are, and whether they are valid."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from c66tui.commands import exit_codes
from c66tui.commands.options import add_command


def register(commands: Any, common: Any) -> None:
    config = add_command(commands, "config", common, "where the files are; check")
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION")
    config_commands.add_parser("path", help="print the file and directory locations")
    config_commands.add_parser("check", help="validate config.toml and credentials.toml")
    config.set_defaults(run=cmd_config)


def _error(message: str) -> None:
    # deferred until the command runs: the parser is built on every start
    from c66tui.text import sanitize

    print(f"c66tui: {sanitize(message, single_line=False)}", file=sys.stderr)


def cmd_config(args: argparse.Namespace) -> int:
    """``config path`` and ``config check``."""
    # deferred until the command runs: the parser is built on every start
    from c66tui.config import paths

    if args.config_command == "path":
        rows = [
            ("Config directory", paths.config_dir()),
            ("Config file", paths.config_file()),
            ("Credentials file", paths.credentials_file()),
            ("Cache directory", paths.cache_dir()),
            ("State directory", paths.state_dir()),
            ("Journal file", paths.journal_file()),
        ]
        for label, path in rows:
            print(f"{label + ':':<18} {path}")
        return exit_codes.OK
    if args.config_command == "check":
        return _config_check()
    print("usage: c66tui config {path,check}", file=sys.stderr)
    return exit_codes.USAGE


def _config_check() -> int:
    # deferred until the command runs: the parser is built on every start
    from c66tui.config import ConfigError, ConfigStore

    store = ConfigStore()
    problems = 0
    for label, check in (("config", store.load), ("credentials", store.check_credentials)):
        path = store.config_path if label == "config" else store.credentials_path
        try:
            check()
        except ConfigError as exc:
            problems += 1
            _error(str(exc))
        else:
            print(f"{path}: {'ok' if path.exists() else 'not present (defaults apply)'}")
    for warning in store.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return exit_codes.USAGE if problems else exit_codes.OK
