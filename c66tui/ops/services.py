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

from c66tui.api.errors import AuthenticationError, Cloud66Error, MissingScopeError
from c66tui.api.models import Stack
from c66tui.api.secret import Secret
from c66tui.ops.connection import Connection

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
        known_stacks: the stacks the stacks screen last loaded (the command palette's
            "go to stack" searches them); the stacks screen assigns a new list.
        in_flight: keys (``"redeploy:<uid>"``) of writes currently being sent; a key in
            this set means "do not send that again".
        demo_world: demo only: the in-process sandbox
            (:class:`c66tui.ui.demo.DemoWorld`), started when first used.
    """

    settings: Any
    api_factory: ApiFactory = default_api_factory
    api: Any = None
    account_email: str = ""
    scopes: set[str] = field(default_factory=set)
    focused_stack: Stack | None = None
    known_stacks: list[Stack] = field(default_factory=list)
    in_flight: set[str] = field(default_factory=set)
    connection: Connection = field(default_factory=Connection)
    """Whether the API answers (every read reports to it)."""
    reauthenticate: Callable[[], Awaitable[bool]] | None = None
    """Set by the app: shows one login dialog over the current screen, True on success."""
    demo_world: Any = None
    on_rate_limit: Callable[[Any], None] | None = None
    """Set by the app: called with the client's :class:`RateLimit` after each answer."""
    on_warning: Callable[[str], None] | None = None
    """Set by the app: called with a warning about an answer (``X-Cloud66-Warning``, page
    figures that disagree)."""
    auth_generation: int = 0
    """Incremented whenever a new token is connected (lets queued 401s share one login)."""
    _journal: Any = None
    _cache: Any = None
    _auth_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _declined_generation: int = -1
    _profile: Any = None
    _token: Any = None
    _token_source: str | None = None
    _switched: bool = False
    _config: Any = None

    def __post_init__(self) -> None:
        self._profile = self.settings.profile
        self._token = getattr(self.settings, "token", None)
        self._token_source = getattr(self.settings, "token_source", None)
        self._config = getattr(self.settings, "config", None)

    # -- the demo's sandbox ---------------------------------------------------------

    @property
    def http_transport(self) -> Any:
        """Transport for the OAuth calls (token exchange, validation): the demo's
        in-process sandbox, or ``None`` for the network."""
        return self.demo_world.transport if self.demo_world is not None else None

    @property
    def demo_approve(self) -> Callable[[str], Awaitable[str]] | None:
        """Demo only: approves an authorize URL inside the sandbox and returns the code
        it shows, so the login flow can be tried."""
        return self.demo_world.approve if self.demo_world is not None else None

    @property
    def demo_sandbox(self) -> Any:
        """Demo only: the in-process :class:`c66tui.sandbox.Sandbox`."""
        return self.demo_world.sandbox if self.demo_world is not None else None

    # -- identity -----------------------------------------------------------------

    @property
    def profile(self) -> Any:
        """The active :class:`c66tui.config.Profile`."""
        return self._profile

    @property
    def profile_name(self) -> str:
        return getattr(self._profile, "name", "default")

    @property
    def api_url(self) -> str:
        return getattr(self._profile, "api_url", "")

    @property
    def auth_base(self) -> str:
        """The OAuth host root for the active profile (``https://app.cloud66.com``)."""
        return auth_base_for(self._profile)

    @property
    def token(self) -> Secret | None:
        """The token in use (never shown; ``None`` when logged out)."""
        return self._token

    @property
    def token_source(self) -> str | None:
        """Where the token came from: ``"env"`` (``CLOUD66_TOKEN``), ``"file"`` or ``None``."""
        return self._token_source

    def use_profile(self, profile: Any, token: Secret | None, token_source: str | None) -> None:
        """Make ``profile`` the active one with ``token`` (call :meth:`connect` next)."""
        if profile is not self._profile:
            self._switched = True
            self.known_stacks = []
            self.focused_stack = None
            self.account_email = ""
        self._profile = profile
        self._token = token
        self._token_source = token_source

    @property
    def api_host(self) -> str:
        return urlsplit(self.api_url).netloc or self.api_url

    @property
    def read_only(self) -> bool:
        # The --read-only flag applies to the profile chosen at start-up.
        forced = bool(getattr(self.settings, "read_only", False)) and not self._switched
        return forced or bool(getattr(self._profile, "read_only", False))

    @property
    def demo(self) -> bool:
        return bool(getattr(self.settings, "demo", False))

    @property
    def store(self) -> Any:
        return self.settings.store

    @property
    def config(self) -> Any:
        """The last loaded :class:`c66tui.config.AppConfig`."""
        return self._config

    @config.setter
    def config(self, value: Any) -> None:
        self._config = value

    @property
    def preferences(self) -> Any:
        return self._config.preferences

    # -- stores -------------------------------------------------------------------

    @property
    def journal(self) -> Any:
        """The action journal (created on first use)."""
        if self._journal is None:
            from c66tui.config import paths
            from c66tui.ops.journal import Journal

            self._journal = Journal(paths.state_dir() / "journal.jsonl")
        return self._journal

    @property
    def cache(self) -> Any:
        """The last-known-state cache (created on first use)."""
        if self._cache is None:
            from c66tui.config import paths
            from c66tui.ops.cache import StackCache

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

    def starting_scopes(self) -> set[str]:
        """The scopes the token in use is taken to have until a 403 says otherwise.

        A login made here knows what it asked for (the profile's scopes). A token from
        ``CLOUD66_TOKEN`` is like a pasted personal token: its scopes are unknown, so every
        scope is allowed and the first refusal narrows them (:meth:`note_missing_scope`).
        """
        if self._token_source == "env":
            from c66tui.api.scopes import ALL_SCOPES

            return set(ALL_SCOPES)
        return set(getattr(self._profile, "scopes", ()) or ())

    def note_missing_scope(self, error: MissingScopeError) -> None:
        """Remember that the server refused a scope so the UI disables what needs it."""
        if error.scope:
            self.scopes.discard(error.scope)

    # -- client lifecycle ---------------------------------------------------------

    async def connect(self, token: Secret, api_url: str | None = None) -> Any:
        """Replace the API client with one for ``token`` (closing the old one)."""
        _register_secret(token)
        old = self.api
        self._token = token
        self.api = self.api_factory(api_url or self.api_url, token)
        if self.on_rate_limit is not None and hasattr(self.api, "on_rate_limit"):
            self.api.on_rate_limit = self.on_rate_limit
        if self.on_warning is not None and hasattr(self.api, "on_warning"):
            self.api.on_warning = self.on_warning
        self.auth_generation += 1
        if old is not None:
            await _close_quietly(old)
        return self.api

    async def disconnect(self) -> None:
        """Close and forget the API client and the token."""
        old, self.api = self.api, None
        self._token = None
        self._token_source = None
        self.account_email = ""
        self.auth_generation += 1
        if old is not None:
            await _close_quietly(old)

    async def read(self, call: Callable[[Any], Awaitable[T]]) -> T:
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

    async def _reported(self, call: Callable[[Any], Awaitable[T]]) -> T:
        """Run ``call`` and tell :attr:`connection` whether the API answered."""
        try:
            result = await call(self.api)
        except Cloud66Error as error:
            self.connection.failed(error)
            raise
        self.connection.answered()
        return result

    # -- credentials --------------------------------------------------------------

    def client_credentials(self, profile: Any = None) -> tuple[str, Secret | None]:
        """The OAuth client id and secret for ``profile``: profile, environment, file."""
        import os

        profile = profile or self._profile
        client_id = (
            os.environ.get("C66TUI_CLIENT_ID", "").strip()
            or getattr(profile, "client_id", "")
            or _default_client_id()
        )
        secret: Secret | None = None
        env_secret = os.environ.get("C66TUI_CLIENT_SECRET", "").strip()
        if env_secret:
            secret = Secret(env_secret)
        elif profile is self.settings.profile and getattr(self.settings, "client_secret", None):
            secret = Secret(self.settings.client_secret)
        else:
            try:
                secret = self.store.get_client_secret(getattr(profile, "name", "default"))
            except Exception:  # noqa: BLE001 - an unreadable file just means "not prefilled"
                secret = None
        return client_id, secret

    def save_login(
        self,
        profile: Any,
        token: Secret,
        *,
        client_id: str = "",
        client_secret: Secret | None = None,
        scopes: tuple[str, ...] | None = None,
        make_active: bool = True,
        redirect_uri: str | None = None,
    ) -> Any:
        """Persist a successful login: the token (0600, atomically) and the profile.

        A client id or secret that came from the environment is not written to the
        files. A profile missing from ``config.toml`` (a new one) is added. Blocking file
        I/O: call it from a thread (``asyncio.to_thread``). Returns the stored profile.
        """
        import os

        if (
            client_secret is not None
            and client_secret.reveal() == os.environ.get("C66TUI_CLIENT_SECRET", "").strip()
        ):
            client_secret = None
        if client_id and client_id == os.environ.get("C66TUI_CLIENT_ID", "").strip():
            client_id = ""
        if redirect_uri is not None:
            from_env = redirect_uri == os.environ.get("C66TUI_REDIRECT_URI", "").strip()
            oob = redirect_uri == "urn:ietf:wg:oauth:2.0:oob"
            redirect_uri = None if from_env else ("" if oob else redirect_uri)
        self.store.set_token(profile.name, token, client_secret=client_secret)
        stored: dict[str, Any] = {}

        def apply(config: Any) -> None:
            current = config.profiles.get(profile.name)
            if current is None:
                config.profiles[profile.name] = current = profile
            # The token belongs to the API it was issued by: keep that URL with it.
            current.api_url = profile.api_url
            if client_id:
                current.client_id = client_id
            if scopes:
                current.scopes = tuple(scopes)
            if redirect_uri is not None:
                current.redirect_uri = redirect_uri
            if make_active:
                config.active_profile = profile.name
            stored["profile"] = current

        self._config = self.store.update(apply)
        # The running profile keeps its start-up overrides (API URL from a flag).
        if client_id:
            profile.client_id = client_id
        if scopes:
            profile.scopes = tuple(scopes)
        if redirect_uri is not None:
            profile.redirect_uri = redirect_uri
        return profile

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


def auth_base_for(profile: Any) -> str:
    """The OAuth host root of ``profile``: its ``auth_url`` or one derived from the API."""
    explicit = getattr(profile, "auth_url", "") or ""
    if explicit:
        return explicit.rstrip("/")
    api_url = getattr(profile, "api_url", "") or ""
    try:
        from c66tui.api.oauth import auth_base_from_api_url

        return auth_base_from_api_url(api_url)
    except ImportError:  # pragma: no cover - the OAuth module ships with the client
        parts = urlsplit(api_url)
        return f"{parts.scheme}://{parts.netloc}"


def _default_client_id() -> str:
    try:
        from c66tui.api import oauth
    except ImportError:  # pragma: no cover
        return ""
    return getattr(oauth, "DEFAULT_CLIENT_ID", "") or ""


def _register_secret(token: Secret) -> None:
    """Teach the redaction layer the token so no log line or crash report shows it."""
    try:
        from c66tui.api.redaction import register_secret
    except ImportError:  # pragma: no cover
        return
    register_secret(token.reveal())


async def _close_quietly(client: Any) -> None:
    try:
        await client.aclose()
    except Exception:  # noqa: BLE001 - closing must never take the app down
        pass
