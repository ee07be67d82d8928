"""The sandbox's ssh mode: servers at 127.0.0.1 with a login user, and a real key pair."""

from __future__ import annotations

import getpass
import os
import subprocess

import httpx

from c66tui.sandbox import SandboxConfig
from c66tui.sandbox.server import SandboxServer
from c66tui.sandbox.ssh_keys import generate_keypair, write_authorized_keys


def _get(server, path, token, **params):
    answer = httpx.get(
        f"{server.base_url}{path}", params=params, headers={"Authorization": f"Bearer {token}"}
    )
    answer.raise_for_status()
    return answer.json()["response"]


def test_key_pair_halves_belong_together(tmp_path):
    private, public = generate_keypair()
    assert "OPENSSH PRIVATE KEY" in private and public.startswith("ssh-ed25519 ")
    key = tmp_path / "k"
    key.write_text(private)
    key.chmod(0o600)
    derived = subprocess.run(
        ["ssh-keygen", "-y", "-f", str(key)], capture_output=True, text=True, check=True
    ).stdout.split()[:2]
    assert derived == public.split()[:2]
    written = write_authorized_keys(tmp_path / "dir" / "authorized_keys", public)
    assert written.read_text() == public + "\n"
    assert os.stat(written).st_mode & 0o777 == 0o600


def test_ssh_mode_points_every_server_at_loopback_and_hands_out_the_key():
    private, _public = generate_keypair()
    config = SandboxConfig(ssh_port=2222, ssh_user="deploy", ssh_private_key=private)
    with SandboxServer(config=config) as server:
        token = server.sandbox.mint_token(["public", "admin"])
        stack = server.sandbox.ordered_stacks()[0]
        listed = _get(server, f"/api/3/stacks/{stack.uid}/servers.json", token)
        assert {(s["address"], s["ext_ipv4"], s["user_name"]) for s in listed} == {
            ("127.0.0.1", "127.0.0.1", "deploy")
        }
        one = _get(
            server,
            f"/api/3/stacks/{stack.uid}/servers/{listed[0]['uid']}.json",
            token,
            include_private_key=1,
        )
        assert one["ssh_private_key"] == private
        legacy = _get(server, f"/api/2/servers/{listed[0]['uid']}/ssh_private_key.json", token)
        assert legacy == {"ok": True, "private_key": private}
        plain = _get(server, f"/api/3/stacks/{stack.uid}/servers/{listed[0]['uid']}.json", token)
        assert "ssh_private_key" not in plain


def test_without_ssh_mode_servers_keep_their_addresses():
    with SandboxServer(config=SandboxConfig(ssh_user=getpass.getuser())) as server:
        token = server.sandbox.mint_token(["public"])
        stack = server.sandbox.ordered_stacks()[0]
        listed = _get(server, f"/api/2/stacks/{stack.uid}/servers.json", token)
        assert all(s["address"] != "127.0.0.1" and s["user_name"] == "root" for s in listed)
