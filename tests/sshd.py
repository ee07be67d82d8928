"""A throwaway OpenSSH server on a free loopback port, for the server log-in tests.

It has its own host key, config, pid file and log in a temporary directory, accepts only
the keys in the file the sandbox writes (``--ssh-authorized-keys``), and lets the current
user in (``PermitRootLogin yes`` covers running the tests as root). Tests that need it are
skipped, with the reason, only when ``/usr/sbin/sshd`` is absent (``.ci/run`` installs it).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

SSHD = "/usr/sbin/sshd"
PRIVSEP_DIR = Path("/run/sshd")

needs_sshd = pytest.mark.skipif(
    not os.path.exists(SSHD), reason=f"{SSHD} is absent (install openssh-server)"
)


def free_port() -> int:
    """A loopback TCP port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sshd:
    """``sshd -D -e -f cfg`` on 127.0.0.1:``port``; use as a context manager."""

    def __init__(self, workdir: Path, authorized_keys: Path, port: int | None = None) -> None:
        self.dir = Path(workdir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.authorized_keys = Path(authorized_keys)
        self.port = port or free_port()
        self.host_key = self.dir / "host_ed25519"
        self.config = self.dir / "sshd_config"
        self.log_path = self.dir / "sshd.log"
        self.proc: subprocess.Popen | None = None

    @property
    def host_public_key(self) -> str:
        """The host key's base64 body (what a known_hosts line holds)."""
        return self.host_key.with_suffix(".pub").read_text().split()[1]

    def fingerprint(self) -> str:
        """The host key's SHA256 fingerprint."""
        out = subprocess.run(
            ["ssh-keygen", "-l", "-E", "sha256", "-f", str(self.host_key)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return out.split()[1]

    def start(self, timeout: float = 10.0) -> Sshd:
        if os.geteuid() == 0 and not PRIVSEP_DIR.exists():
            PRIVSEP_DIR.mkdir(mode=0o755)  # sshd's privilege separation directory
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(self.host_key)],
            check=True,
        )
        self.config.write_text(
            "\n".join(
                [
                    f"Port {self.port}",
                    "ListenAddress 127.0.0.1",
                    f"HostKey {self.host_key}",
                    f"PidFile {self.dir / 'sshd.pid'}",
                    f"AuthorizedKeysFile {self.authorized_keys}",
                    "UsePAM no",
                    "PermitRootLogin yes",
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "StrictModes no",
                    "PrintMotd no",
                    "LogLevel VERBOSE",
                    "",
                ]
            )
        )
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(self.config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sshd did not start:\n{self.log()}")
            with socket.socket() as sock:
                sock.settimeout(0.5)
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"sshd did not listen in time:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __enter__(self) -> Sshd:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def ssh_tools_present() -> bool:
    """Whether the OpenSSH client tools the tests drive are on PATH."""
    return all(shutil.which(tool) for tool in ("ssh", "ssh-keygen", "ssh-keyscan"))
