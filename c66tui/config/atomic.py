"""Durable file replacement and a cross-process lock.

``atomic_write`` follows the usual recipe: a temporary file in the target's directory,
write, flush, fsync, chmod, ``os.replace``, fsync the directory. A failure at any step
removes the temporary file and leaves the previous file byte for byte as it was. A symlinked
target is written through: the real file is replaced and the link kept.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

try:  # pragma: no cover - always present on the POSIX systems c66tui targets
    import fcntl
except ImportError:  # pragma: no cover - Windows: no cross-process lock
    fcntl = None  # type: ignore[assignment]

TEMP_SUFFIX = ".tmp"


class NotRegularFile(OSError):
    """The path is a FIFO, a device, a socket or a directory, not a file c66tui wrote."""


def open_regular(path: Path, flags: int = os.O_RDONLY, mode: int = 0o600) -> int:
    """Open ``path`` without ever blocking and return the fd, or raise
    :class:`NotRegularFile` when it is not a regular file (checked on the open fd).

    ``O_NONBLOCK`` makes opening a FIFO return at once instead of waiting for a writer
    (``c66tui status`` would hang on one); ``O_NOCTTY`` keeps a terminal device from
    becoming ours. Neither changes anything for a regular file.
    """
    extra = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    extra |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags | extra, mode)
    except OSError as error:
        if error.errno in (errno.ENXIO, errno.EISDIR):  # a FIFO nobody reads; a directory
            raise NotRegularFile(error.errno, f"{path} is not a regular file") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(errno.EINVAL, f"{path} is not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``; see :func:`open_regular`)."""
    fd = open_regular(path)
    try:
        chunks = []
        remaining = limit if limit is not None else -1
        while remaining != 0:
            chunk = os.read(fd, 65536 if remaining < 0 else min(remaining, 65536))
            if not chunk:
                break
            chunks.append(chunk)
            if remaining > 0:
                remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


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
