"""The command line: version, paths, terminal checks, login, logout, journal, crashes."""

from __future__ import annotations

import argparse
import io
import os
import signal
import stat
import subprocess
import sys
import types

import pytest

from c66tui import __version__, cli, launch
from c66tui.api.secret import Secret
from c66tui.commands import sandbox as sandbox_command
from c66tui.commands.sandbox import is_loopback
from c66tui.config import ConfigStore, Profile
from c66tui.ops.journal import Journal

SENTINEL = "SENTINEL-9f3c2a7be1d04c58"


def run(argv, capsys) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    assert run(["--version"], capsys) == (0, f"c66tui {__version__}\n", "")


def test_help(capsys):
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "--profile" in out and "sandbox" in out


def test_unknown_option_is_a_usage_error(capsys):
    assert run(["--bogus"], capsys)[0] == 2


def test_config_path(isolated_dirs, capsys):
    code, out, _ = run(["config", "path"], capsys)
    assert code == 0
    lines = dict(line.split(":", 1) for line in out.splitlines())
    values = {key: value.strip() for key, value in lines.items()}
    assert values["Config directory"] == str(isolated_dirs["config"])
    assert values["Config file"] == str(isolated_dirs["config"] / "config.toml")
    assert values["Credentials file"] == str(isolated_dirs["config"] / "credentials.toml")
    assert values["Cache directory"] == str(isolated_dirs["cache"])
    assert values["State directory"] == str(isolated_dirs["state"])
    assert values["Journal file"] == str(isolated_dirs["state"] / "journal.jsonl")
    assert not isolated_dirs["config"].exists()


def test_config_check(isolated_dirs, capsys):
    assert run(["config", "check"], capsys)[0] == 0
    isolated_dirs["config"].mkdir()
    (isolated_dirs["config"] / "credentials.toml").write_text("x = = 1\n")
    code, _, err = run(["config", "check"], capsys)
    assert code == 2 and "credentials.toml is not valid TOML (line 1" in err


def test_broken_config_is_reported_without_traceback(isolated_dirs, capsys):
    isolated_dirs["config"].mkdir()
    (isolated_dirs["config"] / "config.toml").write_text("[preferences]\nmouse = 3\n")
    code, _, err = run(["status"], capsys)
    assert code == 2 and "'preferences.mouse'" in err and "Traceback" not in err


def test_refuses_without_a_terminal_subprocess(isolated_dirs):
    result = subprocess.run(
        [sys.executable, "-m", "c66tui"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        env=dict(os.environ, TERM="xterm-256color"),
    )
    assert result.returncode == 2
    assert "needs an interactive terminal" in result.stderr
    assert "c66tui status" in result.stderr
    assert result.stdout == ""
    listed = result.stderr.split("\nFor example:")[0]
    for name in launch.subcommands(cli.build_parser()):
        assert f" {name}," in listed or f" {name} (" in listed or listed.endswith(f" {name}")
    assert "jobs (list, run, pause, resume)" in listed
    assert all(len(line) <= 80 for line in result.stderr.splitlines()[1:])


def test_no_terminal_list_follows_the_parser():
    parser = argparse.ArgumentParser(prog="c66tui")
    commands = parser.add_subparsers(dest="command")
    group = commands.add_parser("things").add_subparsers(dest="what")
    group.add_parser("list")
    group.add_parser("show")
    commands.add_parser("brand-new-command")
    assert launch.command_list(parser) == "  things (list, show), brand-new-command"
    assert "--help" in launch.command_list(None)


def test_refuses_when_only_stdout_is_piped(isolated_dirs):
    """``c66tui | less`` on a real terminal: standard input is a terminal, output is not."""
    import pty

    leader, follower = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "c66tui"],
            stdin=follower,
            capture_output=True,
            text=True,
            timeout=30,
            env=dict(os.environ, TERM="xterm-256color"),
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2
    assert "standard output is not a terminal" in result.stderr
    assert result.stdout == ""


def test_refuses_dumb_terminal(monkeypatch, capsys):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("TERM", "dumb")
    code, _, err = run([], capsys)
    assert code == 2 and "TERM is 'dumb'" in err


