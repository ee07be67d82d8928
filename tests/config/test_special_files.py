"""Files that are not regular files are refused without blocking, and every directory
c66tui creates is private (0700), parents included."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from c66tui.config import paths
from c66tui.config.atomic import NotRegularFile, read_regular
from c66tui.ops.cache import StackCache
from c66tui.ops.journal import Journal


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_status_does_not_hang_on_a_fifo_at_the_credentials_path(isolated_dirs):
    config = isolated_dirs["config"]
    config.mkdir(mode=0o700)
    os.mkfifo(config / "credentials.toml")
    os.mkfifo(config / "config.toml")
    result = subprocess.run(
        [sys.executable, "-m", "c66tui", "status"],
        capture_output=True,
        text=True,
        timeout=30,  # before the fix it waited for a writer forever
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert "not a regular file" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_fifo_in_place_of_the_journal_or_cache_is_refused_at_once(isolated_dirs, tmp_path):
    state = isolated_dirs["state"]
    state.mkdir(mode=0o700)
    os.mkfifo(state / "journal.jsonl")
    journal = Journal(state / "journal.jsonl")
    assert journal.entries() == []
    with pytest.raises(NotRegularFile):
        journal.begin("redeploy", "default", "u1", "shop")
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(NotRegularFile):
        read_regular(tmp_path / "fifo")
    cache_dir = isolated_dirs["cache"]
    cache_dir.mkdir(mode=0o700)
    cache = StackCache(cache_dir)
    os.mkfifo(cache.path_for("default"))
    assert cache.load("default") == ([], None)


def test_created_directories_are_0700_parents_included(tmp_path):
    old = os.umask(0o022)
    try:
        leaf = tmp_path / "a" / "b" / "c66tui"
        paths.make_private_dirs(leaf)
        Journal(tmp_path / "x" / "y" / "journal.jsonl").begin("redeploy", "p", "u", "s")
        StackCache(tmp_path / "q" / "r").save("default", [{"uid": "1"}])
    finally:
        os.umask(old)
    for directory in (
        tmp_path / "a",
        tmp_path / "a" / "b",
        leaf,
        tmp_path / "x",
        tmp_path / "x" / "y",
        tmp_path / "q",
        tmp_path / "q" / "r",
    ):
        assert mode_of(directory) == 0o700, directory


def test_existing_parents_keep_their_mode(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    paths.make_private_dirs(shared / "c66tui")
    assert mode_of(shared) == 0o755 and mode_of(shared / "c66tui") == 0o700
