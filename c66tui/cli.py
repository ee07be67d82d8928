"""The ``c66tui`` command: the parser and the dispatcher.

``c66tui`` starts the full-screen app (:mod:`c66tui.launch`); the subcommands work
without a terminal: the scriptable commands of :mod:`c66tui.commands` (stacks, redeploy,
jobs, settings, env-vars, journal, status, config, completion...), ``login
--with-token``, ``logout`` and ``sandbox`` (the local Cloud 66 emulator). Start-up speed
matters on slow jump hosts, so only ``argparse``, ``os``, ``sys`` and light modules are
imported here; everything else is imported by the command that needs it.
"""

from __future__ import annotations

import argparse
import os
import sys

from c66tui import __version__
from c66tui import commands as scriptable
from c66tui.commands import exit_codes
from c66tui.crash_report import redact_secrets as _redact
from c66tui.crash_report import report_crash
from c66tui.launch import build_app, install_signal_handlers, run_ui

__all__ = ["build_app", "build_parser", "install_signal_handlers", "main", "run_ui"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
MAX_TOKEN_LENGTH = 4096

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


def build_parser() -> argparse.ArgumentParser:
    """The whole command line (exposed for the help text and the tests)."""
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="c66tui",
        parents=[common],
        description="Keyboard-driven terminal app for operating Cloud 66 stacks.",
        epilog="Environment: CLOUD66_TOKEN, C66TUI_PROFILE, C66TUI_API_URL, C66TUI_CLIENT_ID, "
        "C66TUI_CLIENT_SECRET, C66TUI_CONFIG_DIR, C66TUI_CACHE_DIR, C66TUI_STATE_DIR, "
        "C66TUI_SSH_PORT. "
        + exit_codes.HELP,
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

    commands.add_parser("logout", parents=[common], help="remove the saved token of the profile")

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
    return parser


# -- entry point -------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help or a usage error
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.version:
        print(f"c66tui {__version__}")
        return EXIT_OK
    handlers = {
        "login": cmd_login,
        "logout": cmd_logout,
        "sandbox": cmd_sandbox,
    }
    handler = getattr(args, "run", None) or handlers.get(args.command, run_ui)
    secrets: list[str] = []
    try:
        return handler(args, secrets) if handler is run_ui else handler(args)
    except KeyboardInterrupt:
        print("c66tui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (c66tui stacks list | head)
        _quiet_stdout()
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        from c66tui.config.errors import ConfigError

        if isinstance(exc, ConfigError):
            _error(str(exc))
            return EXIT_USAGE
        return report_crash(exc, secrets)


def _quiet_stdout() -> None:
    """Send what is left of standard output nowhere (no second error at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _error(message: str) -> None:
    from c66tui.text import sanitize

    print(f"c66tui: {sanitize(message, single_line=False)}", file=sys.stderr)


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


# -- subcommands ------------------------------------------------------------------------


def _resolve_profile_for_login(args: argparse.Namespace):
    """The profile to log in to; it need not exist yet (it is created on success)."""
    from c66tui.config import ConfigStore, Profile
    from c66tui.config.settings import ENV_API_URL, ENV_PROFILE, _checked_url
    from c66tui.config.validate import validate_profile_name

    store = ConfigStore()
    config = store.load()
    name = getattr(args, "profile", None) or _env(ENV_PROFILE) or config.active_profile
    name = validate_profile_name(name)
    exists = name in config.profiles
    profile = config.profiles[name] if exists else Profile(name)
    flag_url = getattr(args, "api_url", None)
    if flag_url:
        profile.api_url = _checked_url(flag_url, "--api-url")
    elif _env(ENV_API_URL):
        profile.api_url = _checked_url(_env(ENV_API_URL), ENV_API_URL)
    return store, profile, exists


def _read_token() -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Paste the token (hidden): ")
    return sys.stdin.read(MAX_TOKEN_LENGTH + 1)


def cmd_login(args: argparse.Namespace) -> int:
    """``login``: the OAuth code login on standard streams (:mod:`c66tui.ops.login_cli`);
    ``login --with-token``: validate a token from stdin with one GET, then save it."""
    if not args.with_token:
        from c66tui.ops.login_cli import run_code_login

        try:
            store, profile, _exists = _resolve_profile_for_login(args)
        except ValueError as exc:
            _error(str(exc))
            return EXIT_USAGE
        return run_code_login(store, profile)
    import asyncio

    from c66tui.api.errors import AuthenticationError, Cloud66Error
    from c66tui.api.oauth import validate_token
    from c66tui.api.secret import Secret

    try:
        store, profile, exists = _resolve_profile_for_login(args)
    except ValueError as exc:
        _error(str(exc))
        return EXIT_USAGE
    raw = _read_token()
    text = raw.strip()
    if not text or len(text) > MAX_TOKEN_LENGTH:
        _error("no token on standard input (expected one token, nothing else)")
        return EXIT_USAGE
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        _error("the token must be a single word without spaces or control characters")
        return EXIT_USAGE
    token = Secret(text)
    del raw, text
    try:
        email = asyncio.run(validate_token(profile.api_url, token))
    except AuthenticationError:
        _error(f"{profile.api_url} rejected this token (401). Nothing was saved.")
        return EXIT_FAILED
    except Cloud66Error as exc:
        _error(
            f"could not check the token: {_redact(str(exc), [token.reveal()])}. Nothing was saved."
        )
        return EXIT_FAILED
    if not exists:
        store.update(lambda config: config.profiles.__setitem__(profile.name, profile))
    else:
        before = store.load().profiles[profile.name].api_url
        if before != profile.api_url:
            # The token belongs to the API that accepted it: the profile now points there.
            store.update(lambda config: setattr(config.profiles[profile.name], "api_url",
                                                profile.api_url))  # fmt: skip
            print(
                f"Note: profile '{profile.name}' now uses {profile.api_url} (was {before}), "
                "the API this token was checked against.",
                file=sys.stderr,
            )
    store.set_token(profile.name, token)
    who = email or "a token without the 'users' scope (e-mail unknown)"
    print(f"Logged in to profile '{profile.name}' as {who}.")
    print(f"Token saved to {store.credentials_path}")
    if _env("CLOUD66_TOKEN"):
        print(
            "Note: CLOUD66_TOKEN is set and takes precedence over the saved token; "
            "unset it to use the saved one.",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_logout(args: argparse.Namespace) -> int:
    """Remove the saved token (refusing while CLOUD66_TOKEN is set)."""
    if _env("CLOUD66_TOKEN"):
        _error(
            "the token in use comes from the CLOUD66_TOKEN environment variable, which "
            "always wins; logging out cannot change it. Unset it (unset CLOUD66_TOKEN) and "
            "run c66tui logout again to remove the saved token too. Nothing was removed."
        )
        return EXIT_FAILED
    from c66tui.config import ConfigStore
    from c66tui.config.validate import validate_profile_name

    store = ConfigStore()
    config = store.load()
    try:
        name = validate_profile_name(
            getattr(args, "profile", None) or _env("C66TUI_PROFILE") or config.active_profile
        )
    except ValueError as exc:
        _error(str(exc))
        return EXIT_USAGE
    if store.delete_token(name):
        from c66tui.ops.cache import StackCache

        StackCache().clear(name)
        print(
            f"Removed the saved token of profile '{name}' from this machine. It stays valid "
            "on Cloud 66 until you revoke it under Account > Apps."
        )
    else:
        print(f"Profile '{name}' has no saved token.")
    return EXIT_OK


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cmd_sandbox(args: argparse.Namespace) -> int:
    """Serve the Cloud 66 emulator (loopback only unless ``--allow-remote``)."""
    if not _is_loopback(args.host) and not args.allow_remote:
        _error(
            f"refusing to serve the sandbox on {args.host}: it accepts any request and "
            "hands out tokens. Use 127.0.0.1, or add --allow-remote if you really mean it."
        )
        return EXIT_USAGE
    from c66tui.sandbox import SandboxConfig
    from c66tui.sandbox.oauth_clients import registrations_from_flags
    from c66tui.sandbox.server import serve

    secret = getattr(args, "client_secret", None) or SandboxConfig.client_secret
    try:
        client_id, callbacks, extra = registrations_from_flags(
            getattr(args, "oauth_flags", None) or [], SandboxConfig.client_id, secret
        )
    except ValueError as exc:
        _error(str(exc))
        return EXIT_USAGE
    client = {
        "client_id": client_id,
        "client_secret": secret,
        "redirect_uris": callbacks,
        "extra_clients": extra,
    }
    config = SandboxConfig(
        seed=args.seed,
        stacks=args.stacks,
        latency_ms=args.latency_ms,
        deploy_seconds=args.deploy_seconds,
        state_file=getattr(args, "state_file", None),
        **client,
        **_sandbox_ssh(args),
    )
    serve(config, args.host, args.port)
    return EXIT_OK


def _sandbox_ssh(args: argparse.Namespace) -> dict:
    """``--ssh-port`` / ``--ssh-authorized-keys``: a real key pair, its public half in FILE."""
    port, keys_file = getattr(args, "ssh_port", None), getattr(args, "ssh_authorized_keys", None)
    if port is None and keys_file is None:
        return {}
    from c66tui.sandbox.ssh_keys import generate_keypair, write_authorized_keys

    private, public = generate_keypair()
    if keys_file:
        write_authorized_keys(keys_file, public)
        print(f"Server key: its public half is in {keys_file}", flush=True)
    if port:
        print(f"Servers: 127.0.0.1 port {port}; run c66tui with C66TUI_SSH_PORT={port}", flush=True)
    return {"ssh_port": port, "ssh_private_key": private}
