"""Starting the full-screen app: terminal checks, signals, per-run flags, the app itself.

What ``c66tui`` does when no subcommand is given. Light at import: Textual is imported
only when the app is built, after ``--low-bandwidth`` has set its environment.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading

from c66tui.commands.exit_codes import OK, USAGE


def _error(message: str) -> None:
    # deferred: loaded only on the path that needs it, not before the first frame
    from c66tui.text import sanitize

    print(f"c66tui: {sanitize(message, single_line=False)}", file=sys.stderr)


SWITCH_INTERVAL = 0.001
"""Seconds a thread holds the interpreter before another may take it (Python's default is
0.005). The app's other threads (the one writing frames to the terminal, reading keys,
building the first API client) each wait up to this long for their turn while the event
loop is busy, and a frame or a key hands over several times: at 5 ms a frame written
during a fill of 5,000 rows reached the terminal 15-30 ms after it was drawn."""
SWEEP_DELAY = 3.0
"""Seconds after start-up before stale server keys are swept (the first frame comes first)."""

NOT_A_TERMINAL = (
    "c66tui: the full-screen app needs an interactive terminal ({reason}).\n"
    "Every command works without one (writes need -y; c66tui COMMAND --help):\n"
    "{commands}\n"
    "For example: c66tui stacks list, c66tui redeploy -s STACK -y, c66tui status,\n"
    "c66tui login --with-token < token-file"
)
"""The refusal without a terminal; ``{commands}`` is :func:`command_list` of the parser."""


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser's subcommands by name (aliases folded into their first name)."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                if child not in found.values():
                    found[name] = child
    return found


def command_list(parser: argparse.ArgumentParser | None, width: int = 78) -> str:
    """Every subcommand of ``parser`` (with its own subcommands in brackets), indented
    and wrapped to ``width`` between entries: read from the parser, so a new command is
    listed by itself."""
    if parser is None:
        return "  (c66tui --help lists them)"
    entries = []
    for name, child in subcommands(parser).items():
        inner = ", ".join(subcommands(child))
        entries.append(f"{name} ({inner})" if inner else name)
    lines = [""]
    for position, entry in enumerate(entries):
        piece = entry + ("," if position < len(entries) - 1 else "")
        if lines[-1] and len(lines[-1]) + 1 + len(piece) > width - 2:
            lines.append("")
        lines[-1] = f"{lines[-1]} {piece}" if lines[-1] else piece
    return "\n".join("  " + line for line in lines)


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
    # deferred: loaded only on the path that needs it, not before the first frame
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
        return USAGE
    problem = terminal_problem()
    if problem:
        parser = getattr(args, "root_parser", None)
        if parser is None and callable(getattr(args, "full_parser", None)):
            parser = args.full_parser()  # started without a subcommand: only now needed
        commands = command_list(parser)
        print(NOT_A_TERMINAL.format(reason=problem, commands=commands), file=sys.stderr)
        return USAGE
    settings = None
    if not args.demo:
        # deferred: loaded only on the path that needs it, not before the first frame
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
    sweep = StaleKeySweep()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        app.run(mouse=mouse_wanted(settings.config.preferences))
    finally:
        sweep.finish()
    return getattr(app, "return_code", None) or OK


class StaleKeySweep:
    """Delete the server keys a crashed session left behind, once, after the first frame.

    The sweep (:func:`c66tui.ops.keyfile.sweep_stale`) needs nothing on screen, so it runs
    on a daemon thread :data:`SWEEP_DELAY` seconds after the app starts; a session that
    ends sooner sweeps on its way out. Keys of running processes (this one included) are
    never touched, so the moment does not matter for safety.
    """

    def __init__(self, delay: float | None = None) -> None:
        self._lock = threading.Lock()
        self._done = False
        self._timer = threading.Timer(SWEEP_DELAY if delay is None else delay, self.run)
        self._timer.daemon = True
        self._timer.start()

    def run(self) -> None:
        """Sweep unless it has been done already."""
        with self._lock:
            if self._done:
                return
            self._done = True
        with contextlib.suppress(OSError):
            _sweep_stale_keys()

    def finish(self) -> None:
        """Stop the timer and sweep now if it has not run yet."""
        self._timer.cancel()
        self.run()


def _sweep_stale_keys() -> None:
    from c66tui.ops.keyfile import sweep_stale  # deferred: not needed for the first frame

    sweep_stale()


def build_app(args: argparse.Namespace, settings):
    """The Textual app for ``settings``; ``--demo`` builds its own (in-process sandbox,
    temporary directories)."""
    if args is not None and getattr(args, "demo", False):
        # deferred: loaded only on the path that needs it, not before the first frame
        from c66tui.ui.demo import make_demo_app

        return make_demo_app(args)
    from c66tui.ui.app import make_app

    return make_app(settings)
