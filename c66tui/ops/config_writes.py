"""Saving c66tui's own settings: one locked, atomic ``config.toml`` update per change.

:func:`save_config` runs ``ConfigStore.update`` (lock, re-read, change, atomic write) and
hands the saved config to the running app, so the change is used at once where it can
be and honoured on the next start. Failures are reported and leave the file untouched.

The theme is saved the same way whichever way it was changed (the command palette's
theme command, the light/dark toggle): :func:`save_theme_changes` watches ``app.theme``
and saves each change at once in a thread worker (the update waits for the file lock and
syncs to disk, which must not hold up the screen). Themes shown while the Preferences
tab's chooser is open are previews (:func:`theme_preview`) and are not saved; the tab
saves the one finally chosen itself, with :func:`persist_theme`, as it needs the result.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from c66tui.text import sanitize

_PREVIEWING: weakref.WeakSet[Any] = weakref.WeakSet()
"""Apps whose theme changes are previews right now."""


def save_config(app: Any, change: Callable[[Any], None], what: str = "") -> Any | None:
    """Apply ``change`` to ``config.toml``; the new config, or ``None`` when not saved.

    ``what`` names the change in the error message (``"the theme"``).
    """
    services = app.services
    try:
        config = services.store.update(change)
    except Exception as err:  # noqa: BLE001 - ConfigError, OSError, ValueError: say it
        head = f"Could not save {what}" if what else "Not saved"
        app.notify(f"{head}: {sanitize(str(err))}", severity="error", markup=False)
        return None
    adopt_config(services, config)
    return config


@contextmanager
def theme_preview(app: Any) -> Iterator[None]:
    """While inside, changes of ``app.theme`` are previews and are not saved."""
    _PREVIEWING.add(app)
    try:
        yield
    finally:
        _PREVIEWING.discard(app)


def persist_theme(app: Any) -> bool:
    """Save ``app.theme`` as the theme preference, at once and atomically.

    Nothing is written while a preview is shown. True when saved (or a preview).
    """
    if app in _PREVIEWING:
        return True
    return _save_theme(app)


def _save_theme(app: Any) -> bool:
    def change(config: Any) -> None:
        # Read under the lock: of two saves racing, the last one written has the theme
        # in use, whichever started first.
        config.preferences.theme = app.theme

    return save_config(app, change, what="the theme") is not None


def save_theme_changes(app: Any) -> None:
    """From now on, save every change of ``app.theme`` (previews aside) in the
    ``save-theme`` thread worker."""

    def changed(_name: str) -> None:
        if app in _PREVIEWING:
            return
        app.run_worker(
            partial(_save_theme, app),
            name="save-theme",
            group="save-theme",
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    app.watch(app, "theme", changed, init=False)


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
