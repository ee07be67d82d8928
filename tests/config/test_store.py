"""Round trips, permissions, symlinks and the lock of ConfigStore."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from c66tui.api.secret import Secret
from c66tui.config import AppConfig, ConfigError, ConfigStore, Preferences, Profile, paths


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_paths_follow_environment(isolated_dirs):
    assert paths.config_dir() == isolated_dirs["config"]
    assert paths.cache_dir() == isolated_dirs["cache"]
    assert paths.state_dir() == isolated_dirs["state"]
    assert paths.config_file() == isolated_dirs["config"] / "config.toml"
    assert paths.credentials_file() == isolated_dirs["config"] / "credentials.toml"
    assert paths.journal_file() == isolated_dirs["state"] / "journal.jsonl"


def test_paths_default_to_platformdirs(monkeypatch, tmp_path):
    monkeypatch.delenv("C66TUI_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert paths.config_dir() == tmp_path / "xdg" / "c66tui"


def test_missing_files_give_defaults_and_write_nothing(store, config_dir):
    config = store.load()
    assert config.active_profile == "default"
    assert config.profiles["default"] == Profile("default")
    assert config.preferences == Preferences()
    assert store.get_token("default") is None
    assert not config_dir.exists()


def test_config_round_trip(store):
    def change(config: AppConfig) -> None:
        config.profiles["prod"] = Profile(
            "prod",
            api_url="https://example.test/api/3",
            client_id="cid",
            scopes=("public",),
            read_only=True,
            account_id=42,
        )
        config.active_profile = "prod"
        config.preferences.theme = "ansi-dark"
        config.preferences.refresh_seconds = 120
        config.preferences.mouse = False
        config.preferences.low_bandwidth = True
        config.preferences.ascii_only = True
        config.preferences.keymap = {"stacks.redeploy": "ctrl+d"}
        config.preferences.favourites = ["uid-1", "uid-2"]

    written = store.update(change)
    loaded = ConfigStore().load()
    assert loaded == written
    assert loaded.profile().read_only is True
    assert loaded.profile().account_id == 42
    assert loaded.preferences.keymap == {"stacks.redeploy": "ctrl+d"}


def test_unknown_keys_are_preserved(store, made_dir):
    (made_dir / "config.toml").write_text(
        'version = 1\nfuture_top = "x"\n'
        "[preferences]\nfuture_pref = [1, 2]\n"
        '[profiles.default]\nfuture_profile = { a = 1 }\n[extra_table]\nk = "v"\n'
    )
    store.update(lambda c: setattr(c.preferences, "theme", "ansi-light"))
    import tomllib

    doc = tomllib.loads((made_dir / "config.toml").read_text())
    assert doc["future_top"] == "x"
    assert doc["extra_table"] == {"k": "v"}
    assert doc["preferences"]["future_pref"] == [1, 2]
    assert doc["preferences"]["theme"] == "ansi-light"
    assert doc["profiles"]["default"]["future_profile"] == {"a": 1}


def test_first_rewrite_keeps_a_backup_of_the_hand_written_file(store, made_dir):
    original = "# my comment\nversion = 1\n"
    (made_dir / "config.toml").write_text(original)
    store.update(lambda c: None)
    store.update(lambda c: setattr(c.preferences, "mouse", False))
    assert (made_dir / "config.toml.bak").read_text() == original


def test_token_round_trip_and_file_holds_only_secrets(store, config_dir):
    store.set_token("default", Secret("tok-123456"), client_secret=Secret("cs-987"))
    assert store.get_token("default") == Secret("tok-123456")
    assert store.get_client_secret("default") == Secret("cs-987")
    assert store.get_token("other") is None
    import tomllib

    doc = tomllib.loads((config_dir / "credentials.toml").read_text())
    assert doc == {"profiles": {"default": {"token": "tok-123456", "client_secret": "cs-987"}}}
    assert not (config_dir / "config.toml").exists()


def test_delete_token_keeps_other_profiles(store):
    store.set_token("a", "token-a")
    store.set_token("b", "token-b")
    assert store.delete_token("a") is True
    assert store.delete_token("a") is False
    assert store.get_token("a") is None
    assert store.get_token("b") == Secret("token-b")


def test_delete_profile_removes_its_token(store):
    store.update(lambda c: c.profiles.__setitem__("staging", Profile("staging")))
    store.set_token("staging", "token-s")
    store.delete_profile("staging")
    assert "staging" not in store.load().profiles
    assert store.get_token("staging") is None
    with pytest.raises(ValueError):
        store.delete_profile("default")


def test_set_token_rejects_bad_values(store):
    for bad in ("", "has space", "line\nbreak"):
        with pytest.raises(ValueError):
            store.set_token("default", bad)


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_directory_0700_and_files_0600_from_creation(store, config_dir, umask):
    old = os.umask(umask)
    try:
        store.set_token("default", "tok-abcdef")
        store.update(lambda c: None)
    finally:
        os.umask(old)
    assert mode(config_dir) == 0o700
    assert mode(config_dir / "credentials.toml") == 0o600
    assert mode(config_dir / "config.toml") == 0o600


def test_credentials_never_world_readable_during_write(store, config_dir, monkeypatch):
    """Check the temp file's mode at the moment of the rename."""
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append(mode(src))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    old = os.umask(0)
    try:
        store.set_token("default", "tok-abcdef")
    finally:
        os.umask(old)
    assert seen == [0o600]


