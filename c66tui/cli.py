"""The ``c66tui`` command.

``c66tui`` starts the full-screen app; subcommands work without a terminal:
``config path|check``, ``status``, ``journal``, ``login --with-token``, ``logout`` and
``sandbox`` (the local Cloud 66 emulator). Start-up speed matters on slow jump hosts, so
only ``argparse``, ``os`` and ``sys`` are imported here; everything else is imported by
the command that needs it.
"""

from __future__ import annotations

import argparse
import os
import sys

from c66tui import __version__

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
MAX_TOKEN_LENGTH = 4096

NOT_A_TERMINAL = (
    "c66tui: the full-screen app needs an interactive terminal ({reason}).\n"
    "Commands that work without one: c66tui status, c66tui journal, "
    "c66tui config path, c66tui login --with-token < token-file"
)


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
        help="Cloud 66 API base URL for this run, e.g. https://app.cloud66.com/api/2",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    """The whole command line (exposed for the help text and the tests)."""
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="c66tui",
        parents=[common],
        description="Keyboard-driven terminal app for operating Cloud 66 stacks.",
        epilog="Environment: CLOUD66_TOKEN, C66TUI_PROFILE, C66TUI_API_URL, C66TUI_CLIENT_ID, "
        "C66TUI_CLIENT_SECRET, C66TUI_CONFIG_DIR, C66TUI_CACHE_DIR, C66TUI_STATE_DIR.",
    )
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

    config = commands.add_parser("config", parents=[common], help="where the files are; check")
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION")
    config_commands.add_parser("path", help="print the file and directory locations")
    config_commands.add_parser("check", help="validate config.toml and credentials.toml")

    commands.add_parser(
        "status", parents=[common], help="profile, API URL and token source (no network)"
    )

    journal = commands.add_parser(
        "journal", parents=[common], help="list recorded redeploys and other writes"
    )
    journal.add_argument("--limit", type=int, default=50, help="show the last N (default 50)")
    journal.add_argument(
        "--pending",
        action="store_true",
        help="only entries whose outcome is unknown (none recorded, or recorded as unknown)",
    )

    login = commands.add_parser(
        "login", parents=[common], help="save a token read from standard input"
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
        "--client-id", dest="client_id", default=None, help="OAuth client id it accepts"
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
        "config": cmd_config,
        "status": cmd_status,
        "journal": cmd_journal,
        "login": cmd_login,
        "logout": cmd_logout,
        "sandbox": cmd_sandbox,
    }
    handler = handlers.get(args.command, run_ui)
    secrets: list[str] = []
    try:
        return handler(args, secrets) if handler is run_ui else handler(args)
    except KeyboardInterrupt:
        print("c66tui: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        from c66tui.config.errors import ConfigError

        if isinstance(exc, ConfigError):
            _error(str(exc))
            return EXIT_USAGE
        return report_crash(exc, secrets)


def _error(message: str) -> None:
    from c66tui.text import sanitize

    print(f"c66tui: {sanitize(message, single_line=False)}", file=sys.stderr)


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


# -- the full-screen app ---------------------------------------------------------------


def terminal_problem() -> str | None:
    """Why the full-screen app cannot start here, or ``None``."""
    if not sys.stdin.isatty():
        return "standard input is not a terminal"
    if not sys.stdout.isatty():
        return "standard output is not a terminal"
    if os.environ.get("TERM", "") == "dumb":
        return "TERM is 'dumb'"
    return None


def install_signal_handlers(app=None) -> None:
    """End the app cleanly on SIGHUP (SSH link dropped) and SIGTERM.

    While ``app`` runs, the signal asks it to exit from its own event loop with status
    128 + signal number: Textual then restores the terminal where it still can, and no
    task is interrupted half-way (raising inside whatever task happened to run printed a
    traceback over the restored screen). Outside the event loop the signal becomes a plain
    ``SystemExit``. Nothing is sent over the network here: the journal already holds every
    write's intent, and pending entries are shown as "outcome unknown" at the next start.
    A second signal, or a clean-up that hangs on a dead terminal for five seconds, exits
    at once.
    """
    import asyncio
    import signal
    import threading

    received: list[int] = []

    def handle(signum: int, _frame: object) -> None:
        code = 128 + signum
        if received:
            os._exit(code)
        received.append(signum)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if app is None or loop is None or not getattr(app, "is_running", False):
            raise SystemExit(code)
        watchdog = threading.Timer(5.0, os._exit, (code,))
        watchdog.daemon = True
        watchdog.start()
        loop.call_soon_threadsafe(lambda: app.exit(return_code=code))

    for name in ("SIGHUP", "SIGTERM"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, handle)


def _apply_low_bandwidth() -> None:
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    os.environ.setdefault("TEXTUAL_FPS", "15")
    os.environ.setdefault("TEXTUAL_SMOOTH_SCROLL", "0")


def apply_flags(args: argparse.Namespace, settings) -> None:
    """Apply ``--no-mouse``, ``--low-bandwidth`` and ``--ascii`` for this run only."""
    prefs = settings.config.preferences
    if args.no_mouse:
        prefs.mouse = False
    if args.low_bandwidth:
        prefs.low_bandwidth = True
    if args.ascii:
        prefs.ascii_only = True


def mouse_wanted(preferences) -> bool:
    """Capture the mouse unless it is turned off or low-bandwidth mode is on (every mouse
    move is a report over the link, and capture left on after a dropped SSH session is
    what leaks junk into the local terminal)."""
    return bool(preferences.mouse) and not preferences.low_bandwidth


def run_ui(args: argparse.Namespace, secrets: list[str]) -> int:
    """Start the full-screen app (refusing without a usable terminal)."""
    if getattr(args, "fresh", False) and not args.demo:
        _error("--fresh only applies to the demo: c66tui --demo --fresh")
        return EXIT_USAGE
    problem = terminal_problem()
    if problem:
        print(NOT_A_TERMINAL.format(reason=problem), file=sys.stderr)
        return EXIT_USAGE
    settings = None
    if not args.demo:
        from c66tui.config import load_settings

        settings = load_settings(args)
        for secret in (settings.token, settings.client_secret):
            if secret:
                secrets.append(secret.reveal())
        if settings.config.preferences.low_bandwidth:
            args.low_bandwidth = True
    if args.low_bandwidth:
        _apply_low_bandwidth()  # before Textual is imported
    app = build_app(args, settings)
    install_signal_handlers(app)
    settings = app.services.settings
    apply_flags(args, settings)
    app.run(mouse=mouse_wanted(settings.config.preferences))
    return getattr(app, "return_code", None) or EXIT_OK


def build_app(args: argparse.Namespace, settings):
    """The Textual app for ``settings``; ``--demo`` builds its own (in-process sandbox,
    temporary directories)."""
    if args is not None and getattr(args, "demo", False):
        from c66tui.ui.app import make_demo_app

        return make_demo_app(args)
    from c66tui.ui.app import make_app

    return make_app(settings)


# -- crash reports ---------------------------------------------------------------------


def _redact(text: str, secrets: list[str]) -> str:
    from c66tui.text import redact, sanitize

    known = list(secrets)
    for name in ("CLOUD66_TOKEN", "C66TUI_CLIENT_SECRET"):
        value = _env(name)
        if value:
            known.append(value)
    try:
        from c66tui.api.redaction import redact as api_redact

        text = api_redact(text)
    except Exception:  # noqa: BLE001 - fall back to the local masking only
        pass
    return sanitize(redact(text, known), single_line=False)


def crash_report_text(exc: BaseException, secrets: list[str]) -> str:
    """A report without local variables; every message is redacted."""
    import platform
    import traceback
    from datetime import UTC, datetime

    lines = [
        "c66tui crash report",
        f"time: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"c66tui {__version__}, python {platform.python_version()} on {platform.system()}",
        f"command: {' '.join(_redact(a, secrets) for a in sys.argv[1:]) or '(none)'}",
        "",
    ]
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 5:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for index, item in enumerate(reversed(chain)):
        if index:
            lines += ["", "which led to:"]
        lines.append(f"{type(item).__name__}: {_redact(str(item), secrets)[:1200]}")
        for frame in traceback.extract_tb(item.__traceback__):
            lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")
    return "\n".join(lines) + "\n"


def write_crash_report(text: str) -> str | None:
    """Save ``text`` as ``crash-<UTC time>.txt`` (0600) in the state directory."""
    try:
        from datetime import UTC, datetime

        from c66tui.config import paths

        directory = paths.state_dir()
        if not directory.exists():
            paths.make_private_dirs(directory)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = directory / f"crash-{stamp}-{os.getpid()}.txt"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return str(path)
    except Exception:  # noqa: BLE001 - reporting must never raise
        return None


def report_crash(exc: BaseException, secrets: list[str]) -> int:
    """Print a short redacted message and save the report; returns the exit status."""
    text = crash_report_text(exc, secrets)
    path = write_crash_report(text)
    message = _redact(str(exc), secrets)[:300]
    print(
        f"c66tui stopped after an unexpected error: {type(exc).__name__}: {message}",
        file=sys.stderr,
    )
    if path:
        print(f"A report (no tokens, no local values) was saved to {path}", file=sys.stderr)
    return EXIT_FAILED


# -- subcommands ------------------------------------------------------------------------


def cmd_config(args: argparse.Namespace) -> int:
    """``config path`` and ``config check``."""
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
        return EXIT_OK
    if args.config_command == "check":
        return _config_check()
    print("usage: c66tui config {path,check}", file=sys.stderr)
    return EXIT_USAGE


def _config_check() -> int:
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
    return EXIT_USAGE if problems else EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    """Print the profile, API URL and where the token comes from (no network)."""
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
    rows = [
        ("Profile", f"{settings.profile.name} ({settings.sources.get('profile', 'file')})"),
        ("API URL", f"{settings.profile.api_url} ({settings.sources.get('api_url', 'file')})"),
        ("Token", token),
        ("Scopes requested", " ".join(settings.profile.scopes)),
        ("Read-only", "yes" if settings.read_only else "no"),
        ("Pending actions", str(len(Journal().unresolved()))),
    ]
    for label, value in rows:
        print(f"{label + ':':<18} {value}")
    if settings.credentials_error is not None:
        _error(str(settings.credentials_error))
    for warning in settings.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return EXIT_OK


def cmd_journal(args: argparse.Namespace) -> int:
    """Print the journal as a plain table."""
    from c66tui.config import paths
    from c66tui.ops.journal import Journal
    from c66tui.text import sanitize

    journal = Journal(paths.journal_file())
    entries = journal.unresolved() if args.pending else journal.entries()
    if args.limit and args.limit > 0:
        entries = entries[-args.limit :]
    if not entries:
        nothing = "No action with an unknown outcome" if args.pending else "No actions recorded"
        print(f"{nothing} (journal: {journal.path})")
        return EXIT_OK
    header = ("STARTED (UTC)", "OUTCOME", "KIND", "PROFILE", "STACK", "BY", "DETAIL")
    rows = []
    for entry in entries:
        started = entry.started_at.strftime("%Y-%m-%d %H:%M:%S") if entry.started_at else "?"
        rows.append(
            (
                started,
                entry.outcome or "pending",
                entry.kind,
                entry.profile,
                entry.stack_name or entry.stack_uid,
                entry.user,
                entry.detail,
            )
        )
    cells = [[sanitize(cell)[:40] for cell in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header) - 1)]
    for row in cells:
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        print(f"{line}  {row[-1]}".rstrip())
    return EXIT_OK


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
    """``login --with-token``: validate a token from stdin with one GET, then save it."""
    if not args.with_token:
        print(
            "The interactive login runs inside the app: start c66tui.\n"
            "To save a personal access token without it: c66tui login --with-token < file",
            file=sys.stderr,
        )
        return EXIT_USAGE
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
    elif store.load().profiles[profile.name].api_url != profile.api_url:
        print(
            f"Note: profile '{profile.name}' is configured for "
            f"{store.load().profiles[profile.name].api_url}; this token was checked against "
            f"{profile.api_url}. Pass the same --api-url when starting c66tui.",
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
    from c66tui.sandbox.server import serve

    client = {
        name: value
        for name in ("client_id", "client_secret")
        if (value := getattr(args, name, None))
    }
    config = SandboxConfig(
        seed=args.seed,
        stacks=args.stacks,
        latency_ms=args.latency_ms,
        deploy_seconds=args.deploy_seconds,
        state_file=getattr(args, "state_file", None),
        **client,
    )
    serve(config, args.host, args.port)
    return EXIT_OK
