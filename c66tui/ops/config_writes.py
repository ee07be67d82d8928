"""Saving c66tui's own settings: one locked, atomic ``config.toml`` update per change.

:func:`save_config` runs ``ConfigStore.update`` (lock, re-read, change, atomic write) and
hands the saved config to the running app, so the change is used at once where it can
be and honoured on the next start. Failures are reported and leave the file untouched.

Callers pass what a save needs, never the UI: the session's services and a ``notify``
callback with the signature of Textual's ``notify`` (``notify(text, severity=..., markup=...)``).

The theme is saved the same way whichever way it was changed (the command palette's
theme command, the light/dark toggle): the app watches its theme and calls
:func:`save_theme` for each change at once in a thread worker (the update waits for the
file lock and syncs to disk, which must not hold up the screen). Themes shown while the
Preferences tab's chooser is open are previews (:func:`theme_preview`,
:func:`theme_previewing`) and are not saved; the tab saves the one finally chosen itself,
with :func:`persist_theme`, as it needs the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from c66tui.text import sanitize

Notify = Callable[..., None]
"""Shows a message: ``notify(text, severity="error", markup=False)`` (Textual's signature)."""

_PREVIEWING: set[int] = set()
"""``id`` of the services whose theme changes are previews right now."""


def save_config(
    services: Any, notify: Notify, change: Callable[[Any], None], what: str = ""
) -> Any | None:
    """Apply ``change`` to ``config.toml``; the new config, or ``None`` when not saved
    (said through ``notify``).

    ``what`` names the change in the error message (``"the theme"``).
    """
    try:
        config = services.store.update(change)
    except Exception as err:  # noqa: BLE001 - ConfigError, OSError, ValueError: say it
        head = f"Could not save {what}" if what else "Not saved"
        notify(f"{head}: {sanitize(str(err))}", severity="error", markup=False)
        return None
    adopt_config(services, config)
    return config


@contextmanager
def theme_preview(services: Any) -> Iterator[None]:
    """While inside, theme changes of the session of ``services`` are previews and are
    not saved."""
    _PREVIEWING.add(id(services))
    try:
        yield
    finally:
        _PREVIEWING.discard(id(services))


def theme_previewing(services: Any) -> bool:
    """Whether the theme shown now is a preview (not to be saved)."""
    return id(services) in _PREVIEWING


def persist_theme(services: Any, notify: Notify, current_theme: Callable[[], str]) -> bool:
    """Save the theme in use (``current_theme()``) as the theme preference, at once and
    atomically.

    Nothing is written while a preview is shown. True when saved (or a preview).
    """
    if theme_previewing(services):
        return True
    return save_theme(services, notify, current_theme)


def save_theme(services: Any, notify: Notify, current_theme: Callable[[], str]) -> bool:
    """Save ``current_theme()`` as the theme preference (whether or not a preview)."""

    def change(config: Any) -> None:
        # Read under the lock: of two saves racing, the last one written has the theme
        # in use, whichever started first.
        config.preferences.theme = current_theme()

    return save_config(services, notify, change, what="the theme") is not None

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
