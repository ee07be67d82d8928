"""OAuth 2 helpers for the authorization-code login.

1. :func:`build_authorize_url` gives the URL the user opens in a browser, with the
   profile's ``redirect_uri`` (the out-of-band URI by default), a fresh ``state`` and a
   PKCE S256 challenge; Cloud 66 then shows a code or sends the browser to the callback.
2. :func:`normalize_code` / :func:`read_redirect` (in :mod:`c66tui.api.oauth_code`) clean
   what the user pasted (quotes, whitespace, or the whole redirected address) into a
   bare code, or raise ``ValueError`` with a plain message.
3. :func:`exchange_code` trades the code for a token, exactly once, with the same
   ``redirect_uri`` and the PKCE verifier: codes are single use and a retry after a lost
   answer could revoke the token just issued.
4. :func:`~c66tui.api.token_check.check_token` checks the token with a cheap GET before
   it is saved and says which account it works in.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from c66tui.redaction import install_redaction, register_secret
from c66tui.secret import Secret

from .errormap import looks_like_html
from .errors import (
    NetworkError,
    OAuthError,
    UnexpectedResponseError,
)
from .oauth_code import MAX_CODE_LENGTH as MAX_CODE_LENGTH
from .oauth_code import MIN_CODE_LENGTH as MIN_CODE_LENGTH
from .oauth_code import normalize_code as normalize_code
from .oauth_code import read_redirect as read_redirect
from .pkce import METHOD as PKCE_METHOD
from .pkce import challenge_for, new_verifier
from .scopes import ALL_SCOPES as ALL_SCOPES  # re-exported: oauth.ALL_SCOPES
from .scopes import DEFAULT_SCOPES as DEFAULT_SCOPES
from .token_check import validate_token as validate_token  # re-exported: oauth.validate_token
from .transport.http import default_user_agent, make_http_client

OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"

_EXCHANGE_TIMEOUT = httpx.Timeout(20.0, connect=5.0)


@dataclass(frozen=True, slots=True)
class AuthorizeRequest:
    """The authorize URL to open, the ``state`` it carries (compare it on return), the
    ``redirect_uri`` it names and the PKCE verifier to send with the code (never shown)."""

    url: str
    state: str
    redirect_uri: str = OOB_REDIRECT
    verifier: str = field(default="", repr=False)


def auth_base_from_api_url(api_url: str) -> str:
    """The OAuth host root for an API URL: ``https://app.cloud66.com/api/2`` gives
    ``https://app.cloud66.com`` (a path prefix before ``/api/N`` is kept)."""
    parts = urlsplit(str(api_url).strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"Not an http(s) API URL: {api_url!r}")
    path = re.sub(r"/api/\d+(?:\.json)?/?$", "", parts.path.rstrip("/"))
    path = re.sub(r"/api/\d+/.*$", "", path)
    return f"{parts.scheme}://{parts.netloc}{path.rstrip('/')}"


def build_authorize_url(
    auth_base: str,
    client_id: str,
    scopes: list[str] | tuple[str, ...],
    state: str | None = None,
    *,
    redirect_uri: str = OOB_REDIRECT,
    verifier: str | None = None,
) -> AuthorizeRequest:
    """The ``/oauth/authorize`` URL for one login attempt.

    Scopes are joined with spaces (encoded as ``+``); ``state`` defaults to a fresh
    ``secrets.token_urlsafe`` and ``verifier`` to a fresh PKCE verifier, whose S256
    challenge the URL carries. ``redirect_uri`` is the application's registered callback
    (or one the server accepts for it); ``state`` stays the last parameter.
    """
    base = str(auth_base).strip().rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"The login address must be an http(s) URL: {auth_base!r}")
    if not client_id or not str(client_id).strip():
        raise ValueError("An OAuth client id is needed to log in.")
    redirect = str(redirect_uri or OOB_REDIRECT).strip()
    wanted = [s.strip() for s in scopes if s and s.strip()]
    state = state or secrets.token_urlsafe(24)
    verifier = verifier or new_verifier()
    register_secret(verifier)
    query = urlencode(
        {
            "client_id": str(client_id).strip(),
            "redirect_uri": redirect,
            "response_type": "code",
            "scope": " ".join(dict.fromkeys(wanted)),
            "code_challenge": challenge_for(verifier),
            "code_challenge_method": PKCE_METHOD,
            "state": state,
        }
    )
    return AuthorizeRequest(
        url=f"{base}/oauth/authorize?{query}",
        state=state,
        redirect_uri=redirect,
        verifier=verifier,
    )


