"""Durable file replacement and a cross-process lock.

``atomic_write`` follows the usual recipe: a temporary file in the target's directory,
write, flush, fsync, chmod, ``os.replace``, fsync the directory. A failure at any step
removes the temporary file and leaves the previous file byte for byte as it was. A symlinked
target is written through: the real file is replaced and the link kept.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

try:  # pragma: no cover - always present on the POSIX systems c66tui targets
    import fcntl
except ImportError:  # pragma: no cover - Windows: no cross-process lock
    fcntl = None  # type: ignore[assignment]

TEMP_SUFFIX = ".tmp"


def resolve_target(path: Path) -> Path:
    """The real file a (possibly symlinked) path stands for."""
    path = Path(path)
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def temp_prefix(target: Path) -> str:
    """Prefix of the temporary files written next to ``target``."""
    return f".{target.name}."


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (best effort where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse fsync on directories
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> Path:
    """Replace ``path`` with ``data`` atomically; return the file actually written.

    The temporary file is created 0600 by ``mkstemp`` and set to ``mode`` before the
    rename, so a secret is never readable by others, not even for a moment.
    """
    target = resolve_target(path)
    directory = target.parent
    fd, temp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    fsync_dir(directory)
    return target


def remove_stale_temps(target: Path) -> None:
    """Delete temporary files left by a writer that was killed before its rename.

    Call only while holding the lock, when no other writer can be mid-write.
    """
    target = resolve_target(target)
    try:
        candidates = list(target.parent.glob(temp_prefix(target) + "*" + TEMP_SUFFIX))
    except OSError:  # pragma: no cover
        return
    for candidate in candidates:
        with contextlib.suppress(OSError):
            candidate.unlink()


class LockTimeout(OSError):
    """Another process held the lock for too long."""


@contextlib.contextmanager
def file_lock(path: Path, timeout: float = 10.0) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the sidecar file ``path`` (created 0600)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        if fcntl is not None:
            deadline = time.monotonic() + timeout
            delay = 0.005
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockTimeout(f"{path} is locked by another c66tui") from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.05)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
