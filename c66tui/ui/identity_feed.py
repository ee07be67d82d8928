"""What the identity bar shows, fed from the session: who, where, the API budget, offline.

:class:`IdentityFeed` is mixed into the app. It mirrors the session's
:class:`~c66tui.ops.identity.Identity` (the one place the login is kept) into the app's
display fields, receives the API budget by the one path it travels (the client's
callback, through :attr:`AppServices.on_rate_limit`) and says since when the API cannot
be reached. The identity bar (:mod:`c66tui.ui.widgets.identity_bar`) watches those
fields and repaints its own line.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import work

from c66tui.api.errors import Cloud66Error
from c66tui.text import sanitize

if TYPE_CHECKING:
    from textual.timer import Timer

    from c66tui.api.models import RateLimit
    from c66tui.ops.connection import Connection
    from c66tui.ops.identity import Identity
    from c66tui.ops.services import AppServices


class IdentityFeed:
    """The identity bar's data, kept current (mixed into the App)."""

    services: AppServices
    profile_name: str
    api_host: str
    account_email: str
    rate_text: str
    connection_text: str

    RATE_REPAINT_SECONDS = 0.5
    """The API budget counter is repainted at most this often: a refresh of thousands of
    stacks answers a page every few milliseconds, and repainting the counter for each one
    wrote about 50 KB to the terminal for one refresh of 5,000 stacks."""

    _rate_timer: Timer | None = None
    _rate_shown_at = 0.0
    _rate_pending = ""

    def feed_identity_bar(self) -> None:
        """Start listening to the session (called once the app is mounted)."""
        services = self.services
        services.on_rate_limit = self.note_rate_limit
        services.on_warning = self.show_api_warning
        services.connection.subscribe(self._connection_changed)
        services.identity.subscribe(self._show_identity)

    def _show_identity(self, identity: Identity) -> None:
        services = self.services  # its short names read ``identity``
        self.profile_name = services.profile_name
        self.api_host = services.api_host
        self.account_email = services.account_email

    # -- the API budget -------------------------------------------------------------

    def note_rate_limit(self, rate: RateLimit) -> None:
        """Show the remaining API budget in the identity bar (the first answer at once,
        then at most every :attr:`RATE_REPAINT_SECONDS`, ending on the latest)."""
        if not rate.limit or rate.remaining is None:
            return
        self._rate_pending = f"API {rate.remaining}/{rate.limit}"
        if self._rate_timer is not None:
            return
        wait = self._rate_shown_at + self.RATE_REPAINT_SECONDS - time.monotonic()
        if wait <= 0:
            self._show_rate()
        else:
            self._rate_timer = self.set_timer(wait, self._show_rate)  # type: ignore[attr-defined]

    @property
    def rate_repaint_pending(self) -> bool:
        """Whether a newer API budget is waiting for its repaint (a timer is due)."""
        return self._rate_timer is not None

    def _show_rate(self) -> None:
        self._rate_timer = None
        self._rate_shown_at = time.monotonic()
        self.rate_text = self._rate_pending

    def clear_rate(self) -> None:
        """Take the API budget out of the identity bar (the login changed): a repaint
        still waiting would otherwise bring the previous login's budget back. The next
        answer shows at once."""
        if self._rate_timer is not None:
            self._rate_timer.stop()
            self._rate_timer = None
        self._rate_pending = ""
        self._rate_shown_at = 0.0
        self.rate_text = ""

    # -- the connection and the answers' warnings -------------------------------------

    def _connection_changed(self, connection: Connection) -> None:
        """Say in the identity bar since when and why the API cannot be reached."""
        since = connection.offline_since
        if since is None:
            self.connection_text = ""
            return
        self.connection_text = f"offline since {since.astimezone():%H:%M}: {connection.reason}"

    def show_api_warning(self, text: str) -> None:
        """A warning about an answer (``X-Cloud66-Warning``, page figures that disagree)."""
        self.notify(  # type: ignore[attr-defined]
            sanitize(text), title="Cloud 66", severity="warning", markup=False
        )

    # -- the account ------------------------------------------------------------------

    @work(group="identity", exclusive=True, exit_on_error=False)
    async def load_identity(self) -> None:
        """Fetch which account the token works in, once, for the identity bar (the API
        documents no way to learn the caller's own e-mail)."""
        if self.services.api is None:
            return
        try:
            email = await self.services.read(lambda api: api.account_label())
        except Cloud66Error:
            return
        self.services.identity.set_account(email or "")
