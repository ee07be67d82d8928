"""The sandbox's registered OAuth applications and the getting-started document's
redirect rules.

Each application has a client id, a secret and its registered callback URL(s). The
document (api/basics "Redirect URLs"): ``redirect_uri`` is optional, and when it is left
out Cloud 66 sends the user to the registered callback; when it is given it "must match
the callback URL's host". Its examples, for a callback of ``http://example.com``:
``https://example.com`` and ``http://example.com/bar`` are good (scheme and path may
differ), ``http://example.com:8080``, ``http://oauth.example.com:8080`` and
``http://example.org`` are bad (the port is part of the host, and so is every label of
the name). A non-URL callback such as the out-of-band URN matches only itself.

PKCE (RFC 7636) is checked here too: :func:`pkce_matches` compares a verifier with the
challenge the authorize request carried, for the ``S256`` and ``plain`` methods.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

OOB = "urn:ietf:wg:oauth:2.0:oob"
PKCE_METHODS = ("S256", "plain")
_VERIFIER = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")


@dataclass(frozen=True)
class ClientApp:
    """One registered OAuth application: id, secret and callback URL(s)."""

    client_id: str
    client_secret: str
    callbacks: tuple[str, ...] = (OOB,)

    @property
    def callback(self) -> str:
        """The registered callback used when a request names none."""
        return self.callbacks[0] if self.callbacks else OOB


def _host_and_port(uri: str) -> tuple[str, int | None] | None:
    """The host (lower-case) and the explicit port of an http(s) URL, else ``None``."""
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return parts.hostname.lower(), port


def redirect_matches(callback: str, given: str) -> bool:
    """True when ``given`` is an acceptable ``redirect_uri`` for ``callback``.

    Host and port must be equal (a port written on one side only is a mismatch); scheme,
    path and query may differ. Callbacks that are not http(s) URLs match only exactly.
    """
    if not given or any(ord(ch) <= 32 or ord(ch) == 127 for ch in given):
        return False
    wanted = _host_and_port(callback)
    if wanted is None:
        return given == callback
    if "#" in given:
        return False  # RFC 6749 3.1.2: a redirection endpoint has no fragment
    return _host_and_port(given) == wanted


def resolve_redirect(app: ClientApp, given: str) -> str | None:
    """The redirect to use for ``given`` (the registered one when it is empty), or
    ``None`` when no registered callback of ``app`` accepts it."""
    if not given:
        return app.callback
    if any(redirect_matches(callback, given) for callback in app.callbacks):
        return given
    return None


def pkce_matches(challenge: str, method: str, verifier: str) -> bool:
    """RFC 7636 section 4.6: does ``verifier`` produce ``challenge`` under ``method``?"""
    if not _VERIFIER.fullmatch(verifier or ""):
        return False
    if method == "plain":
        computed = verifier
    else:
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return secrets.compare_digest(computed.encode(), challenge.encode())


def registrations_from_flags(
    flags: list[tuple[str, str]], default_id: str, secret: str
) -> tuple[str, tuple[str, ...], tuple[ClientApp, ...]]:
    """The default client id, its callbacks and the further applications, from
    ``--client-id`` / ``--redirect-uri`` flags in the order given.

    Each ``--redirect-uri`` registers a callback for the ``--client-id`` before it (the
    default application when none came first); a client id without any keeps the
    out-of-band callback. Every application shares ``secret``. ``ValueError`` for a
    callback that is neither an absolute URL nor the out-of-band URN.
    """
    order: list[str] = []
    callbacks: dict[str, list[str]] = {}
    current = default_id
    for kind, value in flags:
        value = value.strip()
        if kind == "client_id":
            current = value
            if current not in callbacks:
                order.append(current)
                callbacks[current] = []
            continue
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value):
            raise ValueError(f"--redirect-uri {value!r} is not an absolute URL")
        if current not in callbacks:
            order.append(current)
            callbacks[current] = []
        callbacks[current].append(value)
    if not order:
        return default_id, (OOB,), ()
    apps = [ClientApp(cid, secret, tuple(callbacks[cid]) or (OOB,)) for cid in order]
    first = apps[0]
    return first.client_id, first.callbacks, tuple(apps[1:])
