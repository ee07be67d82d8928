"""The OAuth 2 authorization-code flow of the sandbox (reference section 1).

* ``GET /oauth/authorize`` renders an approval page (client name, scopes, Approve/Deny).
* ``POST /oauth/authorize`` with ``decision=allow`` issues a single-use code valid for 10
  virtual minutes: shown as ``<code id="auth-code">CODE</code>`` for the out-of-band
  redirect ``urn:ietf:wg:oauth:2.0:oob``, else a 302 to ``redirect_uri?code=..&state=..``.
  Any other decision gives ``access_denied``.
* ``POST /oauth/token`` exchanges the code: form-encoded answer by default, JSON with
  ``Accept: application/json``. Errors are RFC 6749 JSON bodies (``invalid_request``,
  ``invalid_client``, ``invalid_grant``, ``unsupported_grant_type``). Presenting a code a
  second time also revokes the token it produced (RFC 6749 section 4.1.2). No refresh tokens.

Each registered application has its callback URL(s) (``SandboxConfig.redirect_uris``
for the default client, ``extra_clients`` for more; ``c66tui sandbox --client-id ID
--redirect-uri URI``, repeatable). A ``redirect_uri`` follows the getting-started
document's rules (:mod:`c66tui.sandbox.oauth_clients`): left out, it is the registered
callback; given, its host and port must match (scheme and path may differ); a mismatch
is the ``invalid_redirect_uri`` page, never a redirect to the unverified address.

PKCE (RFC 7636): an authorize request may carry ``code_challenge`` and
``code_challenge_method`` (``S256`` or ``plain``, default ``plain``); the exchange of such
a code must then send the matching ``code_verifier`` or gets ``invalid_grant`` (the code
stays usable by its rightful owner). ``SandboxConfig(pkce=False)`` ignores all of it, like
a server without PKCE.
"""

from __future__ import annotations

import base64
import html
import re
import secrets
from typing import Any
from urllib.parse import unquote, urlencode

from starlette.responses import HTMLResponse, RedirectResponse, Response

from c66tui.sandbox.envelope import ApiError, json_response
from c66tui.sandbox.oauth_clients import PKCE_METHODS, pkce_matches, resolve_redirect
from c66tui.sandbox.routing import Ctx, Router
from c66tui.sandbox.tokens import KNOWN_SCOPES

OOB = "urn:ietf:wg:oauth:2.0:oob"
CODE_TTL = 600.0
CLIENT_NAME = "c66tui (sandbox)"
OAUTH = Router()

SCOPE_TEXT = {
    "public": "Read your stacks and their limited information",
    "redeploy": "Redeploy stacks and run stack actions",
    "jobs": "View scheduled jobs",
    "users": "Read users and accounts",
    "admin": "Manage settings and environment variables",
    "reboot": "Reboot servers",
}


