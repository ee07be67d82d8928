"""Resolve what the app starts with: profile, API URL, token and flags.

Precedence is command-line flag, then environment variable, then file:

* profile: ``--profile`` > ``C66TUI_PROFILE`` > ``default_profile`` in ``config.toml``
* API URL: ``--api-url`` > ``C66TUI_API_URL`` > the profile's ``api_url``
* OAuth client: ``C66TUI_CLIENT_ID`` / ``C66TUI_CLIENT_SECRET`` > the profile / credentials
* OAuth callback: ``C66TUI_REDIRECT_URI`` > the profile's ``redirect_uri`` > out-of-band
* token: ``CLOUD66_TOKEN`` > ``credentials.toml``

A broken ``config.toml`` raises :class:`ConfigError`. A broken credentials file does not:
it is reported in ``Settings.credentials_error`` so the UI can offer to log in again.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from urllib.parse import urlsplit

from c66tui.config.demo import DEMO_API_URL, DEMO_PROFILE, DEMO_TOKEN, demo_home
from c66tui.config.demo import DEMO_SANDBOX_STATE as DEMO_SANDBOX_STATE
from c66tui.config.demo import forget_demo as forget_demo
from c66tui.config.demo import use_demo_dirs as use_demo_dirs
from c66tui.config.errors import ConfigError
from c66tui.config.model import DEFAULT_PROFILE, AppConfig, Profile, check_api_url
from c66tui.config.redirect import ENV_REDIRECT_URI, check_redirect_uri
from c66tui.config.store import ConfigStore
from c66tui.secret import Secret

ENV_TOKEN = "CLOUD66_TOKEN"
ENV_PROFILE = "C66TUI_PROFILE"
ENV_API_URL = "C66TUI_API_URL"
ENV_CLIENT_ID = "C66TUI_CLIENT_ID"
ENV_CLIENT_SECRET = "C66TUI_CLIENT_SECRET"


@dataclass
class Settings:
    """Everything resolved at start-up.

    ``profile`` already carries the effective ``api_url`` and ``client_id`` (overrides
    applied; the file is not changed). ``token_source`` is ``"env"`` when
    ``CLOUD66_TOKEN`` is in use: logging out or in cannot change that token, and the UI
    should say so, naming :attr:`token_env_var`.
    """

    store: ConfigStore
    config: AppConfig
    profile: Profile
    token: Secret | None
    token_source: Literal["file", "env"] | None
    read_only: bool
    demo: bool = False
    client_secret: Secret | None = None
    credentials_error: ConfigError | None = None
    """Why the saved credentials could not be used (the UI offers ``quarantine``)."""
    warnings: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    """Where each value came from (``"flag"``, ``"env"``, ``"file"``, ``"default"``)."""

    @property
    def token_env_var(self) -> str | None:
        """The environment variable holding the token, when it comes from one."""
        return ENV_TOKEN if self.token_source == "env" and not self.demo else None


def same_origin(first: str, second: str) -> bool:
    """Whether two API URLs share scheme, host and port (the token's audience)."""

    def origin(url: str) -> tuple[str, str, int | None]:
        parts = urlsplit(str(url).strip())
        default = {"http": 80, "https": 443}.get(parts.scheme.lower())
        try:
            port = parts.port or default
        except ValueError:
            port = None
        return parts.scheme.lower(), (parts.hostname or "").lower(), port

    return origin(first) == origin(second)


def _arg(args: Any, name: str) -> Any:
    return getattr(args, name, None) if args is not None else None


def _env(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


def checked_url(url: str, origin: str) -> str:
    """``url`` stripped, or a ConfigError naming ``origin`` (the flag or variable)."""
    url = url.strip()
    problem = check_api_url(url)
    if problem:
        raise ConfigError(f"The API URL from {origin} {problem}", key=origin)
    return url


def load_settings(
    args: Any = None,
    *,
    environ: Mapping[str, str] | None = None,
    store: ConfigStore | None = None,
) -> Settings:
    """Resolve :class:`Settings` from parsed arguments, the environment and the files.

    ``args`` may be an ``argparse.Namespace`` (attributes ``profile``, ``api_url``,
    ``read_only``, ``demo``) or ``None``.
    """
    environ = os.environ if environ is None else environ
    if _arg(args, "demo"):
        return demo_settings(args, environ=environ)
    store = store or ConfigStore()
    config = store.load()
    sources: dict[str, str] = {}

    name = _arg(args, "profile")
    sources["profile"] = "flag"
    if not name:
        name, sources["profile"] = _env(environ, ENV_PROFILE), "env"
    if not name:
        name = config.active_profile
        # Named by the file, or the only choice its profiles leave; else the built-in one.
        named = "default_profile" in config.file_keys or name != DEFAULT_PROFILE
        sources["profile"] = "file" if named else "default"
    if name not in config.profiles:
        known = ", ".join(sorted(config.profiles)) or "none"
        origin = {"flag": "--profile", "env": ENV_PROFILE}.get(sources["profile"], "file")
        raise ConfigError(
            f"There is no profile named '{name}' (from {origin}) in {store.config_path}; "
            f"profiles: {known}",
            path=store.config_path,
            key="profiles",
        )
    profile = replace(config.profiles[name], extra=dict(config.profiles[name].extra))

    flag_url, env_url = _arg(args, "api_url"), _env(environ, ENV_API_URL)
    if flag_url:
        profile.api_url, sources["api_url"] = checked_url(flag_url, "--api-url"), "flag"
    elif env_url:
        profile.api_url, sources["api_url"] = checked_url(env_url, ENV_API_URL), "env"
    else:
        held = f"profiles.{name}.api_url" in config.file_keys
        sources["api_url"] = "file" if held else "default"
    client_id = _env(environ, ENV_CLIENT_ID)
    if client_id:
        profile.client_id, sources["client_id"] = client_id, "env"
    redirect_uri = _env(environ, ENV_REDIRECT_URI)
    if redirect_uri:
        problem = check_redirect_uri(redirect_uri)
        if problem:
            raise ConfigError(f"{ENV_REDIRECT_URI} {problem}", key=ENV_REDIRECT_URI)
        profile.redirect_uri, sources["redirect_uri"] = redirect_uri, "env"

    token: Secret | None = None
    token_source: Literal["file", "env"] | None = None
    client_secret: Secret | None = None
    credentials_error: ConfigError | None = None
    env_token = _env(environ, ENV_TOKEN)
    if env_token:
        token, token_source = Secret(env_token), "env"
    try:
        if token is None:
            token = store.get_token(name)
            token_source = "file" if token else None
        client_secret = store.get_client_secret(name)
    except ConfigError as exc:
        credentials_error = exc
    env_secret = _env(environ, ENV_CLIENT_SECRET)
    if env_secret:
        client_secret, sources["client_secret"] = Secret(env_secret), "env"
    warnings = list(store.warnings)
    saved_url = config.profiles[name].api_url
    if token_source == "file" and not same_origin(saved_url, profile.api_url):
        # A saved token is sent only to the host it was issued for.
        token, token_source = None, None
        warnings.append(
            f"The token saved for profile '{name}' was issued for {saved_url}; it is not "
            f"sent to {profile.api_url}. Log in again with that URL (it is then saved in "
            f"the profile), or set CLOUD66_TOKEN for this run."
        )
    if token_source:
        sources["token"] = token_source

    return Settings(
        store=store,
        config=config,
        profile=profile,
        token=token,
        token_source=token_source,
        read_only=bool(_arg(args, "read_only")) or profile.read_only,
        demo=False,
        client_secret=client_secret,
        credentials_error=credentials_error,
        warnings=warnings,
        sources=sources,
    )


def demo_settings(args: Any = None, *, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings for ``--demo``: an in-memory profile against the bundled sandbox.

    The store points at the demo's own folder (:func:`demo_home`, where
    :func:`use_demo_dirs` also moves the cache and state directories), so nothing the demo
    does touches the user's real config, journal or cache. ``environ`` is accepted for
    symmetry with :func:`load_settings` and not used.
    """
    store = ConfigStore(demo_home() / "config")
    profile = Profile(DEMO_PROFILE, api_url=DEMO_API_URL, client_id="c66tui-sandbox")
    profile.scopes = ("public", "redeploy", "jobs", "users", "admin")
    config = AppConfig(active_profile=DEMO_PROFILE, profiles={DEMO_PROFILE: profile})
    return Settings(
        store=store,
        config=config,
        profile=replace(profile),
        token=Secret(DEMO_TOKEN),
        token_source="env",
        read_only=bool(_arg(args, "read_only")),
        demo=True,
        sources={"profile": "demo", "api_url": "demo", "token": "demo"},
    )
