"""Log in to a server for real: a throwaway sshd on loopback, the sandbox pointed at it.

``c66tui sandbox --ssh-port PORT --ssh-authorized-keys FILE`` makes every server
127.0.0.1:PORT and writes the public half of the key it hands out to FILE, which the test
sshd accepts. From the TUI in tmux: ``s`` on a server, the host key question, a command
that writes a marker, ``exit``; then the app is back on the stack detail, the lease is in
the journal, no key file is left and c66tui's known-hosts file holds the sshd's key. The
command line form runs ``c66tui ssh -s STACK -- true``. SIGKILL tests check that a key
left behind by a killed session is removed at the next start.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import ALL_SCOPES
from tests.e2e.flows import filter_to, outcomes, wait_for
from tests.e2e.harness import base_env, c66tui_command
from tests.e2e.sandbox_proc import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SandboxProcess
from tests.sshd import Sshd, free_port, needs_sshd

pytestmark = [pytest.mark.e2e, needs_sshd]


@pytest.fixture(scope="module")
def reachable(tmp_path_factory):
    """(sandbox process, sshd) with every sandbox server reachable at the sshd."""
    workdir = tmp_path_factory.mktemp("ssh")
    keys = workdir / "authorized_keys"
    port = free_port()
    box = SandboxProcess(workdir, "--ssh-port", str(port), "--ssh-authorized-keys", str(keys))
    box.start()
    sshd = Sshd(workdir / "sshd", keys, port)
    try:
        sshd.start()
        yield box, sshd
    finally:
        sshd.stop()
        box.stop()


@pytest.fixture
def profile(reachable, isolated_dirs) -> str:
    """A logged-in ``default`` profile for the ssh sandbox; returns the token."""
    from c66tui.api.secret import Secret
    from c66tui.config import ConfigStore, Profile

    box, _sshd = reachable
    box.control.reset()
    token = box.control.mint_token(ALL_SCOPES)
    store = ConfigStore(isolated_dirs["config"])

    def setup(config) -> None:
        config.profiles["default"] = Profile(
            name="default",
            api_url=f"{box.base_url}/api/2",  # the legacy lease; one run below uses /api/3
            client_id=SANDBOX_CLIENT_ID,
            scopes=tuple(ALL_SCOPES),
        )
        config.active_profile = "default"

    store.update(setup)
    store.set_token("default", Secret(token), client_secret=Secret(SANDBOX_CLIENT_SECRET))
    return token


def small_stack(box, token: str) -> tuple[str, str]:
    """(stack name, a server name) of a two-server stack, unique as a filter word (the
    seed world has no stack with a single server)."""
    stacks = box.control.stacks(token)
    names = [s["name"] for s in stacks]
    for stack in stacks:
        answer = box.control.http.get(
            f"/api/2/stacks/{stack['uid']}/servers.json",
            headers={"Authorization": f"Bearer {token}"},
        )
        servers = answer.json()["response"]
        others = [n for n in names if n != stack["name"]]
        if len(servers) == 2 and not any(stack["name"] in n for n in others):
            return stack["name"], servers[0]["name"]
    raise AssertionError("the sandbox has no stack with two servers")


def ssh_env(sshd: Sshd, **extra: str) -> dict[str, str]:
    return {"C66TUI_SSH_PORT": str(sshd.port), **extra}


def key_files(state: Path) -> list[str]:
    directory = state / "ssh-keys"
    return sorted(os.listdir(directory)) if directory.exists() else []


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def open_servers(term, names: tuple[str, str]) -> None:
    """Filter to the stack, open its detail and put the focus on the servers table."""
    stack, server = names
    filter_to(term, stack)
    term.press("Enter")
    term.wait_for_text("Servers by group", timeout=20)
    term.wait_for_text(server, timeout=20)
    term.press("Tab")  # deployments -> servers


def trust(state: Path, sshd: Sshd) -> None:
    """Put the sshd's host key in c66tui's known-hosts file (no question asked)."""
    state.mkdir(parents=True, exist_ok=True)
    line = f"[127.0.0.1]:{sshd.port} ssh-ed25519 {sshd.host_public_key}\n"
    (state / "known_hosts").write_text(line)


def test_s_logs_in_runs_a_command_and_comes_back(
    launch, reachable, profile, isolated_dirs, tmp_path
):
    box, sshd = reachable
    state = isolated_dirs["state"]
    names = small_stack(box, profile)
    name = names[0]
    marker = tmp_path / "marker"
    term = launch(size=(100, 30), env=ssh_env(sshd)).term
    open_servers(term, names)

    term.press("s")
    screen = term.wait_for_text("Log in to this server?")
    assert "e-mails the account's users" in screen and f"port {sshd.port}" in screen
    term.press("y")
    screen = term.wait_for_text("continue connecting", timeout=30)
    assert sshd.fingerprint() in screen, "the first connection shows the fingerprint"
    term.type("yes")
    term.press("Enter")
    term.type(f"touch {marker}; exit")
    term.press("Enter")

    screen = term.wait_for_text("exit status 0", timeout=30)
    assert "Back from ssh" in screen
    assert "Servers by group" in screen and name in screen, "back on the same screen"
    assert marker.exists()
    [(begin, outcome)] = outcomes(state, "lease")
    assert begin["stack_name"] == name and outcome == "ok"
    assert key_files(state) == []
    known = (state / "known_hosts").read_text()
    assert sshd.host_public_key in known
    assert len(box.control.writes(r"/stacks/[0-9a-f]+/lease")) == 1


def test_command_line_ssh_runs_true(reachable, profile, isolated_dirs):
    box, sshd = reachable
    name, server = small_stack(box, profile)
    env = base_env(
        **{f"C66TUI_{k.upper()}_DIR": str(v) for k, v in isolated_dirs.items()},
        **ssh_env(sshd),
    )

    def ssh(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*c66tui_command(), "ssh", "-s", name, "--yes", *args],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )

    which = ssh("--", "true")  # two servers: the command needs to be told which
    assert which.returncode == 2 and "name one of" in which.stderr
    unknown_host = ssh(server, "--", "true")
    assert unknown_host.returncode == 2 and "--host-key" in unknown_host.stderr
    assert box.control.writes(r"/lease") == [], "nothing sent before the host key is settled"

    wrong = ssh("--host-key", "SHA256:" + "A" * 43, server, "--", "true")
    assert wrong.returncode == 1 and "does not have the fingerprint" in wrong.stderr

    done = ssh("--host-key", sshd.fingerprint(), "--json", server, "--", "true")
    assert done.returncode == 0, done.stderr
    assert '"ssh_exit_status": 0' in done.stdout
    failed = ssh(server, "--", "false")
    assert failed.returncode == 1 and "exit status 1" in failed.stderr
    v3 = ssh("--api-url", f"{box.base_url}/api/3", server, "--", "true")
    assert v3.returncode == 0, v3.stderr
    assert "opening the firewall (action" in v3.stderr, "the resource API answers an action"
    assert len(box.control.writes(r"^/api/3/stacks/[0-9a-f]+/firewalls")) == 1
    assert key_files(isolated_dirs["state"]) == []
    assert [o for _b, o in outcomes(isolated_dirs["state"], "lease")] == ["ok"] * 4


def test_sigkill_of_ssh_removes_the_key_at_once(launch, reachable, profile, isolated_dirs):
    box, sshd = reachable
    state = isolated_dirs["state"]
    trust(state, sshd)
    term = launch(size=(100, 30), env=ssh_env(sshd)).term
    open_servers(term, small_stack(box, profile))
    term.press("s")
    term.wait_for_text("Log in to this server?")
    term.press("y")
    ssh_pid = wait_for(lambda: children(term.pid), timeout=30, what="ssh to start")[0]
    assert len(key_files(state)) == 1
    os.kill(ssh_pid, signal.SIGKILL)
    term.wait_for_text("SIGKILL", timeout=30)
    assert key_files(state) == []


def test_key_left_by_a_killed_session_is_removed_at_the_next_start(
    launch, reachable, profile, isolated_dirs
):
    box, sshd = reachable
    state = isolated_dirs["state"]
    trust(state, sshd)
    first = launch(size=(100, 30), env=ssh_env(sshd)).term
    open_servers(first, small_stack(box, profile))
    first.press("s")
    first.wait_for_text("Log in to this server?")
    first.press("y")
    app_pid = first.pid
    ssh_pid = wait_for(lambda: children(app_pid), timeout=30, what="ssh to start")[0]
    os.kill(app_pid, signal.SIGKILL)  # the app dies first: nobody is left to clean up
    os.kill(ssh_pid, signal.SIGKILL)
    first.wait_for_exit(timeout=10)
    left = key_files(state)
    assert len(left) == 1 and left[0].startswith(f"{app_pid}-")
    first.close()

    second = launch(size=(100, 30), env=ssh_env(sshd)).term
    second.wait_for_text("stacks", timeout=30)
    wait_for(lambda: key_files(state) == [], timeout=10, what="the stale key to go")


def test_a_changed_host_key_is_refused(reachable, profile, isolated_dirs, tmp_path):
    box, sshd = reachable
    name, server = small_stack(box, profile)
    state = isolated_dirs["state"]
    other = tmp_path / "other_host_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    state.mkdir(parents=True, exist_ok=True)
    impostor = other.with_suffix(".pub").read_text().split()[1]
    (state / "known_hosts").write_text(f"[127.0.0.1]:{sshd.port} ssh-ed25519 {impostor}\n")
    env = base_env(
        **{f"C66TUI_{k.upper()}_DIR": str(v) for k, v in isolated_dirs.items()},
        **ssh_env(sshd),
    )
    marker = tmp_path / "should-not-exist"
    done = subprocess.run(
        [*c66tui_command(), "ssh", "-s", name, "--yes", server, "--", "touch", str(marker)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "REMOTE HOST IDENTIFICATION HAS CHANGED" in done.stderr
    assert "exit status 255" in done.stderr
    assert not marker.exists()
    assert sshd.host_public_key not in (state / "known_hosts").read_text()
    assert key_files(state) == []


def test_a_dropped_link_during_ssh_removes_the_key(launch, reachable, profile, isolated_dirs):
    box, sshd = reachable
    state = isolated_dirs["state"]
    trust(state, sshd)
    term = launch(size=(100, 30), env=ssh_env(sshd)).term
    open_servers(term, small_stack(box, profile))
    term.press("s")
    term.wait_for_text("Log in to this server?")
    term.press("y")
    app_pid = term.pid
    ssh_pid = wait_for(lambda: children(app_pid), timeout=30, what="ssh to start")[0]
    assert len(key_files(state)) == 1
    # The terminal hangs up on its group; the shell that led the session then ends, and the
    # kernel hangs up on the group again: two signals, the second often while the first
    # is being handled.
    os.killpg(os.getpgid(app_pid), signal.SIGHUP)
    # Ended (a zombie its parent has not reaped yet counts as ended).
    wait_for(lambda: not running(app_pid), timeout=15, what="c66tui to end")
    assert key_files(state) == []
    wait_for(lambda: not running(ssh_pid), timeout=15, what="ssh to end as well")


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting to be reaped is not)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"
