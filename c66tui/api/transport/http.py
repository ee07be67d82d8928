"""The HTTP client under the API session: its URL checks, its user agent, its auth.

No redirect is ever followed, a loopback address is never proxied, and the token goes
only to the API's own origin (:class:`ApiAuth`).
"""

from __future__ import annotations

import ipaddress
import platform
from typing import Any

import httpx

from c66tui.secret import Secret

from ... import __version__
from ..errors import NetworkError

_DEFAULT_PORTS = {"http": 80, "https": 443}


def default_user_agent() -> str:
    """``c66tui/<version> (<os>; <arch>)``."""
    system = platform.system().lower() or "unknown"
    machine = platform.machine().lower() or "unknown"
    return f"c66tui/{__version__} ({system}; {machine})"


def origin_of(url: httpx.URL) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the default port filled in."""
    scheme = url.scheme.lower()
    return scheme, url.host.lower(), url.port or _DEFAULT_PORTS.get(scheme)


def normalize_base_url(base_url: str) -> httpx.URL:
    """Validate an API base URL (http or https, with a host) and drop a trailing slash."""
    text = str(base_url).strip()
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise ValueError(f"Not a valid API URL: {text!r}") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"The API URL must start with https:// (or http://): {text!r}")
    return url.copy_with(path=url.path.rstrip("/") or "/", query=None, fragment=None)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (no proxy is ever wanted there)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_http_client(
    *, base_url: httpx.URL | str | None = None, **kwargs: Any
) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` that never follows redirects.

    Proxy and CA settings come from the environment (``HTTPS_PROXY``, ``NO_PROXY``,
    ``SSL_CERT_FILE``), except for loopback addresses, which are never proxied. A SOCKS
    proxy without httpx's SOCKS extra becomes a :class:`NetworkError` with the fix.
    """
    host = httpx.URL(str(base_url)).host if base_url is not None else ""
    options: dict[str, Any] = {"follow_redirects": False, "trust_env": not is_loopback(host)}
    if base_url is not None:
        options["base_url"] = base_url
    options.update(kwargs)
    try:
        return httpx.AsyncClient(**options)
    except ImportError as exc:
        raise NetworkError(
            "A SOCKS proxy is configured (ALL_PROXY or HTTPS_PROXY), but SOCKS support is "
            "not installed. Install it with: pip install 'httpx[socks]'.",
        ) from exc


class ApiAuth(httpx.Auth):
    """Adds ``Authorization: Bearer`` (and ``X-Account``) only for the API origin.

    A URL on any other host (a ``commit_url``, a ``redeploy_hook``) never gets the token.
    """

    def __init__(
        self, token: Secret, origin: tuple[str, str, int | None], account_id: int | None = None
    ) -> None:
        self._token = token
        self._origin = origin
        self._account_id = account_id

    def auth_flow(self, request: httpx.Request):
        if origin_of(request.url) == self._origin:
            if self._token:
                request.headers["Authorization"] = f"Bearer {self._token.reveal()}"
            if self._account_id is not None:
                request.headers["X-Account"] = str(self._account_id)
        else:
            request.headers.pop("Authorization", None)
        yield request

    def __repr__(self) -> str:
        return f"ApiAuth(origin={self._origin!r})"
