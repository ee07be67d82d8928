"""Configuration, credentials and paths: no Textual here.

``config.toml`` holds profiles and preferences, ``credentials.toml`` (0600) holds tokens;
both live in :func:`paths.config_dir`. See :class:`ConfigStore` and :func:`load_settings`.
"""

from c66tui.config import paths
from c66tui.config.errors import ConfigError, ConfigWriteError
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
    use_temporary_dirs,
)
from c66tui.config.store import ConfigStore
from c66tui.config.validate import validate_preference

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
    "use_temporary_dirs",
    "validate_preference",
]
