"""Resolving settings: precedence of flags, environment and files."""

from __future__ import annotations

import argparse
import os
import stat

import pytest

from c66tui.api.secret import Secret
from c66tui.config import ConfigError, ConfigStore, Profile, demo_settings, load_settings


def args(**kwargs) -> argparse.Namespace:
    base = {"profile": None, "api_url": None, "read_only": False, "demo": False}
    base.update(kwargs)
    return argparse.Namespace(**base)


@pytest.fixture
def two_profiles(store):
    def setup(config):
        config.profiles["prod"] = Profile("prod", api_url="https://prod.test/api/2")
        config.profiles["ro"] = Profile("ro", read_only=True)

    store.update(setup)
    store.set_token("default", "file-token-default")
    store.set_token("prod", "file-token-prod", client_secret="prod-client-secret")
    return store


def test_defaults_without_files(isolated_dirs):
    settings = load_settings(None)
    assert settings.profile.name == "default"
    assert settings.profile.api_url == "https://app.cloud66.com/api/3"
    assert settings.token is None and settings.token_source is None
    assert settings.read_only is False and settings.demo is False
    assert settings.token_env_var is None


def test_file_token(two_profiles):
    settings = load_settings(args())
    assert settings.token == Secret("file-token-default")
    assert settings.token_source == "file"


def test_profile_precedence_flag_over_env_over_file(two_profiles, monkeypatch):
    monkeypatch.setenv("C66TUI_PROFILE", "ro")
    assert load_settings(args()).profile.name == "ro"
    settings = load_settings(args(profile="prod"))
    assert settings.profile.name == "prod"
    assert settings.token == Secret("file-token-prod")
    assert settings.client_secret == Secret("prod-client-secret")
    assert settings.sources["profile"] == "flag"


def test_env_token_wins_over_file(two_profiles, monkeypatch):
    monkeypatch.setenv("CLOUD66_TOKEN", "env-token-value")
    settings = load_settings(args())
    assert settings.token == Secret("env-token-value")
    assert settings.token_source == "env"
    assert settings.token_env_var == "CLOUD66_TOKEN"
    # The saved token is still there: nothing is deleted or replaced.
    assert two_profiles.get_token("default") == Secret("file-token-default")


def test_blank_env_token_is_ignored(two_profiles, monkeypatch):
    monkeypatch.setenv("CLOUD66_TOKEN", "   ")
    assert load_settings(args()).token_source == "file"


def test_api_url_and_client_overrides(two_profiles, monkeypatch):
    monkeypatch.setenv("C66TUI_API_URL", "https://env.test/api/3")
    monkeypatch.setenv("C66TUI_CLIENT_ID", "env-client")
    monkeypatch.setenv("C66TUI_CLIENT_SECRET", "env-secret")
    settings = load_settings(args(profile="prod"))
    assert settings.profile.api_url == "https://env.test/api/3"
    assert settings.profile.client_id == "env-client"
    assert settings.client_secret == Secret("env-secret")
    flagged = load_settings(args(profile="prod", api_url="http://127.0.0.1:8066/api/2"))
    assert flagged.profile.api_url == "http://127.0.0.1:8066/api/2"
    assert flagged.sources["api_url"] == "flag"
    # Overrides never reach the file.
    assert ConfigStore().load().profiles["prod"].api_url == "https://prod.test/api/2"


def test_bad_override_url(two_profiles, monkeypatch):
    with pytest.raises(ConfigError, match="--api-url"):
        load_settings(args(api_url="not a url"))
    monkeypatch.setenv("C66TUI_API_URL", "ftp://x")
    with pytest.raises(ConfigError, match="C66TUI_API_URL"):
        load_settings(args())


def test_unknown_profile(two_profiles, monkeypatch):
    with pytest.raises(ConfigError, match="no profile named 'nope'.*--profile"):
        load_settings(args(profile="nope"))
    monkeypatch.setenv("C66TUI_PROFILE", "nope2")
    with pytest.raises(ConfigError, match="C66TUI_PROFILE"):
        load_settings(args())


def test_read_only_from_flag_or_profile(two_profiles):
    assert load_settings(args(read_only=True)).read_only is True
    assert load_settings(args(profile="ro")).read_only is True
    assert load_settings(args(profile="prod")).read_only is False


def test_env_token_still_works_with_broken_credentials(made_dir, monkeypatch):
    (made_dir / "credentials.toml").write_text("broken = = =")
    monkeypatch.setenv("CLOUD66_TOKEN", "env-token-value")
    settings = load_settings(args())
    assert settings.token == Secret("env-token-value")
    assert settings.credentials_error is not None


def test_demo_settings_touch_no_real_files(isolated_dirs, tmp_path):
    settings = demo_settings(args(demo=True))
    assert settings.demo is True and settings.token
    assert settings.profile.name == "demo"
    settings.store.update(lambda c: setattr(c.preferences, "theme", "x"))
    assert settings.store.directory == isolated_dirs["demo"] / "config"
    assert not isolated_dirs["config"].exists()
    assert settings.token_env_var is None
    assert load_settings(args(demo=True)).demo is True