@pytest.mark.parametrize("start", [0o755, 0o777])
def test_an_open_directory_of_ours_is_made_private(store, config_dir, start):
    config_dir.mkdir()
    os.chmod(config_dir, start)
    store.set_token("default", "tok-abcdef")
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700
    assert not [w for w in store.warnings if "chmod 700" in w]


def test_a_directory_not_named_for_c66tui_is_never_changed(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    warnings = paths.ensure_private_dir(shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o777
    assert any("chmod 700" in w for w in warnings)


def test_shared_directory_that_cannot_be_changed_gives_warning(store, config_dir, monkeypatch):
    config_dir.mkdir(mode=0o777)
    os.chmod(config_dir, 0o777)
    real_chmod = os.chmod

    def refuse(path, mode, *args, **kwargs):
        if Path(path) == config_dir:
            raise PermissionError(1, "Operation not permitted")
        return real_chmod(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "chmod", refuse)
    store.set_token("default", "tok-abcdef")
    assert any("chmod 700" in w for w in store.warnings)


def test_symlinked_files_are_written_through(store, made_dir, tmp_path):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "credentials.toml").write_text('[profiles.default]\ntoken = "old-token"\n')
    os.chmod(dotfiles / "credentials.toml", 0o600)
    (dotfiles / "config.toml").write_text("version = 1\n")
    link = made_dir / "credentials.toml"
    link.symlink_to(dotfiles / "credentials.toml")
    (made_dir / "config.toml").symlink_to(dotfiles / "config.toml")

    store.set_token("default", "new-token")
    store.update(lambda c: setattr(c.preferences, "theme", "x"))

    assert link.is_symlink() and (made_dir / "config.toml").is_symlink()
    assert "new-token" in (dotfiles / "credentials.toml").read_text()
    assert 'theme = "x"' in (dotfiles / "config.toml").read_text()
    assert mode(dotfiles / "credentials.toml") == 0o600
    assert store.get_token("default") == Secret("new-token")
    assert not list(made_dir.glob("*.tmp")) and not list(dotfiles.glob(".*.tmp"))


def test_update_rereads_under_the_lock(store):
    """A second store's change made after our load is not lost by our update."""
    other = ConfigStore()
    store.load()
    other.update(lambda c: c.profiles.__setitem__("other", Profile("other")))
    store.update(lambda c: c.profiles.__setitem__("mine", Profile("mine")))
    assert {"default", "other", "mine"} <= set(ConfigStore().load().profiles)


def test_update_that_raises_writes_nothing(store, config_dir):
    store.update(lambda c: None)
    before = (config_dir / "config.toml").read_bytes()

    def boom(config):
        config.preferences.theme = "changed"
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        store.update(boom)
    assert (config_dir / "config.toml").read_bytes() == before


def test_update_refuses_to_save_an_invalid_config(store, config_dir):
    def bad(config):
        config.preferences.refresh_seconds = 0

    with pytest.raises(ConfigError, match="refresh_seconds"):
        store.update(bad)
    assert not (config_dir / "config.toml").exists()


def test_lock_is_reentrant(store):
    def longer_refresh(config):
        config.preferences.refresh_seconds = 45

    with store.locked():
        with store.locked():
            store.update(longer_refresh)
            store.set_token("default", "tok-abcdef")
    # What was written under the nested lock is on disk, read back by a new store.
    again = ConfigStore(store.directory)
    assert again.load().preferences.refresh_seconds == 45
    assert again.get_token("default").reveal() == "tok-abcdef"


def _stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def test_an_update_or_a_login_that_changes_nothing_writes_nothing(tmp_path):
    store = ConfigStore(tmp_path)

    def add(config):
        config.profiles["work"] = Profile("work")
        config.active_profile = "work"

    store.update(add)
    store.set_token("work", Secret("tok-1"), client_secret=Secret("cs-1"))
    before = [_stamp(store.config_path), _stamp(store.credentials_path)]
    store.update(add)
    store.set_token("work", Secret("tok-1"), client_secret=Secret("cs-1"))
    assert [_stamp(store.config_path), _stamp(store.credentials_path)] == before
    store.set_token("work", Secret("tok-2"))
    assert _stamp(store.credentials_path) != before[1]
    assert store.get_token("work") == Secret("tok-2")


def test_the_same_token_is_written_again_to_make_a_readable_file_private(tmp_path):
    store = ConfigStore(tmp_path)
    store.set_token("work", Secret("tok-1"))
    os.chmod(store.credentials_path, 0o644)
    store.set_token("work", Secret("tok-1"))
    assert stat.S_IMODE(store.credentials_path.stat().st_mode) == 0o600
