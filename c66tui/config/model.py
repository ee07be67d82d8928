"""The configuration data model and its schema checks.

``config.toml`` looks like::

    version = 1
    default_profile = "default"

    [preferences]
    theme = "c66-dark"
    refresh_seconds = 30
    mouse = true
    low_bandwidth = false
    ascii_only = false
    favourites = ["stack-uid"]

    [preferences.keymap]
    "stacks.redeploy" = "ctrl+d"

    [profiles.default]
    api_url = "https://app.cloud66.com/api/3"
    client_id = ""
    scopes = ["public", "redeploy", "jobs"]
    read_only = false

Keys c66tui does not know are kept (in ``extra``) and written back unchanged.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from c66tui.config.credentials import CredentialsFile as CredentialsFile
from c66tui.config.credentials import credentials_from_toml as credentials_from_toml
from c66tui.config.credentials import credentials_to_toml as credentials_to_toml
from c66tui.config.redirect import check_redirect_uri
from c66tui.config.schema import Checker, safe_key
from c66tui.config.schema import check_api_url as check_api_url

CONFIG_VERSION = 1
DEFAULT_PROFILE = "default"
DEFAULT_API_URL = "https://app.cloud66.com/api/3"
DEFAULT_SCOPES: tuple[str, ...] = ("public", "redeploy", "jobs")
DEFAULT_THEME = "c66-dark"
REFRESH_FILE_RANGE = (1, 86400)
"""Values a hand-edited file may hold; the settings screen enforces a narrower range."""

PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_SCOPE = re.compile(r"^[a-z][a-z0-9_:.-]{0,31}$")


@dataclass
class Profile:
    """One Cloud 66 login target: which API, which OAuth client, which scopes."""

    name: str
    api_url: str = DEFAULT_API_URL
    client_id: str = ""
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    read_only: bool = False
    auth_url: str = ""
    """OAuth host root; empty means derived from ``api_url``."""
    account_id: int | None = None
    """Pinned account (sent as ``X-Account``); ``None`` for the token's default."""
    redirect_uri: str = ""
    """The OAuth application's registered callback; empty means the out-of-band URI."""
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class Preferences:
    """How the app looks and behaves."""

    theme: str = DEFAULT_THEME
    refresh_seconds: int = 30
    mouse: bool = True
    low_bandwidth: bool = False
    ascii_only: bool = False
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id (``"stacks.redeploy"``) to keys (``"ctrl+d"``)."""
    favourites: list[str] = field(default_factory=list)
    """Stack uids pinned to the top of the stack list."""
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class AppConfig:
    """Everything in ``config.toml``."""

    active_profile: str = DEFAULT_PROFILE
    profiles: dict[str, Profile] = field(
        default_factory=lambda: {DEFAULT_PROFILE: Profile(DEFAULT_PROFILE)}
    )
    preferences: Preferences = field(default_factory=Preferences)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    file_keys: frozenset[str] = field(default_factory=frozenset, compare=False, repr=False)
    """Dotted keys the file itself held (``"default_profile"``,
    ``"profiles.prod.api_url"``): any other value is a built-in default."""

    def profile(self, name: str | None = None) -> Profile:
        """The named profile (the active one by default); ``KeyError`` when missing."""
        return self.profiles[name or self.active_profile]


# -- config.toml -------------------------------------------------------------------------

_PROFILE_KEYS = {"api_url", "client_id", "scopes", "read_only", "auth_url", "account_id"}
_PROFILE_KEYS.add("redirect_uri")
_PREFERENCE_KEYS = {
    "theme",
    "refresh_seconds",
    "mouse",
    "low_bandwidth",
    "ascii_only",
    "keymap",
    "favourites",
}


def _parse_profile(check: Checker, name: Any, raw: Any) -> Profile:
    base = f"profiles.{name}"
    if not PROFILE_NAME.fullmatch(name):
        raise check.fail(
            base,
            "is not a usable profile name (letters, digits, '.', '_' or '-', at most 64)",
        )
    table = check.table(raw, base)
    profile = Profile(name)
    if "api_url" in table:
        url = check.text(table["api_url"], f"{base}.api_url").strip()
        problem = check_api_url(url)
        if problem:
            raise check.fail(f"{base}.api_url", problem)
        profile.api_url = url
    if "auth_url" in table:
        url = check.text(table["auth_url"], f"{base}.auth_url", empty=True).strip()
        problem = check_api_url(url) if url else None
        if problem:
            raise check.fail(f"{base}.auth_url", problem)
        profile.auth_url = url
    if "client_id" in table:
        profile.client_id = check.text(table["client_id"], f"{base}.client_id", empty=True)
    uri = check.text(table.get("redirect_uri", ""), f"{base}.redirect_uri", empty=True).strip()
    if uri and (problem := check_redirect_uri(uri)):
        raise check.fail(f"{base}.redirect_uri", problem)
    profile.redirect_uri = uri
    if "scopes" in table:
        scopes = check.text_list(table["scopes"], f"{base}.scopes")
        for index, scope in enumerate(scopes):
            if not _SCOPE.fullmatch(scope):
                raise check.fail(f"{base}.scopes[{index}]", "is not a scope name")
        profile.scopes = tuple(scopes)
    if "read_only" in table:
        profile.read_only = check.flag(table["read_only"], f"{base}.read_only")
    if "account_id" in table:
        account = check.integer(table["account_id"], f"{base}.account_id")
        if account <= 0 or account >= 2**63:
            raise check.fail(f"{base}.account_id", "must be a positive account number")
        profile.account_id = account
    profile.extra = {k: v for k, v in table.items() if k not in _PROFILE_KEYS}
    return profile


def _parse_preferences(check: Checker, raw: Any) -> Preferences:
    table = check.table(raw, "preferences")
    prefs = Preferences()
    if "theme" in table:
        prefs.theme = check.text(table["theme"], "preferences.theme").strip()
    if "refresh_seconds" in table:
        seconds = check.integer(table["refresh_seconds"], "preferences.refresh_seconds")
        low, high = REFRESH_FILE_RANGE
        if not low <= seconds <= high:
            raise check.fail(
                "preferences.refresh_seconds", f"must be between {low} and {high} seconds"
            )
        prefs.refresh_seconds = seconds
    for name in ("mouse", "low_bandwidth", "ascii_only"):
        if name in table:
            setattr(prefs, name, check.flag(table[name], f"preferences.{name}"))
    if "keymap" in table:
        keymap = check.table(table["keymap"], "preferences.keymap")
        for binding, keys in keymap.items():
            check.text(keys, f"preferences.keymap.{binding}")
        prefs.keymap = dict(keymap)
    if "favourites" in table:
        prefs.favourites = check.text_list(table["favourites"], "preferences.favourites")
    prefs.extra = {k: v for k, v in table.items() if k not in _PREFERENCE_KEYS}
    return prefs


def config_from_toml(doc: dict[str, Any], path: Path) -> AppConfig:
    """Validate a parsed ``config.toml`` into an :class:`AppConfig` (or ConfigError)."""
    check = Checker(path)
    version = doc.get("version", CONFIG_VERSION)
    check.integer(version, "version")
    if version > CONFIG_VERSION:
        raise check.fail(
            "version",
            f"is {version}: the file was written by a newer c66tui "
            f"(this one reads version {CONFIG_VERSION}); upgrade c66tui",
        )
    if version < CONFIG_VERSION:
        raise check.fail("version", f"must be {CONFIG_VERSION}")
    config = AppConfig(profiles={})
    if "preferences" in doc:
        config.preferences = _parse_preferences(check, doc["preferences"])
    profiles = check.table(doc.get("profiles", {}), "profiles")
    for name, raw in profiles.items():
        config.profiles[name] = _parse_profile(check, name, raw)
    if "default_profile" in doc:
        active = check.text(doc["default_profile"], "default_profile").strip()
        if active not in config.profiles:
            if active == DEFAULT_PROFILE and not config.profiles:
                config.profiles[DEFAULT_PROFILE] = Profile(DEFAULT_PROFILE)
            else:
                known = ", ".join(sorted(config.profiles)) or "none"
                raise check.fail(
                    "default_profile",
                    f"names the profile '{safe_key(active)}', which is not defined "
                    f"(profiles: {known})",
                )
        config.active_profile = active
    elif DEFAULT_PROFILE in config.profiles or not config.profiles:
        config.profiles.setdefault(DEFAULT_PROFILE, Profile(DEFAULT_PROFILE))
        config.active_profile = DEFAULT_PROFILE
    else:
        config.active_profile = next(iter(config.profiles))
    held = {f"profiles.{name}.{key}" for name, table in profiles.items() for key in table}
    config.file_keys = frozenset(held | set(doc))
    known_top = {"version", "default_profile", "preferences", "profiles"}
    config.extra = {k: v for k, v in doc.items() if k not in known_top}
    return config


def _profile_to_toml(profile: Profile) -> dict[str, Any]:
    table: dict[str, Any] = dict(profile.extra)
    table["api_url"] = profile.api_url
    table["client_id"] = profile.client_id
    table["scopes"] = list(profile.scopes)
    table["read_only"] = bool(profile.read_only)
    if profile.auth_url:
        table["auth_url"] = profile.auth_url
    if profile.account_id is not None:
        table["account_id"] = int(profile.account_id)
    if profile.redirect_uri:
        table["redirect_uri"] = profile.redirect_uri
    return table


def config_to_toml(config: AppConfig) -> dict[str, Any]:
    """The document written to ``config.toml`` (unknown keys included)."""
    prefs = config.preferences
    preferences: dict[str, Any] = dict(prefs.extra)
    preferences.update(
        theme=prefs.theme,
        refresh_seconds=int(prefs.refresh_seconds),
        mouse=bool(prefs.mouse),
        low_bandwidth=bool(prefs.low_bandwidth),
        ascii_only=bool(prefs.ascii_only),
        favourites=list(prefs.favourites),
        keymap=dict(prefs.keymap),
    )
    doc: dict[str, Any] = {"version": CONFIG_VERSION, "default_profile": config.active_profile}
    doc.update({k: v for k, v in config.extra.items() if k not in doc})
    doc["preferences"] = preferences
    doc["profiles"] = {name: _profile_to_toml(p) for name, p in config.profiles.items()}
    return doc


def check_config(config: AppConfig, path: Path) -> None:
    """Refuse to write a config the loader would reject (a bug in the caller)."""
    config_from_toml(tomllib.loads(tomli_w.dumps(config_to_toml(config))), path)
