"""OAuth helpers without a server: authorize URL, pasted-code cleaning, token answers."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from c66tui.api.errors import NetworkError, OAuthError, UnexpectedResponseError
from c66tui.api.oauth import (
    ALL_SCOPES,
    DEFAULT_SCOPES,
    OOB_REDIRECT,
    auth_base_from_api_url,
    build_authorize_url,
    exchange_code,
    normalize_code,
)
from c66tui.api.secret import Secret

CODE = "3f9a1c2b7e4d8a6b"


def test_constants():
    assert OOB_REDIRECT == "urn:ietf:wg:oauth:2.0:oob"
    assert ALL_SCOPES == ("public", "redeploy", "jobs", "admin", "users")
    assert DEFAULT_SCOPES == ("public", "redeploy", "jobs")


def test_authorize_url():
    request = build_authorize_url("https://app.cloud66.com/", "my id&x", ["public", "redeploy"])
    parts = urlsplit(request.url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "app.cloud66.com",
        "/oauth/authorize",
    )
    assert "scope=public+redeploy" in parts.query
    query = parse_qs(parts.query)
    assert query["client_id"] == ["my id&x"]
    assert query["redirect_uri"] == [OOB_REDIRECT]
    assert query["response_type"] == ["code"]
    assert query["state"] == [request.state]
    assert len(request.state) >= 20
    other = build_authorize_url("https://app.cloud66.com", "id", DEFAULT_SCOPES)
    assert other.state != request.state
    assert build_authorize_url("https://x.test", "id", [], state="fixed").state == "fixed"


@pytest.mark.parametrize("base", ["ftp://host", "javascript:alert(1)", "", "app.cloud66.com"])
def test_authorize_url_rejects_non_http(base):
    with pytest.raises(ValueError):
        build_authorize_url(base, "id", ["public"])


def test_authorize_url_needs_client_id():
    with pytest.raises(ValueError):
        build_authorize_url("https://app.cloud66.com", " ", ["public"])


@pytest.mark.parametrize(
    ("api_url", "base"),
    [
        ("https://app.cloud66.com/api/2", "https://app.cloud66.com"),
        ("https://app.cloud66.com/api/3/", "https://app.cloud66.com"),
        ("http://127.0.0.1:8066/api/2", "http://127.0.0.1:8066"),
        ("https://proxy.example/c66/api/2", "https://proxy.example/c66"),
        ("https://app.cloud66.com", "https://app.cloud66.com"),
    ],
)
def test_auth_base_from_api_url(api_url, base):
    assert auth_base_from_api_url(api_url) == base


def test_auth_base_rejects_garbage():
    with pytest.raises(ValueError):
        auth_base_from_api_url("not a url")


@pytest.mark.parametrize(
    "pasted",
    [
        CODE,
        f"  {CODE}\n",
        f'"{CODE}"',
        f"'{CODE}'\r\n",
        f"{CODE[:8]}\n{CODE[8:]}",
        f"https://app.cloud66.com/oauth/authorize/native?code={CODE}",
        f"https://app.cloud66.com/oauth/authorize/native?code={CODE}&state=abc",
        f"urn:ietf:wg:oauth:2.0:oob?code={CODE}",
        f"code={CODE}&state=abc",
        f"?code={CODE}",
        f"http://127.0.0.1:9/cb?state=abc&code={CODE}#frag",
    ],
)
def test_normalize_code_accepts(pasted):
    assert normalize_code(pasted) == CODE


@pytest.mark.parametrize(
    ("pasted", "words"),
    [
        ("", "Nothing was pasted"),
        ("   \n ", "Nothing was pasted"),
        ('""', "Nothing was pasted"),
        ("abc", "too short"),
        ("x" * 513, "too long"),
        (f"{CODE}\x1b[2J", "control characters"),
        (f"{CODE}\x00", "control characters"),
        ("https://app.cloud66.com/cb?state=abc", "no code"),
        ("https://app.cloud66.com/cb?error=access_denied", "denied"),
        ("code=", "no code"),
        ("codé-with-accent", "unexpected characters"),
    ],
)
def test_normalize_code_rejects(pasted, words):
    with pytest.raises(ValueError) as info:
        normalize_code(pasted)
    assert words in str(info.value)


def test_normalize_code_checks_state_when_known():
    url = f"https://x.test/cb?code={CODE}&state=theirs"
    with pytest.raises(ValueError, match="different login attempt"):
        normalize_code(url, state="mine")
    assert normalize_code(url, state="theirs") == CODE


def test_normalize_code_length_bounds():
    assert normalize_code("a" * 8) == "a" * 8
    assert normalize_code("a" * 512) == "a" * 512


class Recorder:
    """A MockTransport handler that answers with a fixed response and records requests."""

    def __init__(self, response: httpx.Response | Exception) -> None:
        self.response = response
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if isinstance(self.response, Exception):
            raise self.response
        return self.response


async def _exchange(recorder: Recorder) -> Secret:
    return await exchange_code(
        "https://auth.test",
        "client",
        Secret("client-secret-value"),
        CODE,
        transport=httpx.MockTransport(recorder),
    )


async def test_exchange_json_answer():
    recorder = Recorder(
        httpx.Response(200, json={"access_token": "tok-123456", "token_type": "Bearer"})
    )
    token = await _exchange(recorder)
    assert isinstance(token, Secret) and token.reveal() == "tok-123456"
    (request,) = recorder.requests
    assert request.method == "POST" and request.url.path == "/oauth/token"
    assert request.headers["accept"] == "application/json"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    form = parse_qs(request.content.decode())
    assert form == {
        "grant_type": ["authorization_code"],
        "code": [CODE],
        "redirect_uri": [OOB_REDIRECT],
        "client_id": ["client"],
        "client_secret": ["client-secret-value"],
    }
    assert "code" not in str(request.url.query)
    assert "Authorization" not in request.headers


async def test_exchange_form_encoded_answer():
    recorder = Recorder(httpx.Response(200, text="access_token=formtok99&token_type=bearer"))
    assert (await _exchange(recorder)).reveal() == "formtok99"


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (400, "invalid_grant", "expired, was already used, or was mistyped"),
        (401, "invalid_client", "not your fault"),
        (400, "invalid_request", "please report it"),
        (400, "unsupported_grant_type", "please report it"),
        (400, "unauthorized_client", "not allowed to log in this way"),
        (400, "invalid_scope", "fewer scopes"),
        (500, "server_error", "HTTP 500"),
        (503, "temporarily_unavailable", "HTTP 503"),
        (400, "made_up_error", "made_up_error"),
    ],
)
async def test_exchange_rfc6749_errors(status, error, words):
    recorder = Recorder(httpx.Response(status, json={"error": error, "error_description": "d"}))
    with pytest.raises(OAuthError) as info:
        await _exchange(recorder)
    assert words in info.value.message
    assert info.value.error == error and info.value.status == status
    assert len(recorder.requests) == 1


async def test_exchange_html_answer():
    page = "<!DOCTYPE html><html><body>Please sign in</body></html>"
    recorder = Recorder(httpx.Response(200, text=page, headers={"content-type": "text/html"}))
    with pytest.raises(UnexpectedResponseError) as info:
        await _exchange(recorder)
    assert "web page" in info.value.message and "HTTP 200" in info.value.message


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, json={"token_type": "bearer"}),
        httpx.Response(200, json={"access_token": "", "token_type": "bearer"}),
        httpx.Response(200, json={"access_token": "abcdefgh", "token_type": "mac"}),
        httpx.Response(200, json=["access_token"]),
        httpx.Response(200, content=b"\xff\xfe\x00garbage"),
        httpx.Response(200, text='{"access_token": "trunc'),
        httpx.Response(302, headers={"location": "https://elsewhere.test/"}),
    ],
)
async def test_exchange_bad_answers(response):
    with pytest.raises(UnexpectedResponseError):
        await _exchange(Recorder(response))


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (httpx.ConnectError("refused"), "Could not reach"),
        (httpx.ReadTimeout("slow"), "get a new code"),
        (httpx.RemoteProtocolError("reset"), "get a new code"),
    ],
)
async def test_exchange_network_failures_are_not_retried(exc, words):
    recorder = Recorder(exc)
    with pytest.raises(NetworkError) as info:
        await _exchange(recorder)
    assert words in info.value.message
    assert len(recorder.requests) == 1


async def test_exchange_refuses_non_http_base():
    with pytest.raises(ValueError):
        await exchange_code("file:///etc", "client", Secret("s"), CODE)
