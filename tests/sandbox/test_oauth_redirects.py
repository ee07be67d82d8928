"""Registered callbacks, the getting-started document's redirect rules and PKCE, over a
socket to a sandbox with several registered applications."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from c66tui.sandbox import SandboxConfig
from c66tui.sandbox.oauth_clients import (
    OOB,
    ClientApp,
    pkce_matches,
    redirect_matches,
    registrations_from_flags,
)
from c66tui.sandbox.server import SandboxServer

SECRET = "app-secret"
LOOPBACK = ClientApp("loop-app", SECRET, ("http://127.0.0.1:34543/callback",))
WEB = ClientApp("web-app", SECRET, ("http://example.com",))
VERIFIER = "v" * 20 + "-._~" + "0123456789abcdefghijklmnopqrstuvwxyz"


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


# The document's own table: CALLBACK http://example.com, then its GOOD and BAD lines.
DOCUMENT_EXAMPLES = [
    ("https://example.com", True),
    ("http://example.com/bar", True),
    ("http://example.com:8080", False),
    ("http://oauth.example.com:8080", False),
    ("http://example.org", False),
]


@pytest.mark.parametrize(("given", "good"), DOCUMENT_EXAMPLES)
def test_document_redirect_examples(given, good):
    assert redirect_matches("http://example.com", given) is good


@pytest.mark.parametrize(
    ("callback", "given", "good"),
    [
        (OOB, OOB, True),
        (OOB, "http://127.0.0.1:34543/callback", False),
        ("http://127.0.0.1:34543/callback", "http://127.0.0.1:34543/other", True),
        ("http://127.0.0.1:34543/callback", "http://127.0.0.1:34544/callback", False),
        ("http://127.0.0.1:34543/callback", "http://localhost:34543/callback", False),
        ("http://127.0.0.1:34543/callback", OOB, False),
        ("http://EXAMPLE.com", "http://example.com/x", True),
        ("http://example.com", "http://example.com/#frag", False),
        ("http://example.com", "http://example.com/ bad", False),
        ("http://example.com", "", False),
    ],
)
def test_redirect_rules_beyond_the_document(callback, given, good):
    assert redirect_matches(callback, given) is good


@pytest.fixture(scope="module")
def served():
    config = SandboxConfig(stacks=3, extra_clients=(LOOPBACK, WEB))
    with SandboxServer(config=config) as server:
        yield server


@pytest.fixture
def http(served):
    served.sandbox.reset()
    with httpx.Client(base_url=served.base_url, timeout=10) as client:
        yield client


def _approve(http, app: ClientApp, redirect: str | None, **extra: str) -> httpx.Response:
    form = {"decision": "allow", "client_id": app.client_id, "state": "st-1", **extra}
    if redirect is not None:
        form["redirect_uri"] = redirect
    return http.post("/oauth/authorize", data=form)


def _exchange(http, app: ClientApp, code: str, **extra: str) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        **extra,
    }
    return http.post("/oauth/token", data=form, headers={"Accept": "application/json"})


@pytest.mark.parametrize(("given", "good"), DOCUMENT_EXAMPLES)
def test_document_examples_over_the_socket(http, given, good):
    answer = _approve(http, WEB, given)
    if good:
        assert answer.status_code == 302
        location = urlsplit(answer.headers["location"])
        assert answer.headers["location"].startswith(given)
        assert parse_qs(location.query)["state"] == ["st-1"]
    else:
        assert answer.status_code == 400
        assert "data-error='invalid_redirect_uri'" in answer.text
        assert "location" not in answer.headers


def test_missing_redirect_uri_goes_to_the_registered_callback(http):
    answer = _approve(http, LOOPBACK, None)
    assert answer.status_code == 302
    location = urlsplit(answer.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == LOOPBACK.callback
    query = parse_qs(location.query)
    assert query["state"] == ["st-1"]
    token = _exchange(http, LOOPBACK, query["code"][0])
    assert token.status_code == 200
    again = _approve(http, LOOPBACK, None)
    code = parse_qs(urlsplit(again.headers["location"]).query)["code"][0]
    with_uri = _exchange(http, LOOPBACK, code, redirect_uri=LOOPBACK.callback)
    assert with_uri.status_code == 200


def test_deny_redirects_access_denied_with_state(http):
    answer = _approve(http, LOOPBACK, LOOPBACK.callback, decision="deny")
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == ["st-1"]


def test_scope_error_redirects_to_a_registered_callback(http):
    answer = http.get(
        "/oauth/authorize",
        params={"client_id": LOOPBACK.client_id, "scope": "bogus", "state": "z"},
    )
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["error"] == ["invalid_scope"] and query["state"] == ["z"]


def test_client_secret_is_per_application(http):
    code = parse_qs(urlsplit(_approve(http, WEB, None).headers["location"]).query)["code"][0]
    wrong = _exchange(http, ClientApp(WEB.client_id, "sandbox-secret"), code)
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"


def _pkce_code(http, method: str = "S256", challenge: str | None = None) -> str:
    challenge = challenge or (s256(VERIFIER) if method == "S256" else VERIFIER)
    answer = _approve(
        http,
        LOOPBACK,
        None,
        code_challenge=challenge,
        code_challenge_method=method,
    )
    assert answer.status_code == 302, answer.text
    return parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]


def test_approval_page_carries_the_challenge(http):
    page = http.get(
        "/oauth/authorize",
        params={
            "client_id": LOOPBACK.client_id,
            "code_challenge": s256(VERIFIER),
            "code_challenge_method": "S256",
        },
    )
    assert f"name='code_challenge' value='{s256(VERIFIER)}'" in page.text
    assert "name='code_challenge_method' value='S256'" in page.text


@pytest.mark.parametrize("method", ["S256", "plain"])
def test_pkce_right_verifier_is_accepted(http, method):
    code = _pkce_code(http, method)
    assert _exchange(http, LOOPBACK, code, code_verifier=VERIFIER).status_code == 200


@pytest.mark.parametrize("verifier", [None, "", VERIFIER[:-1] + "X", "short"])
def test_pkce_wrong_or_missing_verifier_is_refused_and_code_stays_usable(http, verifier):
    code = _pkce_code(http)
    extra = {} if verifier is None else {"code_verifier": verifier}
    refused = _exchange(http, LOOPBACK, code, **extra)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"
    assert "code_verifier" in refused.json()["error_description"]
    assert _exchange(http, LOOPBACK, code, code_verifier=VERIFIER).status_code == 200


@pytest.mark.parametrize(
    "extra",
    [
        {"code_challenge": "x" * 43, "code_challenge_method": "S512"},
        {"code_challenge": "too-short", "code_challenge_method": "S256"},
        {"code_challenge_method": "S256"},
    ],
)
def test_malformed_pkce_on_authorize_is_invalid_request(http, extra):
    answer = _approve(http, LOOPBACK, None, **extra)
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["error"] == ["invalid_request"] and "code" not in query


def test_a_server_without_pkce_ignores_it():
    config = SandboxConfig(stacks=1, pkce=False, extra_clients=(LOOPBACK,))
    with SandboxServer(config=config) as server, httpx.Client(base_url=server.base_url) as http:
        code = _pkce_code(http)
        answer = _exchange(http, LOOPBACK, code, code_verifier="unrelated-" * 5)
        assert answer.status_code == 200


def test_pkce_matches_rfc7636_appendix_b():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_matches("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256", verifier)
    assert not pkce_matches("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "plain", verifier)


def test_flags_register_callbacks_per_client():
    flags = [
        ("redirect_uri", "http://127.0.0.1:34543/callback"),
        ("client_id", "second"),
        ("redirect_uri", "https://example.com/cb"),
        ("redirect_uri", "http://example.com"),
        ("client_id", "third"),
    ]
    default_id, callbacks, extra = registrations_from_flags(flags, "c66tui-sandbox", "s")
    assert default_id == "c66tui-sandbox"
    assert callbacks == ("http://127.0.0.1:34543/callback",)
    assert extra == (
        ClientApp("second", "s", ("https://example.com/cb", "http://example.com")),
        ClientApp("third", "s", (OOB,)),
    )
    assert registrations_from_flags([], "c", "s") == ("c", (OOB,), ())
    with pytest.raises(ValueError, match="not an absolute URL"):
        registrations_from_flags([("redirect_uri", "/relative")], "c", "s")
