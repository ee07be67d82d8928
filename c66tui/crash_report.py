"""Crash reports of the command line: a short redacted message, and a 0600 report file.

The last line of defence of :func:`c66tui.cli.main`: no local variables, every message
redacted (tokens from the environment and the ones the run knew), saved in the state
directory. Light at import (the command line imports it at start-up).
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime

from c66tui import __version__
from c66tui.commands.exit_codes import FAILED


def redact_secrets(text: str, secrets: list[str]) -> str:
    """``text`` with the known secrets (and the token variables' values) masked."""
    from c66tui.text import redact, sanitize  # deferred: it loads logging; start-up stays light

    known = list(secrets)
    for name in ("CLOUD66_TOKEN", "C66TUI_CLIENT_SECRET"):
        value = os.environ.get(name, "").strip()
        if value:
            known.append(value)
    return sanitize(redact(text, known), single_line=False)


def crash_report_text(exc: BaseException, secrets: list[str]) -> str:
    """A report without local variables; every message is redacted."""
    import platform  # deferred: only a crash needs these; start-up stays light
    import traceback

    lines = [
        "c66tui crash report",
        f"time: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"c66tui {__version__}, python {platform.python_version()} on {platform.system()}",
        f"command: {' '.join(redact_secrets(a, secrets) for a in sys.argv[1:]) or '(none)'}",
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
        lines.append(f"{type(item).__name__}: {redact_secrets(str(item), secrets)[:1200]}")
        for frame in traceback.extract_tb(item.__traceback__):
            lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")
    return "\n".join(lines) + "\n"


def write_crash_report(text: str) -> str | None:
    """Save ``text`` as ``crash-<UTC time>.txt`` (0600) in the state directory."""
    try:
        from c66tui.config import paths  # deferred: platformdirs only when a crash is saved

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
    message = redact_secrets(str(exc), secrets)[:300]
    print(
        f"c66tui stopped after an unexpected error: {type(exc).__name__}: {message}",
        file=sys.stderr,
    )
    if path:
        print(f"A report (no tokens, no local values) was saved to {path}", file=sys.stderr)
    return FAILED
