"""Is Cloud 66 reachable, and does it accept the token? (what ``status --check`` says)

Two calls, as the official Go library makes them: ``GET /api/3/ping`` (the service
answers at all) then ``GET /api/3/ping/auth`` (the token is accepted). The result is a
:class:`Connectivity` with a ``state`` word for scripts and one plain sentence for
people; nothing here prints, prompts or exits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from c66tui.api.errors import (
    AuthenticationError,
    Cloud66Error,
    MissingScopeError,
    NetworkError,
)

STATES = ("ok", "unreachable", "api_error", "token_rejected", "token_unchecked")
"""``ok``: reachable and the token accepted; ``unreachable``: no answer at all;
``api_error``: something answered but not the ping (wrong URL, proxy page, 5xx);
``token_rejected``: reachable, the token refused (log in again); ``token_unchecked``:
reachable, but the token check itself failed (rate limit, server error)."""


class Pinger(Protocol):
    """What the check needs from :class:`~c66tui.api.Cloud66Client`."""

    @property
    def base_url(self) -> str: ...

    async def ping(self) -> bool: ...

    async def ping_auth(self) -> bool: ...


@dataclass(frozen=True)
class Connectivity:
    state: str
    reachable: bool
    token_accepted: bool | None
    """``None`` when the token could not be checked."""
    message: str

    @property
    def ok(self) -> bool:
        return self.state == "ok"

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "reachable": self.reachable,
            "token_accepted": self.token_accepted,
            "message": self.message,
        }


def _reason(err: Cloud66Error) -> str:
    return str(err).rstrip(".")


async def check_connectivity(api: Pinger) -> Connectivity:
    """Ping Cloud 66, then check the token; never raises a :class:`Cloud66Error`."""
    where = api.base_url
    try:
        answered = await api.ping()
    except NetworkError as err:
        return Connectivity("unreachable", False, None, f"{_reason(err)}.")
    except AuthenticationError:
        answered = True  # the service is there; the token check below says the rest
    except Cloud66Error as err:
        message = f"Cloud 66 at {where} did not answer the ping: {_reason(err)}."
        return Connectivity("api_error", False, None, message)
    if not answered:
        return Connectivity(
            "api_error", False, None, f"Cloud 66 at {where} answered the ping, but not with ok."
        )
    try:
        accepted = await api.ping_auth()
    except AuthenticationError:
        return Connectivity(
            "token_rejected",
            True,
            False,
            "Cloud 66 is reachable but refused the saved token; log in again.",
        )
    except MissingScopeError:
        accepted = True  # a 403 names a scope, so the token itself was recognised
    except Cloud66Error as err:
        return Connectivity(
            "token_unchecked",
            True,
            None,
            f"Cloud 66 is reachable, but the token could not be checked: {_reason(err)}.",
        )
    if not accepted:
        return Connectivity(
            "token_unchecked",
            True,
            None,
            "Cloud 66 is reachable, but its token check did not answer ok.",
        )
    return Connectivity("ok", True, True, "Cloud 66 is reachable and accepts the token.")
