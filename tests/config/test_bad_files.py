"""Every corrupt or hostile file of the bad-input table (rows 1-13) is handled."""

from __future__ import annotations

import os
import stat

import pytest

from c66tui.api.secret import Secret
from c66tui.config import ConfigError, ConfigStore, load_settings

GOOD_CREDS = b'[profiles.default]\ntoken = "good-token-1"\n'


def write(path, data: bytes, file_mode: int = 0o600) -> None:
    path.write_bytes(data)
    os.chmod(path, file_mode)


# -- row 1: syntax error -------------------------------------------------------------------


def test_credentials_syntax_error_names_file_line_column(store, made_dir):
    creds = made_dir / "credentials.toml"
    data = b'[profiles.default]\ntoken = "secret-value-xyz\n'
    write(creds, data)
    with pytest.raises(ConfigError) as info:
        store.get_token("default")
    error = info.value
    assert str(creds) in str(error)
    assert error.line == 2 and error.column is not None
    assert f"line {error.line}, column {error.column}" in str(error)
    assert "secret-value-xyz" not in str(error)
    assert error.unreadable
    # Never overwritten: a new login moves it aside (kept, 0600, named) and starts afresh.
    store.set_token("default", "new-token")
    moved = store.moved_aside
    assert moved is not None and moved.name.startswith("credentials.toml.corrupt-")
    assert moved.read_bytes() == data
    assert stat.S_IMODE(moved.stat().st_mode) == 0o600
    assert store.get_token("default") == Secret("new-token")
    assert any(str(moved) in warning for warning in store.warnings)
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600


def test_quarantine_moves_the_bad_file_aside_and_login_works(store, made_dir):
    creds = made_dir / "credentials.toml"
    data = b"this is not toml ="
    write(creds, data, 0o600)
    moved = store.quarantine("credentials")
    assert moved is not None and moved.name.startswith("credentials.toml.corrupt-")
    assert moved.name.endswith("Z")
    assert moved.read_bytes() == data
    assert stat.S_IMODE(moved.stat().st_mode) == 0o600
    assert not creds.exists()
    store.set_token("default", "fresh-token")
    assert store.get_token("default") == Secret("fresh-token")
    assert store.quarantine("config") is None


def test_config_syntax_error_is_reported_and_not_overwritten(store, made_dir):
    path = made_dir / "config.toml"
    data = b"version = 1\n[preferences\ntheme = 'x'\n"
    write(path, data)
    with pytest.raises(ConfigError) as info:
        store.load()
    assert str(path) in str(info.value) and info.value.line == 2
    with pytest.raises(ConfigError):
        store.update(lambda c: None)
    with pytest.raises(ConfigError):
        load_settings(None)
    assert path.read_bytes() == data


# -- row 2: empty credentials --------------------------------------------------------------


def test_zero_byte_credentials_means_not_logged_in(store, made_dir):
    write(made_dir / "credentials.toml", b"")
    assert store.get_token("default") is None
    assert any("empty" in w for w in store.warnings)
    settings = load_settings(None)
    assert settings.token is None and settings.credentials_error is None
    assert any("empty" in w for w in settings.warnings)
    store.set_token("default", "after-crash")
    assert store.get_token("default") == Secret("after-crash")


# -- rows 3-5: parser limits and encoding -------------------------------------------------


@pytest.mark.parametrize("name", ["config.toml", "credentials.toml"])
def test_huge_integer(store, made_dir, name):
    write(made_dir / name, b"version = " + b"9" * 5000 + b"\n")
    with pytest.raises(ConfigError, match="number too large"):
        store.load() if name == "config.toml" else store.get_token("default")


@pytest.mark.parametrize("name", ["config.toml", "credentials.toml"])
def test_deep_nesting(store, made_dir, name):
    write(made_dir / name, b"x = " + b"[" * 10000 + b"]" * 10000 + b"\n")
    with pytest.raises(ConfigError, match="nested too deeply"):
        store.load() if name == "config.toml" else store.get_token("default")


@pytest.mark.parametrize("name", ["config.toml", "credentials.toml"])
def test_invalid_utf8(store, made_dir, name):
    write(made_dir / name, b'version = 1\ntheme = "\xff\xfe"\n')
    with pytest.raises(ConfigError, match="UTF-8") as info:
        store.load() if name == "config.toml" else store.get_token("default")
    assert info.value.line == 2 and info.value.column == 10


