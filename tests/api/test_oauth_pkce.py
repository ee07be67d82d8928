"""PKCE and the redirect URI on our side of the login: the authorize URL carries an S256
challenge of a fresh verifier, the exchange sends that verifier and the same
``redirect_uri``, and a server that ignores PKCE still logs in."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from c66tui.api import Secret
from c66tui.api.oauth import OOB_REDIRECT, build_authorize_url, exchange_code, read_redirect
from c66tui.api.pkce import challenge_for, new_verifier
from c66tui.api.redaction import redact
from c66tui.sandbox import SandboxConfig
from c66tui.sandbox.oauth_clients import ClientApp
from c66tui.sandbox.server import SandboxServer

LOOPBACK = "http://127.0.0.1:34543/callback"


def test_authorize_url_carries_s256_of_a_fresh_verifier():
    first = build_authorize_url("https://app.cloud66.com", "cid", ["public"])
    second = build_authorize_url("https://app.cloud66.com", "cid", ["public"])
    query = parse_qs(urlsplit(first.url).query)
    assert query["code_challenge_method"] == ["S256"]
    digest = hashlib.sha256(first.verifier.encode()).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert query["code_challenge"] == [expected]
    assert first.verifier != second.verifier and first.verifier not in first.url
    assert 43 <= len(first.verifier) <= 128
    assert first.verifier not in repr(first)
    assert redact(f"verifier {first.verifier}") == "verifier [REDACTED]"
    assert first.url.endswith(f"&state={first.state}")


def test_authorize_url_uses_the_profile_redirect_uri():
    request = build_authorize_url(
        "https://app.cloud66.com", "cid", ["public"], redirect_uri=LOOPBACK
    )
    assert parse_qs(urlsplit(request.url).query)["redirect_uri"] == [LOOPBACK]
    assert request.redirect_uri == LOOPBACK
    default = build_authorize_url("https://app.cloud66.com", "cid", ["public"])
    assert default.redirect_uri == OOB_REDIRECT


def test_rfc7636_appendix_b_example():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert challenge_for(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    with pytest.raises(ValueError):
        challenge_for("short")
    assert challenge_for(new_verifier())


async def test_exchange_sends_the_verifier_and_the_same_redirect_uri():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"access_token": "tok-123456789", "token_type": "bearer"})

    token = await exchange_code(
        "https://app.cloud66.com",
        "cid",
        Secret("secret-1234"),
        "code-1234567",
        transport=httpx.MockTransport(handler),
        redirect_uri=LOOPBACK,
        code_verifier="v" * 43,
    )
    assert token.reveal() == "tok-123456789"
    form = parse_qs(seen[0].content.decode())
    assert form["code_verifier"] == ["v" * 43]
    assert form["redirect_uri"] == [LOOPBACK]
    assert "v" * 43 not in str(seen[0].url)


@pytest.mark.parametrize("pkce", [True, False], ids=["server-with-pkce", "server-ignoring-pkce"])
async def test_whole_login_against_a_server_with_and_without_pkce(pkce):
    app = ClientApp("loop-app", "loop-secret", (LOOPBACK,))
    config = SandboxConfig(stacks=2, pkce=pkce, extra_clients=(app,))
    with SandboxServer(config=config) as server:
        request = build_authorize_url(
            server.base_url, app.client_id, ["public"], redirect_uri=LOOPBACK
        )
        query = dict(parse_qs(urlsplit(request.url).query, keep_blank_values=True))
        form = {key: values[0] for key, values in query.items()}
        async with httpx.AsyncClient() as http:
            answer = await http.post(
                f"{server.base_url}/oauth/authorize", data={**form, "decision": "allow"}
            )
        assert answer.status_code == 302
        code = read_redirect(answer.headers["location"], state=request.state).code
        token = await exchange_code(
            server.base_url,
            app.client_id,
            Secret(app.client_secret),
            code,
            redirect_uri=request.redirect_uri,
            code_verifier=request.verifier,
        )
        assert token.reveal() in server.sandbox.tokens


@pytest.mark.parametrize(
    ("pasted", "words"),
    [
        (f"{LOOPBACK}?code=abcdefgh12&state=theirs", "different login attempt"),
        (f"{LOOPBACK}?code=abcdefgh12", "has no state"),
        (
            f"{LOOPBACK}?error=invalid_scope&error_description=Unknown+scope%3A+root&state=mine",
            "Cloud 66 said: Unknown scope: root",
        ),
        (f"{LOOPBACK}?error=access_denied&state=mine", "denied in the browser"),
    ],
)
def test_pasted_address_is_checked_against_this_login(pasted, words):
    with pytest.raises(ValueError, match=words):
        read_redirect(pasted, state="mine")


def test_pasted_address_with_our_state_gives_its_code():
    got = read_redirect(f"  {LOOPBACK}?code=abcdefgh12&state=mine\n", state="mine")
    assert (got.code, got.from_address, got.state) == ("abcdefgh12", True, "mine")
    bare = read_redirect("abcdefgh12", state="mine")
    assert (bare.code, bare.from_address) == ("abcdefgh12", False)