def test_demo_home_defaults_to_the_state_directory(isolated_dirs, monkeypatch):
    from c66tui.config import demo_home

    monkeypatch.delenv("C66TUI_DEMO_DIR")
    assert demo_home() == isolated_dirs["state"] / "demo"


@pytest.fixture
def demo_dirs_restored(monkeypatch, isolated_dirs):
    """use_demo_dirs redirects the process's directories: point them back afterwards."""
    yield isolated_dirs
    for name in ("CONFIG", "CACHE", "STATE"):
        monkeypatch.setenv(f"C66TUI_{name}_DIR", str(isolated_dirs[name.lower()]))


def test_use_demo_dirs_moves_every_directory_and_fresh_forgets(demo_dirs_restored):
    from c66tui.config import paths, use_demo_dirs
    from c66tui.config.settings import DEMO_SANDBOX_STATE

    home, warnings = use_demo_dirs()
    assert home == demo_dirs_restored["demo"] and warnings == []
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert paths.config_dir() == home / "config"
    assert paths.state_dir() == home / "state"
    assert os.environ["C66TUI_CACHE_DIR"] == str(home / "cache")
    for name in ("config", "cache", "state"):
        (home / name).mkdir()
        (home / name / "kept.txt").write_text("from an earlier demo")
    (home / DEMO_SANDBOX_STATE).write_text("{}\n")
    assert use_demo_dirs()[0] == home and (home / "state" / "kept.txt").exists()
    assert use_demo_dirs(fresh=True)[0] == home
    assert not any((home / name).exists() for name in ("config", "cache", "state"))
    assert not (home / DEMO_SANDBOX_STATE).exists()


def test_fresh_leaves_other_files_in_the_demo_folder_alone(demo_dirs_restored, monkeypatch):
    """C66TUI_DEMO_DIR may name a folder of the user's: --fresh deletes only the demo's."""
    from c66tui.config import use_demo_dirs

    work = demo_dirs_restored["demo"].parent / "c66tui-work"
    (work / "notes").mkdir(parents=True)
    (work / "notes" / "todo.txt").write_text("the user's own")
    (work / "report.txt").write_text("the user's own")
    monkeypatch.setenv("C66TUI_DEMO_DIR", str(work))
    home, _ = use_demo_dirs()
    (home / "config").mkdir()
    (home / "config" / "config.toml").write_text("[preferences]\n")
    assert use_demo_dirs(fresh=True)[0] == work
    assert (work / "report.txt").read_text() == "the user's own"
    assert (work / "notes" / "todo.txt").read_text() == "the user's own"
    assert not (work / "config").exists()


def test_demo_dir_expands_the_home_folder(demo_dirs_restored, monkeypatch, tmp_path):
    from c66tui.config import demo_home, use_demo_dirs

    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.setenv("C66TUI_DEMO_DIR", "~/c66tui-demo")
    assert demo_home() == tmp_path / "user" / "c66tui-demo"
    assert use_demo_dirs()[0] == tmp_path / "user" / "c66tui-demo"
    assert (tmp_path / "user" / "c66tui-demo").is_dir()
    assert not (tmp_path / "user" / "~").exists()


def test_demo_home_is_made_private_but_its_parent_is_left_alone(
    demo_dirs_restored, monkeypatch, tmp_path
):
    from c66tui.config import use_demo_dirs

    shared = tmp_path / "c66tui-shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    monkeypatch.setenv("C66TUI_DEMO_DIR", str(shared / "demo"))
    home, warnings = use_demo_dirs()
    assert warnings == []
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755, "the parent keeps its mode"


def test_a_demo_folder_others_can_write_to_is_reported(demo_dirs_restored, monkeypatch, tmp_path):
    from c66tui.config import use_demo_dirs

    open_dir = tmp_path / "open"
    open_dir.mkdir()
    open_dir.chmod(0o777)
    monkeypatch.setenv("C66TUI_DEMO_DIR", str(open_dir))
    home, warnings = use_demo_dirs()
    assert home == open_dir
    assert len(warnings) == 1 and f"chmod 700 {open_dir}" in warnings[0]


def test_sources_say_default_for_built_in_values(store, made_dir):
    settings = load_settings(args())
    assert not store.config_path.exists()
    assert settings.sources["profile"] == "default"
    assert settings.sources["api_url"] == "default"
    # A hand-written file that names its profile but not that profile's API URL.
    store.config_path.write_text(
        'version = 1\ndefault_profile = "prod"\n[profiles.prod]\nclient_id = "abc"\n'
    )
    settings = load_settings(args())
    assert settings.profile.name == "prod"
    assert settings.sources["profile"] == "file"
    assert settings.sources["api_url"] == "default"
    store.config_path.write_text(
        'version = 1\n[profiles.default]\napi_url = "https://prod.test/api/3"\n'
    )
    settings = load_settings(args())
    assert settings.sources["profile"] == "default"
    assert settings.sources["api_url"] == "file"
