"""Server keys on disk for exactly as long as one ssh session needs them.

A server's private key is written to ``<state dir>/ssh-keys/`` (mode 0700) as a 0600 file
named ``<pid>-<random>.key`` and deleted again:

* when the session ends (:meth:`KeyFile.remove`, called from a ``finally``);
* when the process is told to stop (SIGHUP from a dropped link, SIGTERM): the handler
  installed by :func:`install_signal_cleanup` deletes every live key, passes the signal on
  to the ssh that uses it (:func:`signals_passed_to`: a SIGTERM for c66tui alone must not
  leave ssh running on the terminal), then hands the signal to whatever handler was there
  before;
* at the next start, when a crash or SIGKILL left one behind: :func:`sweep_stale` deletes
  every key whose process is gone (keys of another running c66tui are left alone).

Keys never go to ``~/.ssh`` and are registered with the redaction layer so no log line or
crash report can show them.

The signal handler runs in the main thread between any two bytecodes, possibly while that
thread is itself adding or removing a key, or inside the handler for an earlier signal (a
dropped link brings SIGHUP twice: once from the terminal, once when the session leader
dies). So the set of live keys takes no lock: it holds ``str`` paths and is changed only
by single set operations, each atomic under the GIL. (A lock there deadlocked the process:
the handler waited for a lock the very thread it interrupted was holding.)
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

from c66tui.api.redaction import register_secret
from c66tui.api.secret import Secret
from c66tui.config import paths

KEY_DIR_NAME = "ssh-keys"
SUFFIX = ".key"

_live: set[str] = set()
"""Paths of the keys this process holds (see the module docstring: no lock, on purpose)."""
_sessions: set[int] = set()
"""Process ids of the running ssh sessions, which get the stop signals this process gets."""
_installed = False


def key_dir() -> Path:
    """The private directory holding the keys of running sessions."""
    return paths.state_dir() / KEY_DIR_NAME


def _ensure_dir(directory: Path) -> None:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = directory.lstat()
    if not directory.is_dir() or directory.is_symlink():
        raise OSError(f"{directory} is not a directory")
    if info.st_uid != os.geteuid():
        raise OSError(f"{directory} belongs to another user")
    if info.st_mode & 0o077:
        os.chmod(directory, 0o700)


class KeyFile:
    """One private key written for one session; use as a context manager."""

    def __init__(self, key: Secret | str, directory: Path | None = None) -> None:
        text = key.reveal() if isinstance(key, Secret) else str(key)
        text = text.replace("\r\n", "\n").strip("\n") + "\n"  # OpenSSH wants the newline
        register_secret(text.strip())  # one entry per key: the registry is bounded
        self.directory = Path(directory) if directory is not None else key_dir()
        _ensure_dir(self.directory)
        name = f"{os.getpid()}-{secrets.token_hex(8)}{SUFFIX}"
        self.path = self.directory / name
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.path, flags, 0o600)
        _live.add(str(self.path))
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, text.encode("utf-8"))
        except BaseException:
            os.close(fd)
            self.remove()
            raise
        os.close(fd)

    def remove(self) -> None:
        """Delete the file (no error when it is already gone)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        _live.discard(str(self.path))

    def __enter__(self) -> KeyFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def __repr__(self) -> str:
        return f"KeyFile({str(self.path)!r})"


def remove_live_keys() -> int:
    """Delete every key this process still holds; returns how many were deleted.

    Safe in a signal handler, even one that interrupted this very function."""
    removed = 0
    for path in tuple(_live):
        _live.discard(path)
        with contextlib.suppress(OSError):
            os.unlink(path)
            removed += 1
    return removed


@contextlib.contextmanager
def signals_passed_to(pid: int) -> Iterator[None]:
    """While the block runs, SIGHUP and SIGTERM for this process go to ``pid`` as well."""
    _sessions.add(pid)
    try:
        yield
    finally:
        _sessions.discard(pid)


def _pass_on(number: int) -> None:
    for pid in tuple(_sessions):
        with contextlib.suppress(OSError):
            os.kill(pid, number)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale(directory: Path | None = None) -> int:
    """Delete keys left by processes that are gone; returns how many were deleted.

    Files not named like our keys are left alone; so are keys this process holds.
    """
    directory = Path(directory) if directory is not None else key_dir()
    try:
        names = os.listdir(directory)
    except OSError:
        return 0
    removed = 0
    live = set(_live)
    for name in names:
        if not name.endswith(SUFFIX):
            continue
        owner, _, _rest = name.partition("-")
        path = directory / name
        if str(path) in live or (owner.isdigit() and _pid_alive(int(owner))):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed


def _chain(signum: int, previous: object):
    def handle(number: int, frame: object) -> None:
        remove_live_keys()
        _pass_on(number)
        if callable(previous):
            previous(number, frame)
        elif previous == signal.SIG_IGN:
            return
        else:  # the default action: end the process as the signal would
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)

    return handle


def install_signal_cleanup() -> None:
    """Delete live keys on SIGHUP and SIGTERM (and at exit), keeping earlier handlers.

    Only the main thread can install signal handlers; elsewhere only the exit hook is
    installed. Calling it again does nothing.
    """
    global _installed
    if _installed:
        return
    _installed = True
    atexit.register(remove_live_keys)
    if threading.current_thread() is not threading.main_thread():
        return
    for name in ("SIGHUP", "SIGTERM"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, _chain(number, signal.getsignal(number)))
