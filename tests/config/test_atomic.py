"""Failures mid-write leave the previous file byte-identical (rows 9, 10, 13)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from c66tui.api.secret import Secret
from c66tui.config import ConfigError, ConfigStore
from c66tui.config.errors import ConfigWriteError


@pytest.fixture
def seeded(store, made_dir):
    store.set_token("default", "original-token")
    store.update(lambda c: setattr(c.preferences, "theme", "original"))
    return {name: (made_dir / name).read_bytes() for name in ("credentials.toml", "config.toml")}


def no_temps(directory) -> bool:
    return not [p for p in directory.iterdir() if p.name.endswith(".tmp")]


def test_replace_failure_keeps_old_files(store, made_dir, seeded, monkeypatch):
    def fail(*_args):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(ConfigWriteError, match="previous file is unchanged"):
        store.set_token("default", "new-token")
    with pytest.raises(ConfigError):
        store.update(lambda c: setattr(c.preferences, "theme", "new"))
    monkeypatch.undo()
    for name, data in seeded.items():
        assert (made_dir / name).read_bytes() == data
    assert no_temps(made_dir)
    assert store.get_token("default") == Secret("original-token")


def test_fsync_failure_keeps_old_file(store, made_dir, seeded, monkeypatch):
    def fail(_fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(ConfigWriteError):
        store.set_token("default", "new-token")
    monkeypatch.undo()
    assert (made_dir / "credentials.toml").read_bytes() == seeded["credentials.toml"]
    assert no_temps(made_dir)


def test_read_only_directory(store, made_dir, seeded, monkeypatch):
    import tempfile

    def fail(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", fail)
    with pytest.raises(ConfigWriteError, match="Permission denied"):
        store.set_token("default", "new-token")
    monkeypatch.undo()
    assert (made_dir / "credentials.toml").read_bytes() == seeded["credentials.toml"]


def _run(script: str, env_dir) -> subprocess.CompletedProcess:
    env = dict(os.environ, C66TUI_CONFIG_DIR=str(env_dir))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_disk_full_keeps_old_file(made_dir, seeded):
    """RLIMIT_FSIZE makes the write fail the way a full disk does."""
    result = _run(
        """
        import resource, signal, sys
        from c66tui.config import ConfigStore, ConfigError
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20, 20))
        try:
            ConfigStore().set_token("default", "x" * 500)
        except ConfigError as exc:
            print("ConfigError:", exc)
            sys.exit(0)
        sys.exit(1)
        """,
        made_dir,
    )
    assert result.returncode == 0, result.stderr
    assert "ConfigError" in result.stdout and "x" * 50 not in result.stdout
    assert (made_dir / "credentials.toml").read_bytes() == seeded["credentials.toml"]
    assert no_temps(made_dir)


def test_killed_between_write_and_rename(made_dir, seeded):
    result = _run(
        """
        import os, signal
        from c66tui.config import ConfigStore
        os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
        ConfigStore().set_token("default", "never-saved")
        """,
        made_dir,
    )
    assert result.returncode == -9
    assert (made_dir / "credentials.toml").read_bytes() == seeded["credentials.toml"]
    strays = [p for p in made_dir.iterdir() if p.name.endswith(".tmp")]
    assert len(strays) == 1
    store = ConfigStore()
    assert store.get_token("default") == Secret("original-token")
    store.set_token("default", "next-token")
    assert no_temps(made_dir)
    assert store.get_token("default") == Secret("next-token")
