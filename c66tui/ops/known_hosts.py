"""c66tui's own known-hosts file, and the explicit fingerprint check for scripts.

ssh is always run with ``UserKnownHostsFile`` pointing here (and no global file), so the
servers c66tui connects to are trusted on their own terms, never through the user's
``~/.ssh/known_hosts``. With ``StrictHostKeyChecking=ask`` OpenSSH itself shows the
fingerprint of a server seen for the first time and asks, and refuses a changed key.

Without a terminal nobody can answer that question, so a script passes the fingerprint it
expects: :func:`accept_fingerprint` scans the server's keys, and records them only when
one of them has exactly that fingerprint.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from c66tui.config import paths

FILE_NAME = "known_hosts"
FINGERPRINT = re.compile(r"^SHA256:[A-Za-z0-9+/]{43}=?$")
SCAN_TIMEOUT = 15.0


class HostKeyError(Exception):
    """The server's host key could not be checked or did not match; the message says why."""


@dataclass(frozen=True)
class ScannedKey:
    """One host key line as ``ssh-keyscan`` printed it, with its SHA256 fingerprint."""

    line: str
    fingerprint: str
    key_type: str


def known_hosts_file() -> Path:
    """The known-hosts file c66tui hands to ssh."""
    return paths.state_dir() / FILE_NAME


def host_pattern(host: str, port: int) -> str:
    """How known_hosts names ``host`` (``[host]:port`` for a port other than 22)."""
    return host if port == 22 else f"[{host}]:{port}"


def ensure_file(path: Path | None = None) -> Path:
    """Create the file (0600, its directory 0700) when missing; return its path."""
    path = Path(path) if path is not None else known_hosts_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.close(fd)
    return path


def is_known(host: str, port: int, path: Path | None = None) -> bool:
    """Whether the file already holds a key for ``host:port`` (hashed entries included)."""
    path = Path(path) if path is not None else known_hosts_file()
    if not path.exists():
        return False
    keygen = shutil.which("ssh-keygen")
    pattern = host_pattern(host, port)
    if keygen is None:  # plain entries only
        for line in path.read_text(errors="replace").splitlines():
            names = line.split(" ", 1)[0].split(",")
            if pattern in names:
                return True
        return False
    done = subprocess.run(
        [keygen, "-F", pattern, "-f", str(path)],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    return done.returncode == 0 and bool(done.stdout.strip())


def scan(host: str, port: int) -> list[ScannedKey]:
    """The server's host keys with their fingerprints (``ssh-keyscan`` + ``ssh-keygen``)."""
    keyscan, keygen = shutil.which("ssh-keyscan"), shutil.which("ssh-keygen")
    if keyscan is None or keygen is None:
        raise HostKeyError("ssh-keyscan and ssh-keygen are needed to check a fingerprint.")
    try:
        found = subprocess.run(
            [keyscan, "-T", "10", "-p", str(port), "--", host],
            capture_output=True,
            text=True,
            timeout=SCAN_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise HostKeyError(f"{host} did not answer on port {port} in time.") from None
    keys = []
    for line in found.stdout.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        listed = subprocess.run(
            [keygen, "-l", "-E", "sha256", "-f", "-"],
            input=line + "\n",
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        parts = listed.stdout.split()
        if listed.returncode == 0 and len(parts) >= 2:
            key_type = parts[-1].strip("()")
            keys.append(ScannedKey(line.strip(), parts[1], key_type))
    if not keys:
        raise HostKeyError(f"{host} sent no host key on port {port}.")
    return keys


def accept_fingerprint(host: str, port: int, fingerprint: str, path: Path | None = None) -> str:
    """Record the server's key if one of its keys has ``fingerprint``; return its type.

    Raises :class:`HostKeyError` when the fingerprint is malformed, the server cannot be
    scanned, or none of its keys match (nothing is written then).
    """
    wanted = fingerprint.strip()
    if not FINGERPRINT.match(wanted):
        raise HostKeyError(
            f"{fingerprint!r} is not a SHA256 fingerprint (like SHA256:AbC...; "
            "ssh-keygen -lf shows it)."
        )
    path = ensure_file(path)
    wanted = wanted.rstrip("=")
    matching = [key for key in scan(host, port) if key.fingerprint.rstrip("=") == wanted]
    if not matching:
        raise HostKeyError(
            f"the host key of {host} does not have the fingerprint {wanted}; nothing was "
            "recorded and no connection was made."
        )
    with open(path, "a", encoding="utf-8") as handle:
        with contextlib.suppress(OSError):
            os.fchmod(handle.fileno(), 0o600)
        for key in matching:
            handle.write(key.line + "\n")
    return matching[0].key_type
