"""The ``c66tui`` command: the parser and the dispatcher.

``c66tui`` starts the full-screen app (:mod:`c66tui.launch`); the subcommands work
without a terminal: the scriptable commands of :mod:`c66tui.commands` (stacks, redeploy,
jobs, settings, env-vars, journal, status, config, completion...), ``login``,
``logout`` (:mod:`c66tui.commands.login`) and ``sandbox`` (the local Cloud 66 emulator,
:mod:`c66tui.commands.sandbox`). Start-up speed matters on slow jump hosts, so only
``argparse``, ``os``, ``sys`` and light modules are imported here; a command's module is
imported when it runs (:func:`~c66tui.commands.options.run_later`).
"""

from __future__ import annotations

import argparse
import os
import sys

from c66tui import __version__
from c66tui import commands as scriptable
from c66tui.commands import exit_codes
from c66tui.commands.options import run_later
from c66tui.commands.output import error
from c66tui.config.errors import ConfigError
from c66tui.crash_report import report_crash
from c66tui.launch import build_app, install_signal_handlers, run_ui

__all__ = ["build_app", "build_parser", "install_signal_handlers", "main", "run_ui"]

EXIT_OK = exit_codes.OK
EXIT_FAILED = exit_codes.FAILED
EXIT_USAGE = exit_codes.USAGE

# -- parser ----------------------------------------------------------------------------