class FakeApp:
    def __init__(self, settings, api_factory=None):
        self.settings = settings
        self.api_factory = api_factory
        self.mouse = None
        self.return_code = 0
        self.services = types.SimpleNamespace(settings=settings)

    def run(self, mouse=True):
        self.mouse = mouse


@pytest.fixture
def fake_ui(monkeypatch):
    """Pretend to be on a terminal and capture the app instead of running Textual."""
    made: list[FakeApp] = []
    monkeypatch.setattr(launch, "terminal_problem", lambda: None)
    monkeypatch.setattr(launch, "install_signal_handlers", lambda app=None: None)

    def build(args, settings):
        if args.demo:
            from c66tui.config import demo_settings, use_demo_dirs

            use_demo_dirs()
            settings = demo_settings(args)
        app = FakeApp(settings)
        made.append(app)
        return app

    monkeypatch.setattr(launch, "build_app", build)
    for name in ("TEXTUAL_ANIMATIONS", "TEXTUAL_FPS", "TEXTUAL_SMOOTH_SCROLL"):
        monkeypatch.delenv(name, raising=False)
    return made


def test_ui_flags_reach_the_app(fake_ui, capsys):
    code, _, _ = run(["--no-mouse", "--low-bandwidth", "--ascii", "--read-only"], capsys)
    assert code == 0
    app = fake_ui[0]
    assert app.mouse is False
    prefs = app.settings.config.preferences
    assert prefs.low_bandwidth and prefs.ascii_only and app.settings.read_only
    assert os.environ["TEXTUAL_ANIMATIONS"] == "none"
    # Flags are for this run only.
    assert ConfigStore().load().preferences.mouse is True


def test_profile_flag_after_subcommand_and_before(isolated_dirs, capsys):
    ConfigStore().update(lambda c: c.profiles.__setitem__("prod", Profile("prod")))
    assert "prod (flag)" in run(["status", "--profile", "prod"], capsys)[1]
    assert "prod (flag)" in run(["--profile", "prod", "status"], capsys)[1]


def test_demo_uses_its_own_directories(fake_ui, isolated_dirs, capsys, monkeypatch):
    for name in ("CONFIG", "CACHE", "STATE"):
        monkeypatch.setenv(f"C66TUI_{name}_DIR", os.environ[f"C66TUI_{name}_DIR"])
    assert run(["--demo", "--ascii", "--no-mouse"], capsys)[0] == 0
    settings = fake_ui[0].settings
    assert settings.demo and settings.token
    assert fake_ui[0].mouse is False and settings.config.preferences.ascii_only
    assert settings.store.directory == isolated_dirs["demo"] / "config"
    assert not isolated_dirs["config"].exists()


def test_fresh_needs_the_demo(fake_ui, capsys):
    code, _, err = run(["--fresh"], capsys)
    assert code == 2 and "c66tui --demo --fresh" in err and not fake_ui


def test_crash_report_is_redacted_and_private(fake_ui, monkeypatch, isolated_dirs, capsys):
    monkeypatch.setenv("CLOUD66_TOKEN", SENTINEL)

    def explode(args, settings):
        raise RuntimeError(f"boom with Authorization: Bearer {SENTINEL} inside")

    monkeypatch.setattr(launch, "build_app", explode)
    code, out, err = run([], capsys)
    assert code == 1
    assert "RuntimeError" in err and SENTINEL not in err + out
    reports = list(isolated_dirs["state"].glob("crash-*.txt"))
    assert len(reports) == 1
    text = reports[0].read_text()
    assert "RuntimeError" in text and "explode" in text and SENTINEL not in text
    assert stat.S_IMODE(reports[0].stat().st_mode) == 0o600


