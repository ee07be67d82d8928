"""Access tokens and their hourly request budgets: the records and the part of
:class:`~c66tui.sandbox.state.Sandbox` that issues, revokes, looks up and counts them.

Tokens are sandbox tokens (``sbx_`` plus random hex, or the fixed demo token), worthless
anywhere else. Each token has its own window of :attr:`SandboxConfig.rate_limit` requests
per clock hour, as the published ``X-RateLimit-*`` headers describe.
"""

from __future__ import annotations

import math
import secrets
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from c66tui.sandbox.clock import VirtualClock
from c66tui.sandbox.config import SandboxConfig

if TYPE_CHECKING:  # pragma: no cover
    from c66tui.sandbox.write_log import WriteLog

ALL_SCOPES = ("public", "redeploy", "jobs", "users", "admin")
KNOWN_SCOPES = frozenset(ALL_SCOPES + ("reboot",))


@dataclass(slots=True)
class TokenRec:
    """An access token: its scopes, owner e-mail and (for OAuth tokens) the code it came from."""

    value: str
    scopes: frozenset[str]
    email: str
    code: str | None = None
    revoked: bool = False

    def has(self, scope: str) -> bool:
        return scope == "public" or scope in self.scopes


@dataclass(slots=True)
class RateWindow:
    """Requests counted in one clock hour for one token."""

    hour: int
    used: int = 0


class TokenBook:
    """The token half of the sandbox world (mixed into ``Sandbox``, which sets the
    attributes declared here)."""

    config: SandboxConfig
    clock: VirtualClock
    lock: threading.RLock
    write_log: WriteLog | None
    tokens: dict[str, TokenRec]
    rate: dict[str, RateWindow]

    def add_token(self, value: str, scopes, email: str, code: str | None = None) -> TokenRec:
        """Register ``value`` with ``scopes`` for ``email`` (not recorded in the write log)."""
        rec = TokenRec(value, frozenset(scopes), email, code)
        self.tokens[value] = rec
        return rec

    def mint_token(self, scopes: list[str] | tuple[str, ...] = (), email: str | None = None) -> str:
        """A new token with exactly these scopes (an empty list is a no-scope token)."""
        with self.lock:
            value = "sbx_" + secrets.token_hex(16)
            rec = self.add_token(value, [str(s) for s in scopes], email or self.config.user_email)
            if self.write_log is not None:
                self.write_log.record_token(value, sorted(rec.scopes), rec.email)
            return value

    def revoke_token(self, token: str) -> bool:
        """Revoke a token; True when it existed."""
        with self.lock:
            rec = self.tokens.get(token)
            if rec is None:
                return False
            rec.revoked = True
            if self.write_log is not None:
                self.write_log.record_revoke(token)
            return True

    def token(self, value: str | None) -> TokenRec | None:
        """The live token ``value`` names (None when unknown or revoked)."""
        rec = self.tokens.get(value or "")
        return None if rec is None or rec.revoked else rec

    def consume_rate(self, token: TokenRec) -> tuple[int, int, int | None]:
        """Count one request for ``token``: (limit, remaining, retry_after when throttled)."""
        limit = self.config.rate_limit
        now = self.clock.now()
        hour = int(now // 3600)
        window = self.rate.get(token.value)
        if window is None or window.hour != hour:
            window = self.rate[token.value] = RateWindow(hour)
        if window.used >= limit:
            return limit, 0, max(1, math.ceil((hour + 1) * 3600 - now))
        window.used += 1
        return limit, limit - window.used, None
