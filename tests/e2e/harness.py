"""Drive a terminal program inside a private tmux server and read its screen.

Each :class:`Terminal` owns one tmux server on its own socket (``tmux -L <name>``), so
tests never see each other's panes or the developer's own tmux. The program runs with
exactly the environment the test gives it (``env -i``), the status line is off so the pane
is the full ``width`` x ``height``, and the pane stays on screen after the program exits
so a crash message can still be read.

Waiting is always done by polling ``capture-pane`` (every 0.1 s) for a pattern, never by
sleeping for a fixed time.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from tests.waiting import until_sync

POLL_INTERVAL = 0.1
"""Seconds between two reads of the pane while waiting."""

TMUX_CONF = """\
set -g status off
set -g remain-on-exit on
set -g history-limit 200
set -g escape-time 0
set -g default-terminal xterm-256color
"""


def tmux_path() -> str:
    """The tmux executable; a missing tmux is an error, not a skip."""
    path = shutil.which("tmux")
    if path is None:
        raise RuntimeError("the end-to-end tests need tmux on PATH (apt-get install tmux)")
    return path


def c66tui_command() -> list[str]:
    """How to run the installed ``c66tui`` command of the running environment.

    Prefers the console script next to the running interpreter (the venv's ``bin``), then
    one on ``PATH``, and falls back to ``python -m c66tui``.
    """
    bindir = str(Path(sys.executable).parent)
    search = os.pathsep.join([bindir, os.environ.get("PATH", "")])
    found = shutil.which("c66tui", path=search)
    if found:
        return [found]
    return [sys.executable, "-m", "c66tui"]


def base_env(**extra: str) -> dict[str, str]:
    """A small, explicit environment for a program under test.

    Only what a login shell on a jump host would have: PATH, HOME, a UTF-8 locale and the
    terminal type. Everything else comes from ``extra``; a value of ``""`` drops the name.
    """
    bindir = str(Path(sys.executable).parent)
    env = {
        "PATH": os.pathsep.join([bindir, os.environ.get("PATH", "/usr/bin:/bin")]),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
    }
    for key, value in extra.items():
        if value == "":
            env.pop(key, None)
        else:
            env[key] = value
    return env


class ScreenTimeout(AssertionError):
    """The expected text did not appear on screen in time (the message shows the screen)."""


class Terminal:
    """One program running in a detached tmux pane of a given size.

    Use as a context manager, or call :meth:`close` yourself: the tmux server is killed
    either way.
    """

    def __init__(self, workdir: Path, width: int = 80, height: int = 24) -> None:
        self.socket = f"c66e2e-{uuid.uuid4().hex[:10]}"
        self.width = width
        self.height = height
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._conf = self.workdir / "tmux.conf"
        self._conf.write_text(TMUX_CONF)
        self._tmux = tmux_path()
        self._started = False
        self.status_file = self.workdir / "exit-status"

    # -- process control ------------------------------------------------------------

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run one tmux command against this terminal's private server."""
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"}
        env["HOME"] = os.environ.get("HOME", "/tmp")
        return subprocess.run(
            [self._tmux, "-u", "-L", self.socket, "-f", str(self._conf), *args],
            capture_output=True,
            text=True,
            env=env,
            check=check,
            timeout=10,
        )

    def start(self, argv: Sequence[str], env: Mapping[str, str]) -> None:
        """Start ``argv`` in the pane with exactly ``env`` as its environment."""
        # A tiny shell records the exit status in a file: tmux 3.3 does not always
        # fill in #{pane_dead_status}.
        self.status_file.unlink(missing_ok=True)
        command = [
            "/usr/bin/env",
            "-i",
            *[f"{k}={v}" for k, v in env.items()],
            "/bin/sh",
            "-c",
            '"$@"; echo $? > "$0.part"; mv "$0.part" "$0"',
            str(self.status_file),
            *argv,
        ]
        self.tmux(
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            "-c",
            str(self.workdir),
            *command,
        )
        self._started = True

    def close(self) -> None:
        """Kill the tmux server (and with it the program)."""
        if self._started:
            self.tmux("kill-server", check=False)
            self._started = False

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int:
        """Process id of the program in the pane (the child of the recording shell)."""
        out = self.tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}").stdout
        shell = int(out.strip())
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
            if children:
                return int(children[0])
            time.sleep(POLL_INTERVAL)
        raise RuntimeError("the program in the pane has no process")

    def exited(self) -> int | None:
        """The program's exit status (128 + N for signal N), or ``None`` while it runs."""
        try:
            text = self.status_file.read_text().strip()
        except FileNotFoundError:
            text = ""
        if text:
            return int(text)
        out = self.tmux("display-message", "-p", "-t", "e2e", "#{pane_dead}").stdout
        if out.strip() != "1":
            return None
        # The recording shell renames its status into place before the pane dies.
        text = self.status_file.read_text().strip() if self.status_file.exists() else ""
        return int(text) if text else -1  # -1: the recording shell itself was killed

    # -- screen ---------------------------------------------------------------------

    def screen(self) -> str:
        """The visible pane as text, one line per row, trailing blanks trimmed."""
        return self.tmux("capture-pane", "-p", "-t", "e2e").stdout

    def styled_screen(self) -> str:
        """The visible pane with its colours and attributes as SGR escape sequences."""
        return self.tmux("capture-pane", "-p", "-e", "-t", "e2e").stdout

    def size(self) -> tuple[int, int]:
        """The pane's current (width, height)."""
        out = self.tmux(
            "display-message", "-p", "-t", "e2e", "#{pane_width} #{pane_height}"
        ).stdout.split()
        return int(out[0]), int(out[1])

    def wait_until(
        self,
        predicate: Callable[[str], bool],
        timeout: float = 10.0,
        what: str = "condition",
        styled: bool = False,
    ) -> str:
        """Poll the screen until ``predicate(screen)`` holds; return that screen.

        With ``styled=True`` the predicate sees the capture with its SGR sequences (to
        notice a change of focus or highlight that leaves the text as it was).
        """
        shown = [""]

        def holds() -> str | None:
            shown[0] = self.styled_screen() if styled else self.screen()
            return shown[0] if predicate(shown[0]) else None

        def seen() -> str:
            status = self.exited()
            state = "running" if status is None else f"exited with status {status}"
            return f"program {state}; screen was:\n{shown[0]}"

        try:
            return until_sync(holds, timeout=timeout, what=what, step=POLL_INTERVAL, describe=seen)
        except AssertionError as timed_out:
            raise ScreenTimeout(str(timed_out)) from None

    def wait_for_text(self, pattern: str | re.Pattern[str], timeout: float = 10.0) -> str:
        """Wait until ``pattern`` (literal text, or a compiled regex) is on screen."""
        if isinstance(pattern, re.Pattern):
            return self.wait_until(
                lambda s: pattern.search(s) is not None, timeout, f"/{pattern.pattern}/"
            )
        return self.wait_until(lambda s: pattern in s, timeout, repr(pattern))

    def styled_row(self, text: str) -> str:
        """The styled capture of the first row whose plain text contains ``text``."""
        for row in self.styled_screen().splitlines():
            if text in re.sub(r"\x1b\[[0-9;:]*m", "", row):
                return row
        raise ScreenTimeout(f"{text!r} is not on screen:\n{self.screen()}")

    def wait_for_restyle(self, text: str, before: str, timeout: float = 10.0) -> str:
        """Wait until the row holding ``text`` is drawn differently from ``before``."""

        def changed(styled: str) -> bool:
            for row in styled.splitlines():
                if text in re.sub(r"\x1b\[[0-9;:]*m", "", row):
                    return row != before
            return False

        return self.wait_until(changed, timeout, f"the row of {text!r} to change", styled=True)

    def wait_for_gone(self, pattern: str | re.Pattern[str], timeout: float = 10.0) -> str:
        """Wait until ``pattern`` is no longer on screen."""
        if isinstance(pattern, re.Pattern):
            return self.wait_until(
                lambda s: pattern.search(s) is None, timeout, f"/{pattern.pattern}/ to go"
            )
        return self.wait_until(lambda s: pattern not in s, timeout, f"{pattern!r} to go")

    def wait_for_exit(self, timeout: float = 10.0) -> int:
        """Wait until the program has exited; return its status."""
        found: list[int] = []

        def exited() -> bool:
            status = self.exited()
            found[:] = [] if status is None else [status]
            return bool(found)

        try:
            until_sync(
                exited,
                timeout=timeout,
                what="the program to exit",
                step=POLL_INTERVAL,
                describe=self.screen,
            )
        except AssertionError as timed_out:
            raise ScreenTimeout(str(timed_out)) from None
        return found[0]

    # -- input ----------------------------------------------------------------------

    def press(self, *keys: str) -> None:
        """Send named keys (``Enter``, ``Escape``, ``C-r``, ``Down``, ``y``...)."""
        self.tmux("send-keys", "-t", "e2e", *keys)

    def type(self, text: str) -> None:
        """Type ``text`` literally, one key per character."""
        self.tmux("send-keys", "-t", "e2e", "-l", "--", text)

    def paste(self, text: str) -> None:
        """Paste ``text`` as a terminal paste (bracketed when the program asked for it)."""
        self.tmux("set-buffer", "-b", "e2e-paste", "--", text)
        self.tmux("paste-buffer", "-p", "-d", "-b", "e2e-paste", "-t", "e2e")

    def resize(self, width: int, height: int) -> None:
        """Resize the window, as a user dragging the terminal would (SIGWINCH)."""
        self.tmux("resize-window", "-t", "e2e", "-x", str(width), "-y", str(height))
        self.width, self.height = width, height
