"""Configuration, credentials and paths: no Textual here.

``config.toml`` holds profiles and preferences, ``credentials.toml`` (0600) holds tokens;
both live in :func:`paths.config_dir`. See :class:`ConfigStore` and :func:`load_settings`.

Names are imported on first use so ``c66tui config path`` and ``c66tui journal`` start
without loading the HTTP stack, and the errors load without ``platformdirs``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from c66tui.config.errors import ConfigError, ConfigWriteError
from c66tui.lazy import lazy_exports

_LAZY = {
    "paths": "paths",
    "DEFAULT_API_URL": "model",
    "DEFAULT_PROFILE": "model",
    "DEFAULT_SCOPES": "model",
    "AppConfig": "model",
    "Preferences": "model",
    "Profile": "model",
    "ENV_TOKEN": "settings",
    "Settings": "settings",
    "demo_settings": "settings",
    "load_settings": "settings",
    "demo_home": "demo",
    "use_demo_dirs": "demo",
    "ConfigStore": "store",
    "validate_preference": "validate",
}

if TYPE_CHECKING:  # pragma: no cover
    from c66tui.config import paths
    from c66tui.config.demo import demo_home, use_demo_dirs
    from c66tui.config.model import (
        DEFAULT_API_URL,
        DEFAULT_PROFILE,
        DEFAULT_SCOPES,
        AppConfig,
        Preferences,
        Profile,
    )
    from c66tui.config.settings import (
        ENV_TOKEN,
        Settings,
        demo_settings,
        load_settings,
    )
    from c66tui.config.store import ConfigStore
    from c66tui.config.validate import validate_preference


__getattr__, __dir__ = lazy_exports(__name__, _LAZY, globals())

__all__ = [
    "DEFAULT_API_URL",
    "DEFAULT_PROFILE",
    "DEFAULT_SCOPES",
    "ENV_TOKEN",
    "AppConfig",
    "ConfigError",
    "ConfigStore",
    "ConfigWriteError",
    "Preferences",
    "Profile",
    "Settings",
    "demo_settings",
    "load_settings",
    "paths",
    "demo_home",
    "use_demo_dirs",
    "validate_preference",
]