_OAUTH_MESSAGES = {
    "invalid_grant": (
        "That code did not work: it has expired, was already used, or was mistyped. Get a "
        "new code and paste it again."
    ),
    "invalid_client": (
        "Cloud 66 did not accept this application's client id or secret. This is not your "
        "fault: check the profile's client id and secret, or report it."
    ),
    "invalid_scope": (
        "Cloud 66 refused the requested permissions (scopes). Try again with fewer scopes."
    ),
    "access_denied": "The login was denied. Start the login again.",
    "invalid_request": (
        "Cloud 66 refused the login request as malformed ({error}). This is a problem in "
        "c66tui or the server setup; please report it."
    ),
    "unsupported_grant_type": (
        "Cloud 66 refused the login request ({error}). This is a problem in c66tui or the "
        "server setup; please report it."
    ),
    "unauthorized_client": (
        "This application is not allowed to log in this way ({error}). Check the OAuth "
        "application's settings at Cloud 66, or report it."
    ),
    "server_error": (
        "Cloud 66 had a problem finishing the login (HTTP {status}). Nothing was saved; "
        "get a new code and try again in a moment."
    ),
    "temporarily_unavailable": (
        "Cloud 66 could not finish the login right now (HTTP {status}). Nothing was saved; "
        "get a new code and try again in a moment."
    ),
}


def _parse_token_body(content: bytes, content_type: str) -> dict | None:
    """A token endpoint answer as a dict: JSON first, then form encoding."""
    text = content.decode("utf-8", errors="strict").strip()
    if not text:
        return None
    if text.startswith("{") or "json" in content_type.lower():
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return None
        return data if isinstance(data, dict) else None
    if "=" in text and "<" not in text:
        fields = parse_qs(text, keep_blank_values=True)
        return {key: values[0] for key, values in fields.items() if values}
    return None


def _oauth_error(data: dict, status: int, request_id: str | None) -> OAuthError:
    error = str(data.get("error") or "").strip() or None
    description = data.get("error_description")
    description = str(description).strip() if description else None
    if error in _OAUTH_MESSAGES:
        message = _OAUTH_MESSAGES[error].format(error=error, status=status)
    elif status >= 500:
        message = _OAUTH_MESSAGES["server_error"].format(status=status)
    else:
        label = error or f"HTTP {status}"
        message = f"Cloud 66 refused the login ({label}). Get a new code and try again."
    if description and error not in ("invalid_grant",):
        message = f"{message} Cloud 66 said: {' '.join(description.split())[:200]}"
    if request_id and error in ("invalid_request", "unsupported_grant_type", "unauthorized_client"):
        message = f"{message} (request id {request_id})"
    return OAuthError(
        message, status=status, error=error, description=description, request_id=request_id
    )


