"""The Textual-free pieces of getting onto a server: key files, ssh argv, server choice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from c66tui.api.models import Server
from c66tui.api.redaction import redact
from c66tui.api.secret import Secret
from c66tui.ops import keyfile
from c66tui.ops.lease import check_minutes
from c66tui.ops.server_access import describe_status
from c66tui.ops.ssh import (
    ServerNotResolved,
    SshTarget,
    build_command,
    checked_port,
    resolve_server,
    server_address,
    server_user,
)
from tests.waiting import until_sync

KEY = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "AAAAsecretbodyline0123456789\n"
    "-----END OPENSSH PRIVATE KEY-----"
)


def server(name="Caribou", address="203.0.113.10", roles=("web",), user="root", **extra):
    raw = {"uid": f"uid-{name}", "name": name, "address": address, "user_name": user}
    raw.update(extra)
    raw["server_roles"] = list(roles)
    return Server.from_api(raw)


# -- key files ------------------------------------------------------------------------


def test_key_file_is_private_and_removed(isolated_dirs):
    with keyfile.KeyFile(Secret(KEY)) as key:
        assert key.path.parent == isolated_dirs["state"] / "ssh-keys"
        assert os.stat(key.path.parent).st_mode & 0o777 == 0o700
        assert os.stat(key.path).st_mode & 0o777 == 0o600
        assert key.path.read_text() == KEY + "\n"
        assert key.path.name.startswith(f"{os.getpid()}-")
        assert str(Path.home() / ".ssh") not in str(key.path)
    assert not key.path.exists()
    key.remove()  # twice is fine


def test_key_text_is_redacted_once_written(isolated_dirs):
    with keyfile.KeyFile(KEY):
        assert "secretbodyline" not in redact(f"oops: {KEY}")


def test_sweep_removes_keys_of_dead_processes_only(isolated_dirs):
    directory = isolated_dirs["state"] / "ssh-keys"
    directory.mkdir(parents=True, mode=0o700)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = directory / f"{dead.stdout.strip()}-abc.key"
    stale.write_text("x")
    mine = keyfile.KeyFile(KEY)
    other_alive = directory / "1-def.key"  # pid 1 is always alive
    other_alive.write_text("x")
    unrelated = directory / "notes.txt"
    unrelated.write_text("x")
    try:
        assert keyfile.sweep_stale() == 1
        assert not stale.exists()
        assert mine.path.exists() and other_alive.exists() and unrelated.exists()
    finally:
        mine.remove()


def test_remove_live_keys(isolated_dirs):
    first, second = keyfile.KeyFile(KEY), keyfile.KeyFile(KEY)
    assert keyfile.remove_live_keys() == 2
    assert not first.path.exists() and not second.path.exists()


def test_sighup_removes_the_key_before_the_process_ends(isolated_dirs, tmp_path):
    script = textwrap.dedent(
        f"""
        import sys, time
        from c66tui.ops import keyfile
        keyfile.install_signal_cleanup()
        key = keyfile.KeyFile({KEY!r})
        print(key.path, flush=True)
        time.sleep(30)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
        # A hang-up ends the process by default, as at a terminal (a run under nohup
        # would otherwise hand the child an ignored SIGHUP).
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_DFL),
    )
    path = Path(proc.stdout.readline().strip())
    assert path.exists()
    proc.send_signal(signal.SIGHUP)
    assert proc.wait(timeout=10) == -signal.SIGHUP
    assert not path.exists()


HANG_UP_MID_BOOKKEEPING = """
def hang_up_mid_bookkeeping(frame, event, arg):
    # The link drops at the very moment the set of live keys changes.
    if event == "c_call" and armed and isinstance(getattr(arg, "__self__", None), set):
        armed.clear()
        signal.raise_signal(signal.SIGHUP)
"""


@pytest.mark.parametrize("moment", ["while a key is put away", "during the first hang-up"])
def test_a_hang_up_in_the_middle_of_the_bookkeeping_still_ends_the_process(
    isolated_dirs, moment
):
    """A dropped link signals twice (the terminal, then the session leader's end), and a
    signal may land while the key list is being changed: the handler must not wait for
    something the thread it interrupted holds (a lock there hung the process for good)."""
    then = "key.remove()" if moment == "while a key is put away" else "pass"
    script = textwrap.dedent(
        f"""
        import signal, sys, time
        from c66tui.ops import keyfile
        keyfile.install_signal_cleanup()
        key = keyfile.KeyFile({KEY!r})
        print(key.path, flush=True)
        armed = [True]
        {textwrap.indent(HANG_UP_MID_BOOKKEEPING, "        ").strip()}
        sys.setprofile(hang_up_mid_bookkeeping)
        {then}
        time.sleep(30)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_DFL),
    )
    path = Path(proc.stdout.readline().strip())
    if moment == "during the first hang-up":
        proc.send_signal(signal.SIGHUP)
    try:
        status = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError(f"the process hung after a hang-up {moment}") from None
    assert status == -signal.SIGHUP
    assert not path.exists()


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_stop_signal_for_c66tui_alone_ends_its_ssh_too(isolated_dirs, tmp_path, name):
    """A signal sent to c66tui only (a supervisor's SIGTERM, ``kill -HUP``) reaches the
    ssh running in the foreground as well, so no session is left on the terminal."""
    number = getattr(signal, name)
    pid_file = tmp_path / "session.pid"
    session = (
        f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    )
    script = textwrap.dedent(
        f"""
        import sys
        from c66tui.ops import keyfile, server_access
        keyfile.install_signal_cleanup()
        key = keyfile.KeyFile({KEY!r})
        print(key.path, flush=True)
        argv = [sys.executable, "-c", {session!r}]
        prepared = server_access.Prepared(None, None, argv, key, None)
        server_access.run_session(prepared)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_DFL),
    )
    path = Path(proc.stdout.readline().strip())
    session_pid = int(until_sync(lambda: pid_file.exists() and pid_file.read_text(), what="ssh"))
    proc.send_signal(number)  # to c66tui only, not to its group
    assert proc.wait(timeout=10) == -number
    assert not path.exists()
    until_sync(lambda: not alive(session_pid), timeout=10, what="the session to end")


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting to be reaped does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# -- the ssh command -------------------------------------------------------------------