def test_oversized_file(store, made_dir):
    write(made_dir / "config.toml", b"#" * (2 * 1024 * 1024))
    with pytest.raises(ConfigError, match="larger than"):
        store.load()


def test_directory_in_place_of_file(store, made_dir):
    (made_dir / "config.toml").mkdir()
    with pytest.raises(ConfigError, match="not a regular file"):
        store.load()


# -- row 6: schema errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[profiles.default]\ntoken = 123\n", "profiles.default.token"),
        ('[profiles.default]\ntoken = ""\n', "profiles.default.token"),
        ("[profiles.default]\nclient_secret = [1]\n", "profiles.default.client_secret"),
        ('profiles = "x"\n', "profiles"),
        ("[profiles]\ndefault = 5\n", "profiles.default"),
    ],
)
def test_credentials_wrong_types_name_the_key(store, made_dir, text, key):
    write(made_dir / "credentials.toml", text.encode())
    with pytest.raises(ConfigError) as info:
        store.get_token("default")
    assert info.value.key == key and f"'{key}'" in str(info.value)
    settings = load_settings(None)
    assert settings.token is None
    assert settings.credentials_error is not None and settings.credentials_error.key == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('default_profile = "prod"\n', "default_profile"),
        ("default_profile = 3\n", "default_profile"),
        ("version = 2\n", "version"),
        ('version = "1"\n', "version"),
        ("[preferences]\nrefresh_seconds = 0\n", "preferences.refresh_seconds"),
        ("[preferences]\nrefresh_seconds = 86401\n", "preferences.refresh_seconds"),
        ("[preferences]\nrefresh_seconds = true\n", "preferences.refresh_seconds"),
        ("[preferences]\nrefresh_seconds = 1.5\n", "preferences.refresh_seconds"),
        ('[preferences]\nmouse = "yes"\n', "preferences.mouse"),
        ("[preferences]\ntheme = 1\n", "preferences.theme"),
        ('[preferences]\ntheme = ""\n', "preferences.theme"),
        ("[preferences]\nfavourites = [1]\n", "preferences.favourites[0]"),
        ("[preferences]\nkeymap = { a = 1 }\n", "preferences.keymap.a"),
        ('preferences = "x"\n', "preferences"),
        ('[profiles.p]\napi_url = "ftp://x"\n', "profiles.p.api_url"),
        ('[profiles.p]\napi_url = "https://"\n', "profiles.p.api_url"),
        ("[profiles.p]\nread_only = 1\n", "profiles.p.read_only"),
        ('[profiles.p]\nscopes = "public"\n', "profiles.p.scopes"),
        ('[profiles.p]\nscopes = ["Bad Scope"]\n', "profiles.p.scopes[0]"),
        ("[profiles.p]\naccount_id = -1\n", "profiles.p.account_id"),
        ('[profiles."bad name"]\n', "profiles.bad name"),
    ],
)
def test_config_schema_errors_name_the_key(store, made_dir, text, key):
    write(made_dir / "config.toml", text.encode())
    with pytest.raises(ConfigError) as info:
        store.load()
    assert info.value.key == key
    assert str(made_dir / "config.toml") in str(info.value)


def test_only_named_profiles_pick_the_first(store, made_dir):
    write(made_dir / "config.toml", b'[profiles.prod]\napi_url = "https://x.test/api/2"\n')
    config = store.load()
    assert config.active_profile == "prod" and list(config.profiles) == ["prod"]


# -- row 7: loose permissions --------------------------------------------------------------


def test_open_permissions_warn_then_tighten(store, made_dir):
    creds = made_dir / "credentials.toml"
    write(creds, GOOD_CREDS, 0o644)
    assert store.get_token("default") == Secret("good-token-1")
    assert any("chmod 600" in w for w in store.warnings)
    store.set_token("other", "other-token")
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    assert not any("chmod 600" in w for w in store.warnings)
    assert store.get_token("default") == Secret("good-token-1")


