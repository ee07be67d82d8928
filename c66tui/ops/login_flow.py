"""One OAuth login attempt, whichever way it finishes.

:class:`LoginAttempt` holds what must stay the same from the authorize URL to the code
exchange: the client id, the ``redirect_uri``, the ``state`` and the PKCE verifier
(in memory only). The road follows from the callback and from where c66tui runs:

* ``oob``: the out-of-band URI; the page shows a code and the user pastes it.
* ``loopback``: ``http://127.0.0.1:PORT/...`` or ``localhost``; c66tui listens there
  (:mod:`c66tui.ops.loopback`) and logs in by itself when the browser is on this
  machine; the user can always paste the redirected address instead.
* ``address``: any other callback (or a loopback one the browser cannot reach); the
  browser is sent somewhere that fails to load, and the user pastes that address.

:func:`instructions` gives the one sentence saying which applies and what to do next.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import httpx

from c66tui.api.oauth import AuthorizeRequest, build_authorize_url, exchange_code, read_redirect
from c66tui.api.secret import Secret
from c66tui.config.redirect import OOB_REDIRECT
from c66tui.ops.loopback import loopback_address

Road = Literal["oob", "loopback", "address"]
STATE_ENV = "C66TUI_TEST_OAUTH_STATE"
"""Fixes the OAuth ``state`` (tests and screenshots only; normally it is random)."""
VERIFIER_ENV = "C66TUI_TEST_OAUTH_VERIFIER"
"""Fixes the PKCE verifier, so a screenshot's URL is stable (tests only)."""


def road_for(redirect_uri: str) -> Road:
    """How a login with this callback finishes (see the module docstring)."""
    if (redirect_uri or OOB_REDIRECT) == OOB_REDIRECT:
        return "oob"
    return "loopback" if loopback_address(redirect_uri) else "address"


def over_ssh(environ: Mapping[str, str] | None = None) -> bool:
    """True when c66tui seems to run in an SSH session (the browser is elsewhere)."""
    environ = os.environ if environ is None else environ
    return any(environ.get(name) for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"))


def instructions(
    road: Road, *, listening: bool = False, problem: str = "", ssh: bool = False, port: int = 0
) -> str:
    """The one line telling the user what to do once the address is approved."""
    paste = "paste the address the browser was sent to"
    if road == "oob":
        return "Paste the code Cloud 66 shows once you approve, then press Enter:"
    if road == "address" or not (listening or problem):
        return f"Approve, then {paste} (it fails to load; that is expected):"
    if problem:
        return problem
    if ssh:
        return (
            f"Listening on 127.0.0.1:{port}, which your own browser reaches only through "
            f"ssh -L {port}:127.0.0.1:{port}; otherwise approve, then {paste}:"
        )
    return (
        f"Listening on 127.0.0.1:{port}: approve here and c66tui finishes by "
        f"itself, or approve elsewhere and {paste}:"
    )


@dataclass
class LoginAttempt:
    """One authorize URL and what its code exchange needs."""

    auth_base: str
    client_id: str
    scopes: tuple[str, ...]
    redirect_uri: str = OOB_REDIRECT
    state: str | None = None
    verifier: str | None = field(default=None, repr=False)
    request: AuthorizeRequest = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Build the URL (``ValueError`` when it cannot be); a ``state`` or ``verifier``
        not given is fresh (or pinned by the test variables)."""
        self.redirect_uri = (self.redirect_uri or "").strip() or OOB_REDIRECT
        self.request = build_authorize_url(
            self.auth_base,
            self.client_id,
            self.scopes,
            self.state or os.environ.get(STATE_ENV) or None,
            redirect_uri=self.redirect_uri,
            verifier=self.verifier or os.environ.get(VERIFIER_ENV) or None,
        )
        self.state = self.request.state
        self.verifier = self.request.verifier

    @property
    def url(self) -> str:
        return self.request.url

    @property
    def road(self) -> Road:
        return road_for(self.redirect_uri)

    def code_from_paste(self, pasted: str) -> str:
        """The code in a pasted code or redirected address (``ValueError`` says why not;
        an address from another attempt is refused before its code is spent)."""
        return read_redirect(pasted, state=self.state).code

    async def exchange(
        self,
        client_secret: Secret,
        code: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> Secret:
        """Trade ``code`` for a token, once, with this attempt's redirect and verifier."""
        return await exchange_code(
            self.auth_base,
            self.client_id,
            client_secret,
            Secret(code),
            transport=transport,
            redirect_uri=self.redirect_uri,
            code_verifier=self.request.verifier,
        )