def test_command_uses_only_the_key_and_our_known_hosts(tmp_path):
    target = SshTarget(
        "root", "203.0.113.10", 2222, tmp_path / "k.key", tmp_path / "kh", ("uptime", "-p")
    )
    argv = build_command("/usr/bin/ssh", target)
    assert argv[:5] == ["/usr/bin/ssh", "-i", str(tmp_path / "k.key"), "-p", "2222"]
    for option in (
        "IdentitiesOnly=yes",
        "StrictHostKeyChecking=ask",
        f"UserKnownHostsFile={tmp_path / 'kh'}",
        "GlobalKnownHostsFile=/dev/null",
        "ForwardAgent=no",
    ):
        assert option in argv
    assert argv[-5:] == ["root", "--", "203.0.113.10", "uptime", "-p"]


@pytest.mark.parametrize("hostile", ["-oProxyCommand=touch /tmp/x", "a b", "host;rm", "", "[x]"])
def test_hostile_addresses_are_not_used(hostile):
    assert server_address(server(address=hostile)) == ""


def test_address_falls_back_to_ext_ipv4_and_users_are_checked():
    assert server_address(server(address="", ext_ipv4="198.51.100.7")) == "198.51.100.7"
    assert server_address(server(address="web-1.example.c66.me")) == "web-1.example.c66.me"
    assert server_address(server(address="2001:db8::1")) == "2001:db8::1"
    assert server_user(server(user="deploy")) == "deploy"
    assert server_user(server(user="-oX")) == "" and server_user(server(user=None)) == ""


def test_servers_resolve_like_cx():
    caribou, lion, lynx = (
        server("Caribou", roles=("web",)),
        server("Lion", "203.0.113.11", roles=("db", "postgresql")),
        server("Lynx", "203.0.113.12", roles=("web",)),
    )
    servers = [caribou, lion, lynx]
    assert resolve_server(servers, "Lion") is lion
    assert resolve_server(servers, "lion") is lion
    assert resolve_server(servers, "car") is caribou
    assert resolve_server(servers, "203.0.113.12") is lynx
    assert resolve_server(servers, "postgresql") is lion
    assert resolve_server(servers, "web") is caribou  # a role: the first server with it
    assert resolve_server([lion], None) is lion
    with pytest.raises(ServerNotResolved, match="several servers"):
        resolve_server(servers, "l")
    with pytest.raises(ServerNotResolved, match="name one of"):
        resolve_server(servers, None)
    with pytest.raises(ServerNotResolved, match="no server"):
        resolve_server(servers, "zebra")
    with pytest.raises(ServerNotResolved, match="no servers"):
        resolve_server([], None)


def test_ports_minutes_and_statuses():
    assert checked_port("2222") == 2222
    for bad in ("0", "70000", "ssh"):
        with pytest.raises(ValueError):
            checked_port(bad)
    assert check_minutes("20") == 20
    for bad in ("0", "241", "soon"):
        with pytest.raises(ValueError):
            check_minutes(bad)
    assert "exit status 0" in describe_status(0)
    assert "could not connect" in describe_status(255)
    assert "SIGKILL" in describe_status(128 + 9)


def test_key_files_wait_for_the_directory_to_be_ours(isolated_dirs):
    directory = isolated_dirs["state"] / "ssh-keys"
    directory.mkdir(parents=True, mode=0o755)
    with keyfile.KeyFile(KEY):
        assert os.stat(directory).st_mode & 0o777 == 0o700
    assert os.listdir(directory) == []


def test_refusals_come_in_order_and_say_why():
    from types import SimpleNamespace

    from c66tui.ops.server_access import refusal

    def services(**state):
        scopes = state.pop("scopes", {"admin"})
        return SimpleNamespace(
            demo=state.get("demo", False),
            read_only=state.get("read_only", False),
            permission=lambda scope, write=True: None if scope in scopes else "missing",
        )

    good = server()
    assert refusal(services(), good, "/usr/bin/ssh") is None
    assert "simulated" in refusal(services(demo=True), good, "/usr/bin/ssh")
    assert "read-only" in refusal(services(read_only=True), good, "/usr/bin/ssh")
    assert "'admin' scope" in refusal(services(scopes=set()), good, "/usr/bin/ssh")
    assert "Choose a server" in refusal(services(), None, "/usr/bin/ssh")
    assert "no address" in refusal(services(), server(address=""), "/usr/bin/ssh")
    assert "which user" in refusal(services(), server(user=""), "/usr/bin/ssh")
