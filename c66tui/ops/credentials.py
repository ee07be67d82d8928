"""The OAuth client credentials of a profile, and saving a login that just succeeded.

Values from the environment (``C66TUI_CLIENT_ID``, ``C66TUI_CLIENT_SECRET``,
``C66TUI_REDIRECT_URI``) win when logging in but are never written to the files: the
environment stays the place they live.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from c66tui.api.secret import Secret

if TYPE_CHECKING:
    from c66tui.config.model import AppConfig, Profile
    from c66tui.config.settings import Settings
    from c66tui.config.store import ConfigStore

OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"


def _env(name: str) -> str:
    return os.environ.get(name, "").strip()


def client_credentials(settings: Settings, profile: Profile) -> tuple[str, Secret | None]:
    """The OAuth client id and secret for ``profile``: environment, profile, file.

    The secret given at start-up (``settings.client_secret``) belongs to the start-up
    profile only; an unreadable credentials file just means "not prefilled".
    """
    client_id = _env("C66TUI_CLIENT_ID") or getattr(profile, "client_id", "") or ""
    env_secret = _env("C66TUI_CLIENT_SECRET")
    if env_secret:
        return client_id, Secret(env_secret)
    start_secret = getattr(settings, "client_secret", None)
    if profile is settings.profile and start_secret:
        return client_id, Secret(start_secret)
    try:
        return client_id, settings.store.get_client_secret(getattr(profile, "name", "default"))
    except Exception:  # noqa: BLE001 - an unreadable file just means "not prefilled"
        return client_id, None


def save_login(
    store: ConfigStore,
    profile: Profile,
    token: Secret,
    *,
    client_id: str = "",
    client_secret: Secret | None = None,
    scopes: tuple[str, ...] | None = None,
    make_active: bool = True,
    redirect_uri: str | None = None,
) -> AppConfig:
    """Persist a successful login: the token (0600, atomically) and the profile.

    A client id, secret or redirect address that came from the environment is not
    written. A profile missing from ``config.toml`` (a new one) is added. ``profile``
    (the running one) takes the new client id, scopes and redirect address too, keeping
    its start-up overrides. Blocking file I/O: call it from a thread. Returns the
    configuration as saved.
    """
    if client_secret is not None and client_secret.reveal() == _env("C66TUI_CLIENT_SECRET"):
        client_secret = None
    if client_id and client_id == _env("C66TUI_CLIENT_ID"):
        client_id = ""
    if redirect_uri is not None:
        from_env = redirect_uri == _env("C66TUI_REDIRECT_URI")
        redirect_uri = None if from_env else ("" if redirect_uri == OOB_REDIRECT else redirect_uri)
    store.set_token(profile.name, token, client_secret=client_secret)

    def apply(config: AppConfig) -> None:
        current = config.profiles.get(profile.name)
        if current is None:
            config.profiles[profile.name] = current = profile
        # The token belongs to the API it was issued by: keep that URL with it.
        current.api_url = profile.api_url
        _adopt(current, client_id, scopes, redirect_uri)
        if make_active:
            config.active_profile = profile.name

    config = store.update(apply)
    _adopt(profile, client_id, scopes, redirect_uri)
    return config


def _adopt(
    profile: Profile, client_id: str, scopes: tuple[str, ...] | None, redirect_uri: str | None
) -> None:
    """Give ``profile`` what the login chose (only what was chosen)."""
    if client_id:
        profile.client_id = client_id
    if scopes:
        profile.scopes = tuple(scopes)
    if redirect_uri is not None:
        profile.redirect_uri = redirect_uri