class OAuthPageError(Exception):
    """An authorize request too broken to redirect back: shown as an HTML page."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


def split_scopes(raw: Any) -> list[str]:
    """Scopes separated by spaces, ``+`` or commas (all three are seen in the wild)."""
    if raw is None:
        return ["public"]
    text = unquote(str(raw))
    parts = [p for p in re.split(r"[\s+,]+", text) if p]
    seen: list[str] = []
    for part in parts:
        if part not in seen:
            seen.append(part)
    return seen or ["public"]


_CHALLENGE = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    doc = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} | Cloud 66 sandbox</title>"
        "<style>body{font-family:sans-serif;max-width:40em;margin:3em auto}"
        "code#auth-code{font-size:1.5em;padding:.3em;background:#eee}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return HTMLResponse(doc, status_code=status, headers={"Cache-Control": "no-store"})


def _error_page(err: OAuthPageError) -> HTMLResponse:
    body = (
        f"<p id='error' data-error='{html.escape(err.error)}'>"
        f"<strong>{html.escape(err.error)}</strong>: {html.escape(err.description)}</p>"
    )
    return _page("Authorization error", body, 400)


def _text(source: dict[str, Any], name: str) -> str:
    """``source[name]`` when it is text, else ``""`` (absent, a list, a number...)."""
    value = source.get(name)
    return value if isinstance(value, str) else ""


def _validate(ctx: Ctx, source: dict[str, Any]) -> dict[str, Any]:
    """The checked authorize parameters; OAuthPageError or a redirect-able error dict."""
    config = ctx.sandbox.config

    def get(name: str) -> str:
        return _text(source, name)

    client_id = get("client_id")
    if not client_id:
        raise OAuthPageError("invalid_request", "client_id is missing")
    app = config.clients.get(client_id)
    if app is None:
        raise OAuthPageError("invalid_client", "This application is not registered")
    redirect_uri = resolve_redirect(app, get("redirect_uri"))
    if redirect_uri is None:
        raise OAuthPageError(
            "invalid_redirect_uri",
            "redirect_uri does not match the callback URL registered for this application",
        )
    request = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "response_type": get("response_type") or "code",
        "scopes": split_scopes(source.get("scope")),
        "state": get("state") or None,
        "code_challenge": "",
        "code_challenge_method": "",
    }
    challenge, method = get("code_challenge"), get("code_challenge_method")
    if config.pkce and challenge:
        method = method or "plain"
        if method not in PKCE_METHODS:
            request["error"] = ("invalid_request", "code_challenge_method is not supported")
        elif not _CHALLENGE.fullmatch(challenge):
            request["error"] = ("invalid_request", "code_challenge is malformed")
        request["code_challenge"], request["code_challenge_method"] = challenge, method
    elif config.pkce and method:
        request["error"] = ("invalid_request", "code_challenge is missing")
    if request["response_type"] != "code":
        request["error"] = ("unsupported_response_type", "Only response_type=code is supported")
    unknown = [s for s in request["scopes"] if s not in KNOWN_SCOPES]
    if unknown:
        request["error"] = ("invalid_scope", f"Unknown scope: {', '.join(unknown)}")
    return request


def _redirect_error(request: dict[str, Any], error: str, description: str) -> Response:
    if request["redirect_uri"] == OOB:
        return _error_page(OAuthPageError(error, description))
    query = {"error": error, "error_description": description}
    if request["state"]:
        query["state"] = request["state"]
    return _redirect(request["redirect_uri"], query)


def _redirect(uri: str, query: dict[str, str]) -> RedirectResponse:
    joiner = "&" if "?" in uri else "?"
    return RedirectResponse(uri + joiner + urlencode(query), status_code=302)


@OAUTH.route("GET", "/oauth/authorize")
def authorize_page(ctx: Ctx) -> Response:
    try:
        request = _validate(ctx, ctx.query)
    except OAuthPageError as err:
        return _error_page(err)
    if "error" in request:
        return _redirect_error(request, *request["error"])
    hidden = "".join(
        f"<input type='hidden' name='{name}' value='{html.escape(value)}'>"
        for name, value in (
            ("client_id", request["client_id"]),
            ("redirect_uri", request["redirect_uri"]),
            ("response_type", "code"),
            ("scope", " ".join(request["scopes"])),
            ("state", request["state"] or ""),
            ("code_challenge", request["code_challenge"]),
            ("code_challenge_method", request["code_challenge_method"]),
        )
        if value or name == "state"
    )
    scopes = "".join(
        f"<li><code class='scope'>{html.escape(s)}</code> {html.escape(SCOPE_TEXT.get(s, ''))}</li>"
        for s in request["scopes"]
    )
    body = (
        f"<p><strong id='client-name'>{html.escape(CLIENT_NAME)}</strong> would like to "
        f"access your Cloud 66 account as <em>{html.escape(ctx.sandbox.config.user_email)}</em>"
        f" with these scopes:</p><ul id='scopes'>{scopes}</ul>"
        f"<form method='post' action='/oauth/authorize'>{hidden}"
        "<button type='submit' name='decision' value='allow' id='approve'>Approve</button> "
        "<button type='submit' name='decision' value='deny' id='deny'>Deny</button></form>"
    )
    return _page("Authorize application", body)


@OAUTH.route("POST", "/oauth/authorize")
def authorize_decision(ctx: Ctx) -> Response:
    source = {**ctx.query, **ctx.body}
    try:
        request = _validate(ctx, source)
    except OAuthPageError as err:
        return _error_page(err)
    if "error" in request:
        return _redirect_error(request, *request["error"])
    if source.get("decision") != "allow":
        return _redirect_error(request, "access_denied", "The user denied the request")
    sandbox = ctx.sandbox
    code = secrets.token_hex(10)
    now = sandbox.clock.now()
    grant = {
        "code": code,
        "client_id": request["client_id"],
        "redirect_uri": request["redirect_uri"],
        "scopes": request["scopes"],
        "state": request["state"],
        "code_challenge": request["code_challenge"],
        "code_challenge_method": request["code_challenge_method"],
        "email": sandbox.config.user_email,
        "expires_at": now + CODE_TTL,
        "used": False,
        "token": None,
    }
    sandbox.codes[code] = grant
    sandbox.last_code = grant
    if request["redirect_uri"] == OOB:
        body = (
            "<p>Copy this code and paste it into the application:</p>"
            f'<p><code id="auth-code">{code}</code></p>'
            "<p>It can be used once and expires in 10 minutes.</p>"
        )
        return _page("Authorization code", body)
    query = {"code": code}
    if request["state"]:
        query["state"] = request["state"]
    return _redirect(request["redirect_uri"], query)


def _oauth_error(error: str, description: str, status: int = 400) -> Response:
    return json_response(
        {"error": error, "error_description": description},
        status,
        {"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


def _client_credentials(ctx: Ctx, header: str) -> tuple[str, str]:
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic" and value:
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise ApiError(401, "Malformed Basic credentials", error="invalid_client") from None
        user, _, password = decoded.partition(":")
        return unquote(user), unquote(password)
    return _text(ctx.body, "client_id"), _text(ctx.body, "client_secret")


@OAUTH.route("POST", "/oauth/token")
def token_exchange(ctx: Ctx) -> Response:
    """``POST /oauth/token``: the code for a token (see the module docstring)."""
    authorization = ctx.headers.get("authorization", "")
    accept = ctx.headers.get("accept", "")
    sandbox = ctx.sandbox
    body = ctx.body

    def field(name: str) -> str:
        return _text(body, name)

    grant_type = field("grant_type")
    if not grant_type:
        return _oauth_error("invalid_request", "grant_type is missing")
    if grant_type != "authorization_code":
        return _oauth_error("unsupported_grant_type", f"grant_type {grant_type!r} is not supported")
    try:
        client_id, client_secret = _client_credentials(ctx, authorization)
    except ApiError as err:
        return _oauth_error(err.error, err.description, 401)
    if not client_id or not client_secret:
        return _oauth_error("invalid_client", "Client authentication is missing", 401)
    app = sandbox.config.clients.get(client_id)
    if app is None or not secrets.compare_digest(
        client_secret.encode(), app.client_secret.encode()
    ):
        return _oauth_error("invalid_client", "Client authentication failed", 401)
    code = field("code").strip()
    if not code:
        return _oauth_error("invalid_request", "code is missing")
    grant = sandbox.codes.get(code)
    if grant is None:
        return _oauth_error("invalid_grant", "The authorization code is invalid")
    if grant["used"]:
        if grant["token"]:
            sandbox.revoke_token(grant["token"])
        return _oauth_error("invalid_grant", "The authorization code has already been used")
    if sandbox.clock.now() > grant["expires_at"]:
        return _oauth_error("invalid_grant", "The authorization code has expired")
    if grant["client_id"] != client_id:
        return _oauth_error("invalid_grant", "The code was issued to another client")
    redirect_uri = field("redirect_uri")
    if redirect_uri and redirect_uri != grant["redirect_uri"]:
        return _oauth_error("invalid_grant", "redirect_uri does not match the authorization")
    if grant["code_challenge"] and not pkce_matches(
        grant["code_challenge"], grant["code_challenge_method"], field("code_verifier")
    ):
        return _oauth_error("invalid_grant", "code_verifier does not match the code_challenge")
    grant["used"] = True
    token = sandbox.mint_token(grant["scopes"], grant["email"])
    sandbox.tokens[token].code = code
    grant["token"] = token
    answer = {"access_token": token, "token_type": "bearer", "scope": " ".join(grant["scopes"])}
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    if "json" in accept.lower():
        return json_response({**answer, "created_at": int(sandbox.clock.now())}, 200, headers)
    return Response(urlencode(answer), 200, headers, media_type="application/x-www-form-urlencoded")
