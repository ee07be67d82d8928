"""The profile's OAuth callback: read, checked, written back, overridden by
``C66TUI_REDIRECT_URI``."""

from __future__ import annotations

import pytest

from c66tui.config import ConfigError, ConfigStore, load_settings
from c66tui.config.redirect import OOB_REDIRECT, check_redirect_uri, redirect_uri_of


@pytest.mark.parametrize(
    "uri",
    [OOB_REDIRECT, "http://127.0.0.1:34543/callback", "https://example.com/oauth/cb"],
)
def test_good_callbacks(uri):
    assert check_redirect_uri(uri) is None


@pytest.mark.parametrize(
    "uri", ["callback", "http://a b/", "https://example.com/#frag", "http:/nohost", "/cb"]
)
def test_bad_callbacks(uri):
    assert check_redirect_uri(uri)


def test_profile_keeps_its_callback(made_dir):
    (made_dir / "config.toml").write_text(
        'version = 1\n[profiles.default]\nredirect_uri = "http://127.0.0.1:34543/callback"\n'
    )
    store = ConfigStore(made_dir)
    profile = store.load().profiles["default"]
    assert redirect_uri_of(profile) == "http://127.0.0.1:34543/callback"
    store.update(lambda config: None)
    assert 'redirect_uri = "http://127.0.0.1:34543/callback"' in (
        made_dir / "config.toml"
    ).read_text()


def test_missing_callback_means_out_of_band(made_dir):
    (made_dir / "config.toml").write_text("version = 1\n[profiles.default]\n")
    profile = ConfigStore(made_dir).load().profiles["default"]
    assert profile.redirect_uri == "" and redirect_uri_of(profile) == OOB_REDIRECT


def test_bad_callback_in_the_file_names_the_key(made_dir):
    (made_dir / "config.toml").write_text(
        'version = 1\n[profiles.default]\nredirect_uri = "not a url"\n'
    )
    with pytest.raises(ConfigError, match="profiles.default.redirect_uri"):
        ConfigStore(made_dir).load()


def test_environment_overrides_the_profile(made_dir):
    environ = {"C66TUI_REDIRECT_URI": "http://127.0.0.1:5000/cb"}
    settings = load_settings(None, environ=environ, store=ConfigStore(made_dir))
    assert settings.profile.redirect_uri == "http://127.0.0.1:5000/cb"
    assert settings.sources["redirect_uri"] == "env"
    with pytest.raises(ConfigError, match="C66TUI_REDIRECT_URI"):
        load_settings(None, environ={"C66TUI_REDIRECT_URI": "nope"}, store=ConfigStore(made_dir))
