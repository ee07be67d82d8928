"""Who is logged in, where, and what the token may do: the one place a session keeps it.

:class:`Identity` holds the active profile, its token and where the token came from, the
account the token works in and the scopes it is believed to have. Everything else (the
identity bar, the confirmation dialogs, the commands) reads it from here; the app mirrors
it into its identity bar by subscribing (:meth:`Identity.subscribe`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from c66tui.api.scopes import ALL_SCOPES

if TYPE_CHECKING:
    from c66tui.api.errors import MissingScopeError
    from c66tui.api.secret import Secret
    from c66tui.config.model import Profile

TokenSource = Literal["file", "env"]
"""``"env"``: ``CLOUD66_TOKEN``; ``"file"``: the saved credentials."""

SCOPE_REASONS = {
    "redeploy": "needs the 'redeploy' scope: log in again and grant it",
    "admin": "needs the 'admin' scope: log in again and grant it",
    "users": "needs the 'users' scope",
    "jobs": "needs the 'jobs' scope",
}


def auth_base_for(profile: Profile) -> str:
    """The OAuth host root of ``profile``: its ``auth_url`` or one derived from the API."""
    explicit = getattr(profile, "auth_url", "") or ""
    if explicit:
        return explicit.rstrip("/")
    # Deferred: the OAuth module loads httpx, which the first frame does without.
    from c66tui.api.oauth import auth_base_from_api_url

    return auth_base_from_api_url(getattr(profile, "api_url", "") or "")


@dataclass
class Identity:
    """The active login.

    Attributes:
        profile: the active :class:`~c66tui.config.model.Profile`.
        token: the token in use (never shown; ``None`` when logged out).
        token_source: where the token came from, ``None`` when logged out.
        account_email: which account the token works in (shown in the identity bar).
        scopes: the scopes the token is taken to have; narrowed when a 403 proves otherwise.
        forced_read_only: ``--read-only`` was given; it holds for the start-up profile only.
    """

    profile: Profile
    token: Secret | None = None
    token_source: TokenSource | None = None
    account_email: str = ""
    scopes: set[str] = field(default_factory=set)
    forced_read_only: bool = False
    _listeners: list[Callable[[Identity], None]] = field(default_factory=list, repr=False)

    # -- what the rest of the app reads ---------------------------------------------

    @property
    def profile_name(self) -> str:
        return getattr(self.profile, "name", "default")

    @property
    def api_url(self) -> str:
        return getattr(self.profile, "api_url", "")

    @property
    def api_host(self) -> str:
        return urlsplit(self.api_url).netloc or self.api_url

    @property
    def read_only(self) -> bool:
        return self.forced_read_only or bool(getattr(self.profile, "read_only", False))

    # -- changes ----------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Identity], None]) -> None:
        """Call ``listener`` after every change made through this object's methods."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    def use_profile(
        self, profile: Profile, token: Secret | None, token_source: TokenSource | None
    ) -> None:
        """Make ``profile`` the active one with ``token``; another profile starts with no
        known account and without the start-up ``--read-only``."""
        if profile is not self.profile:
            self.forced_read_only = False
            self.account_email = ""
        self.profile = profile
        self.token = token
        self.token_source = token_source
        self._changed()

    def set_account(self, email: str) -> None:
        """Record which account the token works in."""
        self.account_email = email or ""
        self._changed()

    def forget_token(self) -> None:
        """Logged out: no token, no account."""
        self.token = None
        self.token_source = None
        self.account_email = ""
        self._changed()

    # -- permissions ------------------------------------------------------------------

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
        if self.token_source == "env":
            return set(ALL_SCOPES)
        return set(getattr(self.profile, "scopes", ()) or ())

    def note_missing_scope(self, error: MissingScopeError) -> None:
        """Remember that the server refused a scope so the UI disables what needs it."""
        if error.scope:
            self.scopes.discard(error.scope)


class IdentityView:
    """Short names for the parts of :attr:`identity` the UI reads all the time
    (``services.profile_name`` for ``services.identity.profile_name``)."""

    identity: Identity

    @property
    def profile(self) -> Profile:
        """The active :class:`c66tui.config.model.Profile`."""
        return self.identity.profile

    @property
    def profile_name(self) -> str:
        return self.identity.profile_name

    @property
    def api_url(self) -> str:
        return self.identity.api_url

    @property
    def api_host(self) -> str:
        return self.identity.api_host

    @property
    def token(self) -> Secret | None:
        """The token in use (never shown; ``None`` when logged out)."""
        return self.identity.token

    @property
    def token_source(self) -> TokenSource | None:
        return self.identity.token_source

    @property
    def read_only(self) -> bool:
        return self.identity.read_only

    @property
    def account_email(self) -> str:
        return self.identity.account_email

    @account_email.setter
    def account_email(self, email: str) -> None:
        self.identity.set_account(email)

    @property
    def scopes(self) -> set[str]:
        return self.identity.scopes

    @scopes.setter
    def scopes(self, scopes: set[str]) -> None:
        self.identity.scopes = set(scopes)

    def permission(self, scope: str | None, *, write: bool = True) -> str | None:
        """Why an action is not allowed (see :meth:`Identity.permission`)."""
        return self.identity.permission(scope, write=write)

    def starting_scopes(self) -> set[str]:
        return self.identity.starting_scopes()

    def note_missing_scope(self, error: MissingScopeError) -> None:
        self.identity.note_missing_scope(error)