# -- row 8: foreign owner ------------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_foreign_owner_is_refused(store, made_dir):
    creds = made_dir / "credentials.toml"
    write(creds, GOOD_CREDS)
    os.chown(creds, 4242, 4242)
    with pytest.raises(ConfigError, match="another user") as info:
        store.get_token("default")
    assert "sudo chown" in str(info.value)
    assert load_settings(None).credentials_error is not None
    # A new login moves the foreign file aside untouched and writes a file of our own.
    store.set_token("default", "mine-now")
    moved = store.moved_aside
    assert moved.read_bytes() == GOOD_CREDS and moved.stat().st_uid == 4242
    assert creds.stat().st_uid == os.geteuid()
    assert store.get_token("default") == Secret("mine-now")


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_a_link_to_a_foreign_file_is_moved_aside_not_its_target(store, made_dir, tmp_path):
    foreign = tmp_path / "someone-elses.toml"
    write(foreign, GOOD_CREDS, 0o644)
    os.chown(foreign, 4242, 4242)
    creds = made_dir / "credentials.toml"
    creds.symlink_to(foreign)
    with pytest.raises(ConfigError, match="another user"):
        store.get_token("default")
    store.set_token("default", "mine-now")
    assert store.moved_aside.is_symlink() and store.moved_aside.resolve() == foreign
    assert foreign.read_bytes() == GOOD_CREDS
    assert stat.S_IMODE(foreign.stat().st_mode) == 0o644
    assert not creds.is_symlink() and store.get_token("default") == Secret("mine-now")


def test_a_broken_file_that_cannot_be_moved_aside_is_explained(store, made_dir, monkeypatch):
    creds = made_dir / "credentials.toml"
    write(creds, b"not toml =")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    with pytest.raises(ConfigError, match="could not be moved aside"):
        store.set_token("default", "new-token")
    assert creds.read_bytes() == b"not toml ="


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root")
def test_root_refuses_to_write_into_a_users_directory(store, made_dir):
    os.chown(made_dir, 4242, 4242)
    with pytest.raises(ConfigError, match="root"):
        store.set_token("default", "tok-abcdef")
    assert not (made_dir / "credentials.toml").exists()


def test_foreign_owner_detected_through_fstat(store, made_dir, monkeypatch):
    """Without root: pretend to be another uid."""
    write(made_dir / "credentials.toml", GOOD_CREDS)
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 1)
    with pytest.raises(ConfigError, match="another user"):
        ConfigStore().get_token("default")


CONFIG_WITH_A_BAD_VALUE = """\
# c66tui settings
version = 1
default_profile = "work"

[preferences]
theme = "nord"
refresh_seconds = 30
keymap = { "stacks.redeploy" = "R", "app.help" = 4 }

[profiles.work]
api_url = "https://app.cloud66.com/api/2"
read_only = "no"

[profiles."ops.eu"]
scopes = ["public", 7]
"""


@pytest.mark.parametrize(
    ("key", "line"),
    [
        ("profiles.work.read_only", 12),
        ("preferences.keymap.app.help", 8),  # inside an inline table: the table's line
        ("profiles.ops.eu.scopes[1]", 15),
    ],
)
def test_schema_errors_name_the_line_of_the_key(store, made_dir, key, line):
    # Only one value at a time is wrong; the others are made right.
    text = CONFIG_WITH_A_BAD_VALUE
    fixes = {
        "profiles.work.read_only": ('read_only = "no"', "read_only = false"),
        "preferences.keymap.app.help": ('"app.help" = 4', '"app.help" = "f1"'),
        "profiles.ops.eu.scopes[1]": ('["public", 7]', '["public"]'),
    }
    for other, (wrong, right) in fixes.items():
        if other != key:
            text = text.replace(wrong, right)
    write(made_dir / "config.toml", text.encode())
    with pytest.raises(ConfigError) as info:
        store.load()
    assert info.value.key == key and info.value.line == line
    assert f"{made_dir / 'config.toml'}, line {line}: " in str(info.value)


def test_credentials_schema_error_names_the_line(store, made_dir):
    write(made_dir / "credentials.toml", b'# tokens\n\n[profiles.default]\n\ntoken = 123\n')
    with pytest.raises(ConfigError) as info:
        store.get_token("default")
    assert info.value.line == 5 and ", line 5: 'profiles.default.token'" in str(info.value)
