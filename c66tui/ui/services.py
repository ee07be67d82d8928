"""What every screen needs from the world: the API client, the stores and who is logged in.

Screens never build HTTP clients or open files themselves; they ask ``app.services``.
This module imports no Textual widgets so it stays cheap to load and easy to test.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from c66tui.api.errors import AuthenticationError, MissingScopeError
from c66tui.api.models import Stack
from c66tui.api.secret import Secret

T = TypeVar("T")

ApiFactory = Callable[[str, Secret], Any]
"""``api_factory(api_url, token) -> Cloud66Client``: lets the demo and the tests choose the
transport (in-process sandbox, loopback socket, the real service)."""

SCOPE_REASONS = {
    "redeploy": "needs the 'redeploy' scope: log in again and grant it",
    "admin": "needs the 'admin' scope: log in again and grant it",
    "users": "needs the 'users' scope",
    "jobs": "needs the 'jobs' scope",
}


def default_api_factory(api_url: str, token: Secret) -> Any:
    """Build a real client for ``api_url`` (imported lazily to keep start-up light)."""
    from c66tui.api import Cloud66Client

    return Cloud66Client(api_url, token)


@dataclass
class AppServices:
    """Shared state and services for the running app.

    Attributes:
        settings: the resolved start-up settings (profile, token, store, flags).
        api_factory: builds the API client for a URL and token.
        api: the current client, or ``None`` until logged in.
        account_email: who the token belongs to, shown in the identity bar.
        scopes: the scopes we believe the token has; narrowed when a 403 proves otherwise.
        focused_stack: the stack last put under the cursor, shared between screens.
        in_flight: keys (``"redeploy:<uid>"``) of writes currently being sent; a key in
            this set means "do not send that again".
    """

    settings: Any
    api_factory: ApiFactory = default_api_factory
    api: Any = None
    account_email: str = ""
    scopes: set[str] = field(default_factory=set)
    focused_stack: Stack | None = None
    in_flight: set[str] = field(default_factory=set)
    reauthenticate: Callable[[], Awaitable[bool]] | None = None
    """Set by the app: shows one login dialog over the current screen, True on success."""
    _journal: Any = None
    _cache: Any = None
    _auth_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    # -- identity -----------------------------------------------------------------

    @property
    def profile(self) -> Any:
        return self.settings.profile

    @property
    def profile_name(self) -> str:
        return getattr(self.settings.profile, "name", "default")

    @property
    def api_url(self) -> str:
        return getattr(self.settings.profile, "api_url", "")

    @property
    def api_host(self) -> str:
        return urlsplit(self.api_url).netloc or self.api_url

    @property
    def read_only(self) -> bool:
        return bool(getattr(self.settings, "read_only", False)) or bool(
            getattr(self.settings.profile, "read_only", False)
        )

    @property
    def demo(self) -> bool:
        return bool(getattr(self.settings, "demo", False))

    @property
    def store(self) -> Any:
        return self.settings.store

    @property
    def preferences(self) -> Any:
        return self.settings.config.preferences

    # -- stores -------------------------------------------------------------------

    @property
    def journal(self) -> Any:
        """The action journal (created on first use)."""
        if self._journal is None:
            from c66tui.config import paths
            from c66tui.journal import Journal

            self._journal = Journal(paths.state_dir() / "journal.jsonl")
        return self._journal

    @property
    def cache(self) -> Any:
        """The last-known-state cache (created on first use)."""
        if self._cache is None:
            from c66tui.cache import StackCache
            from c66tui.config import paths

            self._cache = StackCache(paths.cache_dir())
        return self._cache

    # -- permissions --------------------------------------------------------------

    def permission(self, scope: str | None, *, write: bool = True) -> str | None:
        """Why an action is not allowed, or ``None`` when it is.

        ``scope`` is the API scope the call needs (``None`` for public calls); ``write``
        says whether a read-only profile forbids it.
        """
        if write and self.read_only:
            return "this profile is read-only"
        if scope and scope not in self.scopes:
            return SCOPE_REASONS.get(scope, f"needs the '{scope}' scope")
        return None

    def note_missing_scope(self, error: MissingScopeError) -> None:
        """Remember that the server refused a scope so the UI disables what needs it."""
        if error.scope:
            self.scopes.discard(error.scope)

    # -- client lifecycle ---------------------------------------------------------

    async def connect(self, token: Secret, api_url: str | None = None) -> Any:
        """Replace the API client with one for ``token`` (closing the old one)."""
        old = self.api
        self.api = self.api_factory(api_url or self.api_url, token)
        if old is not None:
            await _close_quietly(old)
        return self.api

    async def disconnect(self) -> None:
        """Close and forget the API client."""
        old, self.api = self.api, None
        if old is not None:
            await _close_quietly(old)

    async def read(self, call: Callable[[Any], Awaitable[T]]) -> T:
        """Run a read against the API; on a 401, log in again once and retry it.

        Only for GETs: a write is never replayed (the caller reopens its confirmation).
        Several reads failing at once share one login dialog.
        """
        try:
            return await call(self.api)
        except AuthenticationError:
            if self.reauthenticate is None:
                raise
            async with self._auth_lock:
                ok = await self.reauthenticate()
            if not ok:
                raise
            return await call(self.api)

    @asynccontextmanager
    async def single_flight(self, key: str):
        """Hold ``key`` in :attr:`in_flight` for the duration of a write.

        Raises ``RuntimeError`` when the key is already held: the caller should have
        checked :meth:`is_in_flight` and ignored the key press.
        """
        if key in self.in_flight:
            raise RuntimeError(f"{key} is already in flight")
        self.in_flight.add(key)
        try:
            yield
        finally:
            self.in_flight.discard(key)

    def is_in_flight(self, key: str) -> bool:
        return key in self.in_flight


async def _close_quietly(client: Any) -> None:
    try:
        await client.aclose()
    except Exception:  # noqa: BLE001 - closing must never take the app down
        pass
