"""Configuration, credentials and paths: no Textual here.

``config.toml`` holds profiles and preferences, ``credentials.toml`` (0600) holds tokens;
both live in :func:`paths.config_dir`. See :class:`ConfigStore` and :func:`load_settings`.

Names are imported on first use so ``c66tui config path`` and ``c66tui journal`` start
without loading the HTTP stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from c66tui.config import paths
from c66tui.config.errors import ConfigError, ConfigWriteError

_LAZY = {
    "DEFAULT_API_URL": "c66tui.config.model",
    "DEFAULT_PROFILE": "c66tui.config.model",
    "DEFAULT_SCOPES": "c66tui.config.model",
    "AppConfig": "c66tui.config.model",
    "Preferences": "c66tui.config.model",
    "Profile": "c66tui.config.model",
    "ENV_TOKEN": "c66tui.config.settings",
    "Settings": "c66tui.config.settings",
    "demo_settings": "c66tui.config.settings",
    "load_settings": "c66tui.config.settings",
    "demo_home": "c66tui.config.settings",
    "use_demo_dirs": "c66tui.config.settings",
    "ConfigStore": "c66tui.config.store",
    "validate_preference": "c66tui.config.validate",
}

if TYPE_CHECKING:  # pragma: no cover
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
        demo_home,
        demo_settings,
        load_settings,
        use_demo_dirs,
    )
    from c66tui.config.store import ConfigStore
    from c66tui.config.validate import validate_preference


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'c66tui.config' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


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
