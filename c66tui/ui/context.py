"""The one way a screen, widget or dialog reaches the session: :class:`UsesServices`.

``self.services`` is the running app's :class:`~c66tui.ops.services.AppServices` (API
client, stores, identity, permissions, writes in flight), typed, so a screen never
builds clients or opens files itself and never reaches through ``self.app`` for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.app import App

    from c66tui.ops.services import AppServices


class HasServices:
    """What an app must carry for :func:`services_of` (the c66tui app does)."""

    services: AppServices


def services_of(app: App) -> AppServices:
    """The session context of ``app``."""
    return cast(HasServices, app).services


class UsesServices:
    """Mixed into a Textual node: ``self.services`` is the app's session context."""

    app: App

    @property
    def services(self) -> AppServices:
        return services_of(self.app)
