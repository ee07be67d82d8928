"""c66tui's known-hosts file and the explicit fingerprint check, against a real sshd."""

from __future__ import annotations

import os

import pytest

from c66tui.ops import known_hosts
from tests.sshd import Sshd, needs_sshd

pytestmark = needs_sshd


@pytest.fixture
def sshd(tmp_path):
    keys = tmp_path / "authorized_keys"
    keys.write_text("")
    with Sshd(tmp_path / "sshd", keys) as server:
        yield server


def test_fingerprint_match_records_the_key(sshd, isolated_dirs):
    path = known_hosts.known_hosts_file()
    assert path.parent == isolated_dirs["state"]
    assert not known_hosts.is_known("127.0.0.1", sshd.port)
    kind = known_hosts.accept_fingerprint("127.0.0.1", sshd.port, sshd.fingerprint())
    assert kind == "ED25519"
    assert known_hosts.is_known("127.0.0.1", sshd.port)
    assert not known_hosts.is_known("127.0.0.1", sshd.port + 1)
    assert sshd.host_public_key in path.read_text()
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_wrong_or_malformed_fingerprint_records_nothing(sshd, isolated_dirs):
    with pytest.raises(known_hosts.HostKeyError, match="does not have the fingerprint"):
        known_hosts.accept_fingerprint("127.0.0.1", sshd.port, "SHA256:" + "B" * 43)
    with pytest.raises(known_hosts.HostKeyError, match="not a SHA256 fingerprint"):
        known_hosts.accept_fingerprint("127.0.0.1", sshd.port, "MD5:aa:bb")
    path = known_hosts.known_hosts_file()
    assert not path.exists() or sshd.host_public_key not in path.read_text()


def test_a_closed_port_is_explained(isolated_dirs):
    from tests.sshd import free_port

    with pytest.raises(known_hosts.HostKeyError, match="sent no host key"):
        known_hosts.scan("127.0.0.1", free_port())


def test_patterns():
    assert known_hosts.host_pattern("203.0.113.10", 22) == "203.0.113.10"
    assert known_hosts.host_pattern("127.0.0.1", 2222) == "[127.0.0.1]:2222"