def test_sighup_handler_exits_cleanly():
    script = (
        "import os, signal, sys\n"
        "from c66tui import cli\n"
        "cli.install_signal_handlers()\n"
        "try:\n"
        "    os.kill(os.getpid(), signal.SIGHUP)\n"
        "finally:\n"
        "    print('cleaned up')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 128 + signal.SIGHUP
    assert "cleaned up" in result.stdout


def test_journal_table(isolated_dirs, capsys):
    assert "No actions recorded" in run(["journal"], capsys)[1]
    journal = Journal()
    done = journal.begin("redeploy", "prod", "uid-1", "web\x1b[2J", {"git_ref": "main"})
    journal.complete(done, "ok", "queued")
    journal.begin("job_run", "prod", "uid-2", "worker")
    code, out, _ = run(["journal"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("STARTED (UTC)")
    assert "ok" in lines[1] and "web\u241b[2J" in lines[1] and "queued" in lines[1]
    assert "pending" in lines[2] and "worker" in lines[2]
    assert "\x1b" not in out
    code, out, _ = run(["journal", "--pending"], capsys)
    assert len(out.splitlines()) == 2 and "worker" in out


def test_sandbox_refuses_remote_host(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "c66tui.sandbox.server", None)
    code, _, err = run(["sandbox", "--host", "0.0.0.0"], capsys)
    assert code == 2 and "--allow-remote" in err


def test_sandbox_starts_server_on_loopback(capsys, monkeypatch):
    calls = []
    serve = lambda config, host, port: calls.append((config, host, port))  # noqa: E731
    monkeypatch.setattr(sandbox_command, "serve", serve)
    argv = ["sandbox", "--port", "9999", "--seed", "7", "--stacks", "12", "--latency-ms", "50"]
    assert run(argv + ["--deploy-seconds", "5"], capsys)[0] == 0
    config, host, port = calls[0]
    assert (host, port) == ("127.0.0.1", 9999)
    assert (config.seed, config.stacks, config.latency_ms, config.deploy_seconds) == (
        7,
        12,
        50,
        5.0,
    )
    assert (config.client_id, config.client_secret) == ("c66tui-sandbox", "sandbox-secret")
    assert config.state_file is None
    argv = ["sandbox", "--client-id", "my-ops-app", "--client-secret", "s3cret-value"]
    assert run(argv + ["--state", "/tmp/w.jsonl"], capsys)[0] == 0
    assert (calls[1][0].client_id, calls[1][0].client_secret) == ("my-ops-app", "s3cret-value")
    assert calls[1][0].state_file == "/tmp/w.jsonl"
    assert is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("example.com")


# -- login / logout -------------------------------------------------------------------


def feed_stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_login_requires_with_token(capsys):
    assert run(["login"], capsys)[0] == 2


def test_login_never_takes_the_token_as_an_argument(capsys):
    assert run(["login", "--with-token", SENTINEL], capsys)[0] == 2
    assert run(["login", f"--with-token={SENTINEL}"], capsys)[0] == 2


@pytest.mark.parametrize("bad", ["", "   \n", "two words", "x" * 5000])
def test_login_rejects_malformed_input(monkeypatch, capsys, bad):
    feed_stdin(monkeypatch, bad)
    assert run(["login", "--with-token"], capsys)[0] == 2
    assert ConfigStore().get_token("default") is None


def test_login_with_token_against_the_sandbox(sandbox, monkeypatch, capsys):
    from c66tui.sandbox import Sandbox

    feed_stdin(monkeypatch, f"  {Sandbox.DEMO_TOKEN}\n")
    code, out, err = run(["--api-url", sandbox.api_url, "login", "--with-token"], capsys)
    assert code == 0, err
    assert "demo@example.com" in out
    assert ConfigStore().get_token("default") == Secret(Sandbox.DEMO_TOKEN)
    assert Sandbox.DEMO_TOKEN not in out + err


def test_login_new_profile_is_created(sandbox, monkeypatch, capsys):
    token = sandbox.sandbox.mint_token(["public"], email="ops@example.com")
    feed_stdin(monkeypatch, token)
    argv = ["login", "--with-token", "--profile", "staging", "--api-url", sandbox.api_url]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    store = ConfigStore()
    assert store.load().profiles["staging"].api_url == sandbox.api_url
    assert store.get_token("staging") == Secret(token)


def test_login_with_rejected_token_saves_nothing(sandbox, monkeypatch, capsys):
    feed_stdin(monkeypatch, SENTINEL)
    code, out, err = run(["--api-url", sandbox.api_url, "login", "--with-token"], capsys)
    assert code == 1 and "rejected" in err and "Nothing was saved" in err
    assert SENTINEL not in out + err
    assert ConfigStore().get_token("default") is None


def test_login_reminds_about_env_token(sandbox, monkeypatch, capsys):
    from c66tui.sandbox import Sandbox

    monkeypatch.setenv("CLOUD66_TOKEN", "something-else")
    feed_stdin(monkeypatch, Sandbox.DEMO_TOKEN)
    code, _, err = run(["--api-url", sandbox.api_url, "login", "--with-token"], capsys)
    assert code == 0 and "CLOUD66_TOKEN" in err


def test_logout(capsys):
    store = ConfigStore()
    store.set_token("default", "saved-token")
    code, out, _ = run(["logout"], capsys)
    assert code == 0 and "revoke" in out
    assert store.get_token("default") is None
    assert "no saved token" in run(["logout"], capsys)[1]


def test_logout_with_env_token_explains_and_keeps_the_file(monkeypatch, capsys):
    store = ConfigStore()
    store.set_token("default", "saved-token")
    monkeypatch.setenv("CLOUD66_TOKEN", SENTINEL)
    code, out, err = run(["logout"], capsys)
    assert code == 1 and "CLOUD66_TOKEN" in err and "Nothing was removed" in err
    assert SENTINEL not in out + err
    assert store.get_token("default") == Secret("saved-token")


def test_status_names_the_token_source(monkeypatch, capsys):
    ConfigStore().set_token("default", "saved-token-1234")
    assert "****1234 (from " in run(["status"], capsys)[1]
    monkeypatch.setenv("CLOUD66_TOKEN", SENTINEL)
    code, out, err = run(["status"], capsys)
    assert "from CLOUD66_TOKEN" in out and SENTINEL not in out + err


def test_build_app_for_real_and_demo_settings(isolated_dirs, monkeypatch):
    import argparse

    from c66tui.config import load_settings

    app = cli.build_app(argparse.Namespace(demo=False), load_settings(None))
    assert type(app).__name__ == "C66App" and app.services.demo is False
    for name in ("CONFIG", "CACHE", "STATE"):
        monkeypatch.setenv(f"C66TUI_{name}_DIR", os.environ[f"C66TUI_{name}_DIR"])
    demo = cli.build_app(argparse.Namespace(demo=True, seed=66, latency_ms=0), None)
    assert demo.services.demo is True
    assert not isolated_dirs["config"].exists()


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_app_exits_cleanly_on_hangup_in_a_terminal(signum, isolated_dirs):
    """The demo app in a pseudo-terminal: SIGHUP/SIGTERM end it at once, screen restored."""
    import pty
    import select
    import time

    env = dict(os.environ, TERM="xterm-256color")
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execve(sys.executable, [sys.executable, "-m", "c66tui", "--demo"], env)
    output = b""
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and b"Settings" not in output:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    output += os.read(fd, 65536)
                except OSError:
                    break
        assert b"Settings" in output, "the app did not start"
        os.kill(pid, signum)
        deadline = time.monotonic() + 10
        status = None
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    output += os.read(fd, 65536)
                except OSError:
                    pass
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("the app did not exit")
    finally:
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 128 + signum
    assert b"\x1b[?1049l" in output  # left the alternate screen
    assert b"Traceback" not in output
    assert not isolated_dirs["state"].exists()  # the demo wrote nowhere real


def test_low_bandwidth_turns_mouse_capture_off(fake_ui, capsys):
    assert run([], capsys)[0] == 0
    assert fake_ui[-1].mouse is True
    assert run(["--low-bandwidth"], capsys)[0] == 0
    assert fake_ui[-1].mouse is False
    ConfigStore().update(lambda config: setattr(config.preferences, "low_bandwidth", True))
    assert run([], capsys)[0] == 0
    assert fake_ui[-1].mouse is False


def test_over_ssh_low_bandwidth_is_suggested_not_forced(fake_ui, capsys, monkeypatch):
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.5 50122 10.0.0.9 22")
    assert run([], capsys)[0] == 0
    app = fake_ui[-1]
    assert app.mouse is True and not app.settings.config.preferences.low_bandwidth
    assert "TEXTUAL_ANIMATIONS" not in os.environ
