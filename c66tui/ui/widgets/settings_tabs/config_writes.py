"""Saving c66tui's own settings: one locked, atomic ``config.toml`` update per change.

:func:`save_config` runs ``ConfigStore.update`` (lock, re-read, change, atomic write) and
hands the saved config to the running app, so the change is used at once where it can
be and honoured on the next start. Failures are reported and leave the file untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from c66tui.text import sanitize


def save_config(app: Any, change: Callable[[Any], None]) -> Any | None:
    """Apply ``change`` to ``config.toml``; the new config, or ``None`` when not saved."""
    services = app.services
    try:
        config = services.store.update(change)
    except Exception as err:  # noqa: BLE001 - ConfigError, OSError, ValueError: say it
        app.notify(f"Not saved: {sanitize(str(err))}", severity="error", markup=False)
        return None
    adopt_config(services, config)
    return config


def adopt_config(services: Any, config: Any) -> None:
    """Make ``config`` the one the running app reads preferences from."""
    settings = getattr(services, "settings", None)
    if settings is not None:
        try:
            settings.config = config
        except Exception:  # noqa: BLE001 - a frozen settings object keeps its copy
            pass
    if isinstance(getattr(type(services), "config", None), property):
        try:
            services.config = config
        except AttributeError:
            pass
