"""Short, redacted crash reports instead of a traceback full of local variables.

Textual's default crash output renders the traceback with ``show_locals=True``: a token,
the token-response dict or a pasted code held in a local variable would end up on screen
and in the terminal's scrollback. :func:`write_report` saves a report with no locals and
redacted messages (mode 0600, in the state directory) and :func:`summary` is the few lines
printed after the terminal is restored. :class:`CrashReporting`, mixed into the app, puts
them in place of Textual's own crash output.
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

import textual
from rich.console import Group, RenderableType
from rich.text import Text
from textual.worker import WorkerFailed

from c66tui import __version__
from c66tui.config import paths

try:
    from c66tui.api.redaction import redact
except ImportError:  # pragma: no cover - the redaction module ships with the client

    def redact(text: str) -> str:
        return text


MAX_MESSAGE = 300
"""Longest exception message kept on screen (the report keeps up to 4x more)."""


def _clean(text: str, limit: int) -> str:
    """Redact secrets, drop control characters and bound the length."""
    text = redact(str(text))
    text = "".join(ch if ch.isprintable() or ch == "\n" else "?" for ch in text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def describe(exc: BaseException, limit: int = MAX_MESSAGE) -> str:
    """``TypeName: redacted message`` for one exception."""
    message = _clean(str(exc), limit)
    name = type(exc).__name__
    return f"{name}: {message}" if message else name


def _frames(exc: BaseException) -> list[str]:
    """``file:line in function`` for every frame; no source values, no locals."""
    lines = []
    for frame in traceback.extract_tb(exc.__traceback__):
        lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")
    return lines


def build_report(exc: BaseException) -> str:
    """The whole report as text (redacted, without local variables)."""
    app_version = __version__  # not importlib.metadata: it costs every start-up time
    lines = [
        "c66tui crash report",
        f"time: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"c66tui {app_version}, textual {textual.__version__}, "
        f"python {platform.python_version()} on {platform.system()}",
        "",
    ]
    seen: set[int] = set()
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(chain) < 5:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    for index, item in enumerate(reversed(chain)):
        if index:
            lines.append("")
            lines.append("which led to:")
        lines.append(describe(item, MAX_MESSAGE * 4))
        lines.extend(_frames(item))
    return "\n".join(lines) + "\n"


def write_report(exc: BaseException, directory: Path | None = None) -> Path | None:
    """Save :func:`build_report` to ``directory`` (the state dir) with mode 0600.

    Returns the path, or ``None`` when the report could not be written.
    """
    try:
        if directory is None:
            directory = paths.state_dir()
        paths.make_private_dirs(directory)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        path = directory / f"crash-{stamp}-{os.getpid()}.txt"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(build_report(exc))
        os.chmod(path, 0o600)
        return path
    except Exception:  # noqa: BLE001 - reporting a crash must never raise
        return None


def summary(exc: BaseException, path: Path | None) -> RenderableType:
    """What is printed after the app exits (one renderable: Textual prints only the
    first). The report path is on its own line, folded rather than cut when long."""
    head = Text()
    head.append("c66tui stopped after an unexpected error.\n", style="bold")
    head.append(describe(exc) + "\n")
    if path is None:
        head.append("The report could not be saved.")
        return head
    head.append("Report saved (no tokens, no local values) to:")
    where = Text(str(path), overflow="fold")
    tail = Text("Please include it when you report the problem.")
    return Group(head, where, tail)


class CrashReporting:
    """Mixed into the App: an unhandled error ends with :func:`summary`, not a traceback.

    Pinned to Textual 8.2.8's private ``App._handle_exception(error)`` (which every
    unhandled error in a handler or worker goes through) and ``App._fatal_error`` (called
    by it for errors without a ``__rich__`` method).
    """

    _crash_error: BaseException | None = None

    def _handle_exception(self, error: Exception) -> None:
        """Remember which error is being handled, for :meth:`_fatal_error`."""
        self._crash_error = error
        super()._handle_exception(error)  # type: ignore[misc]

    def _fatal_error(self) -> None:
        """Replace Textual's traceback-with-locals by a short, redacted report.

        The report goes to the state directory with mode 0600; the terminal gets a few
        lines with no local values. ``tests/ui/test_shell.py`` proves a token never
        shows up.
        """
        error = self._crash_error or sys.exc_info()[1] or getattr(self, "_exception", None)
        if error is None:  # pragma: no cover - Textual always calls us with an error
            super()._fatal_error()  # type: ignore[misc]
            return
        if isinstance(error, WorkerFailed) and isinstance(error.error, BaseException):
            error = error.error
        self.bell()  # type: ignore[attr-defined]
        path = write_report(error)
        self._exit_renderables.append(summary(error, path))  # type: ignore[attr-defined]
        self._close_messages_no_wait()  # type: ignore[attr-defined]