def _common_options() -> argparse.ArgumentParser:
    """Options accepted before or after a subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--profile", default=argparse.SUPPRESS, help="profile to use (default: from config)"
    )
    common.add_argument(
        "--api-url",
        dest="api_url",
        default=argparse.SUPPRESS,
        help="Cloud 66 API base URL for this run, e.g. https://app.cloud66.com/api/3 "
        "(a legacy /api/2 base works too)",
    )
    return common


class _InOrder(argparse.Action):
    """Collect ``--client-id`` and ``--redirect-uri`` as (flag, value) pairs in the order
    given, so each callback belongs to the client id before it."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        pairs = list(getattr(namespace, self.dest, None) or [])
        kind = "client_id" if option_string == "--client-id" else "redirect_uri"
        pairs.append((kind, values))
        setattr(namespace, self.dest, pairs)


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line (exposed for the help text and the tests).

    ``with_commands=False`` builds only the full-screen app's options (no subcommand is
    registered): what :func:`main` parses when the arguments name no subcommand.
    """
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="c66tui",
        parents=[common],
        description="Keyboard-driven terminal app for operating Cloud 66 stacks.",
        epilog="Environment: CLOUD66_TOKEN, C66TUI_PROFILE, C66TUI_API_URL, C66TUI_CLIENT_ID, "
        "C66TUI_CLIENT_SECRET, C66TUI_CONFIG_DIR, C66TUI_CACHE_DIR, C66TUI_STATE_DIR, "
        "C66TUI_SSH_PORT. " + exit_codes.HELP,
    )
    parser.set_defaults(root_parser=parser)
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="explore with a built-in simulated Cloud 66 (it keeps what you change there)",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="with --demo: start the demo over, forgetting what earlier demos changed",
    )
    parser.add_argument(
        "--read-only", dest="read_only", action="store_true", help="disable every write"
    )
    parser.add_argument(
        "--no-mouse", dest="no_mouse", action="store_true", help="do not capture the mouse"
    )
    parser.add_argument(
        "--low-bandwidth",
        dest="low_bandwidth",
        action="store_true",
        help="no animations, no mouse capture, fewer screen updates (slow SSH links)",
    )
    parser.add_argument(
        "--ascii", dest="ascii", action="store_true", help="ASCII symbols only (no Unicode)"
    )
    if not with_commands:
        parser.set_defaults(command=None, root_parser=None, full_parser=build_parser)
        return parser
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    scriptable.register(commands, common)

    login = commands.add_parser(
        "login",
        parents=[common],
        help="log in: print the authorize URL, read the code or redirected address from "
        "standard input (or --with-token)",
    )
    login.add_argument(
        "--with-token",
        dest="with_token",
        action="store_true",
        help="read a personal access token from standard input (never from the command line)",
    )
    login.set_defaults(run=run_later("c66tui.commands.login:cmd_login"))

    logout = commands.add_parser(
        "logout", parents=[common], help="remove the saved token of the profile"
    )
    logout.set_defaults(run=run_later("c66tui.commands.login:cmd_logout"))

    sandbox = commands.add_parser("sandbox", help="run the local Cloud 66 emulator")
    sandbox.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    sandbox.add_argument("--port", type=int, default=8066, help="port (default 8066)")
    sandbox.add_argument("--seed", type=int, default=66, help="random seed of the world")
    sandbox.add_argument("--stacks", type=int, default=None, help="number of stacks")
    sandbox.add_argument("--latency-ms", dest="latency_ms", type=int, default=0)
    sandbox.add_argument("--deploy-seconds", dest="deploy_seconds", type=float, default=30.0)
    sandbox.add_argument(
        "--state",
        dest="state_file",
        default=None,
        metavar="FILE",
        help="keep settings, environment variables and issued tokens in FILE across restarts",
    )
    sandbox.add_argument(
        "--client-id",
        dest="oauth_flags",
        action=_InOrder,
        metavar="ID",
        help="register an OAuth application with this client id (repeatable)",
    )
    sandbox.add_argument(
        "--redirect-uri",
        dest="oauth_flags",
        action=_InOrder,
        metavar="URI",
        help="register a callback URL for the --client-id before it (repeatable; "
        "default: urn:ietf:wg:oauth:2.0:oob)",
    )
    sandbox.add_argument(
        "--client-secret",
        dest="client_secret",
        default=None,
        help="OAuth client secret it accepts (a sandbox value, not a real secret)",
    )
    sandbox.add_argument(
        "--allow-remote",
        dest="allow_remote",
        action="store_true",
        help="allow a non-loopback address (the sandbox has no real security)",
    )
    sandbox.add_argument(
        "--ssh-port",
        dest="ssh_port",
        type=int,
        default=None,
        help="give every server the address 127.0.0.1 and this SSH port",
    )
    sandbox.add_argument(
        "--ssh-authorized-keys",
        dest="ssh_authorized_keys",
        metavar="FILE",
        default=None,
        help="write the public half of the server key it hands out to FILE (for an sshd)",
    )
    sandbox.set_defaults(run=run_later("c66tui.commands.sandbox:cmd_sandbox"))
    return parser


# -- entry point -------------------------------------------------------------------------

APP_FLAGS = frozenset(
    {"--version", "--demo", "--fresh", "--read-only", "--no-mouse", "--low-bandwidth", "--ascii"}
)
"""The root options without a value (the full-screen app's flags)."""

APP_VALUE_OPTIONS = frozenset({"--profile", "--api-url"})
"""The root options that take a value."""


def app_options_only(arguments: list[str]) -> bool:
    """Whether ``arguments`` are only the full-screen app's own options, spelt out in full.

    Then no subcommand can be meant and :func:`main` skips building the commands'
    parsers (a start-up cost of every full-screen start). Anything else (a subcommand,
    ``--help``, an abbreviated or unknown option, a missing value) goes to the whole
    parser, which accepts or rejects it exactly as before.
    """
    position = 0
    while position < len(arguments):
        argument = arguments[position]
        name = argument.split("=", 1)[0]
        if argument in APP_FLAGS:
            position += 1
        elif name in APP_VALUE_OPTIONS and "=" in argument:
            position += 1
        elif argument in APP_VALUE_OPTIONS and position + 1 < len(arguments):
            if arguments[position + 1].startswith("-"):
                return False
            position += 2
        else:
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(with_commands=not app_options_only(arguments))
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exc:  # --help or a usage error
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.version:
        print(f"c66tui {__version__}")
        return EXIT_OK
    handler = getattr(args, "run", None)
    secrets: list[str] = []
    try:
        return handler(args) if handler is not None else run_ui(args, secrets)
    except KeyboardInterrupt:
        print("c66tui: interrupted", file=sys.stderr)
        return exit_codes.INTERRUPTED
    except BrokenPipeError:  # the reader went away (c66tui stacks list | head)
        _quiet_stdout()
        return EXIT_FAILED
    except ConfigError as exc:
        error(str(exc))
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        return report_crash(exc, secrets)


def _quiet_stdout() -> None:
    """Send what is left of standard output nowhere (no second error at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
