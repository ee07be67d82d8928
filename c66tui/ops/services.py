"""What a session has: the API client, the stores, who is logged in, the writes in flight.

:class:`AppServices` is the one typed context the app (``app.services``) and the commands
(:class:`c66tui.commands.context.CommandContext`) hold. Screens never build HTTP clients
or open files themselves; they ask it. Who is logged in lives in :class:`Identity`
(:mod:`c66tui.ops.identity`); the API budget lives in the client and reaches the UI by
one path, the :attr:`AppServices.on_rate_limit` callback. This module imports no Textual
and no HTTP stack, so it stays cheap to load and easy to test.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from c66tui.api.errors import AuthenticationError, Cloud66Error
from c66tui.api.models import RateLimit, Stack
from c66tui.api.redaction import register_secret
from c66tui.api.secret import Secret
from c66tui.config import paths
from c66tui.ops import credentials
from c66tui.ops.cache import StackCache
from c66tui.ops.connection import Connection
from c66tui.ops.deploy_state import WatchBook
from c66tui.ops.identity import SCOPE_REASONS as SCOPE_REASONS
from c66tui.ops.identity import Identity, IdentityView
from c66tui.ops.identity import auth_base_for as auth_base_for
from c66tui.ops.journal import Journal

if TYPE_CHECKING:
    import httpx

    from c66tui.api.client import Cloud66Client
    from c66tui.config.model import AppConfig, Preferences, Profile
    from c66tui.config.settings import Settings
    from c66tui.config.store import ConfigStore
    from c66tui.ops.identity import TokenSource
    from c66tui.ops.redeploy import RedeployController
    from c66tui.sandbox.state import Sandbox

T = TypeVar("T")

ApiFactory = Callable[[str, Secret], "Cloud66Client"]
"""``api_factory(api_url, token) -> Cloud66Client``: lets the demo and the tests choose the
transport (in-process sandbox, loopback socket, the real service)."""


def default_api_factory(api_url: str, token: Secret) -> Cloud66Client:
    """Build a real client for ``api_url``."""
    # Deferred: the client loads httpx, which the first frame does without.
    from c66tui.api.client import Cloud66Client

    return Cloud66Client(api_url, token)


class LocalWorld(Protocol):
    """An in-process sandbox standing in for Cloud 66 (the demo's
    :class:`c66tui.ops.demo_world.DemoWorld`)."""

    @property
    def transport(self) -> httpx.AsyncBaseTransport: ...

    @property
    def sandbox(self) -> Sandbox: ...

    async def approve(self, authorize_url: str) -> str: ...


@dataclass
class AppServices(IdentityView):
    """Shared state and services of one session.

    Attributes:
        settings: the resolved start-up settings (profile, token, store, flags).
        api_factory: builds the API client for a URL and token.
        api: the current client, or ``None`` until logged in.
        identity: who is logged in (profile, token, account, scopes); the properties of
            :class:`~c66tui.ops.session_identity.IdentityView` read it.
        focused_stack: the stack last put under the cursor, shared between screens.
        known_stacks: the stacks the stacks screen last loaded (the command palette's
            "go to stack" searches them); the stacks screen assigns a new list.
        in_flight: keys (``"redeploy:<uid>"``) of writes currently being sent; a key in
            this set means "do not send that again".
        connection: whether the API answers (every read reports to it).
        demo_world: demo only: the in-process sandbox, started when first used.
        deploy_watches: the deploys being followed, app-wide.
        redeploy_controller: the app-wide redeploy controller, made on first use
            (:func:`c66tui.ops.redeploy.controller_for`).
        journal_checks: journal entry id -> what a check against the deployments found.
    """

    settings: Settings
    api_factory: ApiFactory = default_api_factory
    api: Cloud66Client | None = None
    identity: Identity = field(init=False)
    focused_stack: Stack | None = None
    known_stacks: list[Stack] = field(default_factory=list)
    in_flight: set[str] = field(default_factory=set)
    connection: Connection = field(default_factory=Connection)
    reauthenticate: Callable[[], Awaitable[bool]] | None = None
    """Set by the app: shows one login dialog over the current screen, True on success."""
    on_rate_limit: Callable[[RateLimit], None] | None = None
    """Set by the app: called with the client's :class:`RateLimit` after each answer."""
    on_warning: Callable[[str], None] | None = None
    """Set by the app: called with a warning about an answer (``X-Cloud66-Warning``, page
    figures that disagree)."""
    demo_world: LocalWorld | None = None
    deploy_watches: WatchBook = field(default_factory=WatchBook)
    redeploy_controller: RedeployController | None = None
    journal_checks: dict[str, str] = field(default_factory=dict)
    auth_generation: int = 0
    """Incremented whenever a new token is connected (lets queued 401s share one login)."""
    _journal: Journal | None = field(default=None, repr=False)
    _cache: StackCache | None = field(default=None, repr=False)
    _auth_lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    _declined_generation: int = -1

    def __post_init__(self) -> None:
        settings = self.settings
        self.identity = Identity(
            profile=settings.profile,
            token=getattr(settings, "token", None),
            token_source=getattr(settings, "token_source", None),
            forced_read_only=bool(getattr(settings, "read_only", False)),
        )

    # -- the demo's sandbox ---------------------------------------------------------

    @property
    def http_transport(self) -> httpx.AsyncBaseTransport | None:
        """Transport for the OAuth calls (token exchange, validation): the demo's
        in-process sandbox, or ``None`` for the network."""
        return self.demo_world.transport if self.demo_world is not None else None

    @property
    def demo_approve(self) -> Callable[[str], Awaitable[str]] | None:
        """Demo only: approves an authorize URL inside the sandbox and returns the code
        it shows, so the login flow can be tried."""
        return self.demo_world.approve if self.demo_world is not None else None

    @property
    def demo_sandbox(self) -> Sandbox | None:
        """Demo only: the in-process sandbox."""
        return self.demo_world.sandbox if self.demo_world is not None else None

    @property
    def demo(self) -> bool:
        return bool(getattr(self.settings, "demo", False))

    # -- stores -------------------------------------------------------------------

    @property
    def store(self) -> ConfigStore:
        return self.settings.store

    @property
    def config(self) -> AppConfig | None:
        """The last loaded :class:`~c66tui.config.model.AppConfig` (kept in
        :attr:`settings`, the one place for it)."""
        return getattr(self.settings, "config", None)

    @config.setter
    def config(self, config: AppConfig) -> None:
        self.settings.config = config

    @property
    def preferences(self) -> Preferences:
        if self.config is None:
            raise RuntimeError("the session was started without a configuration")
        return self.config.preferences

    @property
    def journal(self) -> Journal:
        """The action journal (created on first use)."""
        if self._journal is None:
            self._journal = Journal(paths.state_dir() / "journal.jsonl")
        return self._journal

    @property
    def cache(self) -> StackCache:
        """The last-known-state cache (created on first use)."""
        if self._cache is None:
            self._cache = StackCache(paths.cache_dir())
        return self._cache

    @property
    def rate_limit(self) -> RateLimit | None:
        """The API budget the last answer reported (the client keeps it)."""
        return self.api.rate_limit if self.api is not None else None

    # -- credentials --------------------------------------------------------------

    def use_profile(
        self, profile: Profile, token: Secret | None, token_source: TokenSource | None
    ) -> None:
        """Make ``profile`` the active one with ``token`` (call :meth:`connect` next)."""
        if profile is not self.identity.profile:
            self.known_stacks = []
            self.focused_stack = None
        self.identity.use_profile(profile, token, token_source)

    def client_credentials(self, profile: Profile | None = None) -> tuple[str, Secret | None]:
        """The OAuth client id and secret for ``profile`` (the active one by default)."""
        return credentials.client_credentials(self.settings, profile or self.profile)

    def save_login(self, profile: Profile, token: Secret, **choices) -> Profile:
        """Persist a successful login (see :func:`c66tui.ops.credentials.save_login`);
        blocking file I/O. Returns ``profile``, updated with what the login chose."""
        self.config = credentials.save_login(self.store, profile, token, **choices)
        return profile

    # -- client lifecycle ---------------------------------------------------------

    async def connect(self, token: Secret, api_url: str | None = None) -> Cloud66Client:
        """Replace the API client with one for ``token`` (closing the old one).

        The client is built in a thread: the first one loads httpx and reads the
        certificate store (about 80 ms), which would otherwise hold the app's first keys.
        """
        register_secret(token.reveal())  # no log line or crash report shows it
        old = self.api
        self.identity.token = token
        api = await asyncio.to_thread(self.api_factory, api_url or self.api_url, token)
        api.on_rate_limit = self._rate_answered
        api.on_warning = self._warned
        self.api = api
        self.auth_generation += 1
        if old is not None:
            await _close_quietly(old)
        return api

    def _rate_answered(self, rate: RateLimit) -> None:
        if self.on_rate_limit is not None:
            self.on_rate_limit(rate)

    def _warned(self, text: str) -> None:
        if self.on_warning is not None:
            self.on_warning(text)

    async def disconnect(self) -> None:
        """Close and forget the API client and the token."""
        old, self.api = self.api, None
        self.identity.forget_token()
        self.auth_generation += 1
        if old is not None:
            await _close_quietly(old)

    async def read(self, call: Callable[[Cloud66Client], Awaitable[T]]) -> T:
        """Run a read against the API; on a 401, log in again once and retry it.

        Only for GETs: a write is never replayed (the caller reopens its confirmation).
        Several reads failing at once share one login dialog: whoever waits for the lock
        after a successful login simply retries, and after a declined login the others
        give up without asking again.
        """
        generation = self.auth_generation
        try:
            return await self._reported(call)
        except AuthenticationError:
            if self.reauthenticate is None:
                raise
            async with self._auth_lock:
                if self.auth_generation == generation:
                    if self._declined_generation == generation:
                        raise
                    ok = await self.reauthenticate()
                    if not ok:
                        self._declined_generation = generation
                        raise
            return await self._reported(call)

    async def _reported(self, call: Callable[[Cloud66Client], Awaitable[T]]) -> T:
        """Run ``call`` and tell :attr:`connection` whether the API answered."""
        try:
            result = await call(self.api)  # type: ignore[arg-type]
        except Cloud66Error as error:
            self.connection.failed(error)
            raise
        self.connection.answered()
        return result

    # -- single flight ------------------------------------------------------------

    @asynccontextmanager
    async def single_flight(self, key: str) -> AsyncIterator[None]:
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


async def _close_quietly(client: Cloud66Client) -> None:
    try:
        await client.aclose()
    except Exception:  # noqa: BLE001 - closing must never take the app down
        pass
