"""The key pair the sandbox hands out as its servers' key, for ``--ssh-authorized-keys``.

``c66tui sandbox --ssh-port PORT --ssh-authorized-keys FILE`` generates a fresh ed25519 pair
with ``ssh-keygen`` at start, keeps the private half in memory (it is what
``ssh_private_key`` answers) and writes the public half to FILE, so an ``sshd`` on loopback
with ``AuthorizedKeysFile FILE`` accepts it. Without such a pair the sandbox hands out
:data:`PLACEHOLDER_KEY`, which opens nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

PLACEHOLDER_KEY = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "c2FuZGJveCBwbGFjZWhvbGRlcjogdGhpcyBrZXkgb3BlbnMgbm90aGluZw==\n"
    "-----END OPENSSH PRIVATE KEY-----\n"
)
"""What the sandbox's servers hand out when no real pair was generated (not a usable key)."""


class KeyPairError(RuntimeError):
    """``ssh-keygen`` is missing or failed."""


def generate_keypair(comment: str = "c66tui-sandbox") -> tuple[str, str]:
    """A new ed25519 pair as ``(private OpenSSH text, public authorized_keys line)``."""
    keygen = shutil.which("ssh-keygen")
    if keygen is None:
        raise KeyPairError("ssh-keygen is needed to make the sandbox's server key")
    with tempfile.TemporaryDirectory(prefix="c66tui-sandbox-key-") as scratch:
        path = Path(scratch) / "key"
        done = subprocess.run(
            [keygen, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if done.returncode != 0:
            raise KeyPairError(f"ssh-keygen failed: {done.stderr.strip()[:200]}")
        return path.read_text(), path.with_suffix(".pub").read_text().strip()


def write_authorized_keys(path: str | Path, public_line: str) -> Path:
    """Write ``public_line`` as the only key of ``path`` (mode 0600); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(public_line.strip() + "\n")
    return path