async def exchange_code(
    auth_base: str,
    client_id: str,
    client_secret: Secret | str,
    code: str | Secret,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: httpx.Timeout | float = _EXCHANGE_TIMEOUT,
    deadline: float = 30.0,
    redirect_uri: str = OOB_REDIRECT,
    code_verifier: str | None = None,
) -> Secret:
    """Trade an authorization code for an access token. Sent once, never retried.

    ``redirect_uri`` must be the one the authorize URL named; ``code_verifier`` is the
    PKCE verifier of that attempt (a server without PKCE ignores it).

    Raises :class:`OAuthError` (RFC 6749 errors, with a plain message),
    :class:`UnexpectedResponseError` (HTML or garbage instead of a token) or
    :class:`NetworkError` (no answer: get a new code). Returns the token as a Secret.
    """
    install_redaction()
    secret = client_secret if isinstance(client_secret, Secret) else Secret(client_secret)
    code_value = code.reveal() if isinstance(code, Secret) else str(code)
    register_secret(secret.reveal())
    register_secret(code_value)
    if code_verifier:
        register_secret(code_verifier)
    base = str(auth_base).strip().rstrip("/")
    if urlsplit(base).scheme not in ("http", "https") or not urlsplit(base).netloc:
        raise ValueError(f"The login address must be an http(s) URL: {auth_base!r}")
    request_id = secrets.token_hex(16)
    form = {
        "grant_type": "authorization_code",
        "code": code_value,
        "redirect_uri": str(redirect_uri or OOB_REDIRECT).strip(),
        "client_id": client_id,
        "client_secret": secret.reveal(),
    }
    if code_verifier:
        form["code_verifier"] = code_verifier
    headers = {
        "Accept": "application/json",
        "User-Agent": default_user_agent(),
        "Request-Id": request_id,
    }
    try:
        async with asyncio.timeout(deadline):
            async with make_http_client(
                base_url=base, timeout=timeout, transport=transport
            ) as client:
                response = await client.post("/oauth/token", data=form, headers=headers)
    except TimeoutError:
        raise NetworkError(
            f"Cloud 66 did not finish the login within {deadline:g} seconds. The code may "
            "have been used up: get a new code and try again.",
            request_id=request_id,
        ) from None
    except (
        httpx.ConnectError,
        httpx.ConnectTimeout,
        httpx.PoolTimeout,
        httpx.ProxyError,
        httpx.UnsupportedProtocol,
    ) as exc:
        raise NetworkError(
            f"Could not reach Cloud 66 to finish the login ({type(exc).__name__}). Check "
            "your connection, then get a new code and try again.",
            request_id=request_id,
        ) from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise NetworkError(
            f"The login answer from Cloud 66 was lost ({type(exc).__name__}). The code may "
            "have been used up: get a new code and try again.",
            request_id=request_id,
        ) from None
    status = response.status_code
    content_type = response.headers.get("content-type", "")
    content = response.content
    if 300 <= status < 400:
        raise UnexpectedResponseError(
            f"Cloud 66 answered the login with a redirect (HTTP {status}); it was not "
            "followed. Check the API URL.",
            status=status,
            request_id=request_id,
        )
    try:
        data = _parse_token_body(content, content_type)
    except UnicodeDecodeError:
        data = None
    if data is None:
        kind = "a web page" if looks_like_html(content, content_type) else "an unreadable answer"
        raise UnexpectedResponseError(
            f"Cloud 66 answered the login with {kind} instead of a token (HTTP {status}). A "
            "proxy or captive portal may be in the way. Nothing was saved.",
            status=status,
            request_id=request_id,
        )
    if status >= 400 or data.get("error"):
        raise _oauth_error(data, status, request_id)
    token = data.get("access_token")
    token_type = str(data.get("token_type") or "bearer").strip().lower()
    if not isinstance(token, str) or not token.strip():
        raise UnexpectedResponseError(
            f"Cloud 66's login answer had no token in it (HTTP {status}). Nothing was saved.",
            status=status,
            request_id=request_id,
        )
    if token_type != "bearer":
        raise UnexpectedResponseError(
            f"Cloud 66 issued a token of an unknown type ({token_type[:20]!r}). Nothing was saved.",
            status=status,
            request_id=request_id,
        )
    register_secret(token.strip())
    return Secret(token.strip())
