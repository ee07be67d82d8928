"""The out-of-band login against the sandbox: authorize, paste, exchange, validate."""

from __future__ import annotations

import httpx
import pytest

from c66tui.api import Secret
from c66tui.api.errors import AuthenticationError, OAuthError, UnexpectedResponseError
from c66tui.api.oauth import (
    DEFAULT_SCOPES,
    auth_base_from_api_url,
    build_authorize_url,
    exchange_code,
    normalize_code,
    validate_token,
)
from c66tui.sandbox import seed

from .conftest import api_requests, make_client

_VERIFIERS: dict[str, str] = {}
"""The PKCE verifier of each code approved here (what the login form keeps in memory)."""


def approve(sandbox, scopes=DEFAULT_SCOPES) -> tuple[str, str]:
    """Open the authorize URL, press Approve, read the code shown (and the state)."""
    config = sandbox.sandbox.config
    base = auth_base_from_api_url(sandbox.api_url)
    assert base == sandbox.base_url
    request = build_authorize_url(base, config.client_id, list(scopes))
    with httpx.Client() as http:
        page = http.get(request.url)
        assert page.status_code == 200 and "Approve" in page.text
        query = dict(httpx.URL(request.url).params)
        answer = http.post(f"{base}/oauth/authorize", data={**query, "decision": "allow"})
        assert answer.status_code == 200
        grant = http.get(f"{base}/_sandbox/oauth/last-code").json()
    assert grant["state"] == request.state
    assert grant["code"] in answer.text
    _VERIFIERS[grant["code"]] = request.verifier
    return grant["code"], request.state


async def exchange(
    sandbox, code: str, secret: str | None = None, verifier: str | None = None
) -> Secret:
    config = sandbox.sandbox.config
    return await exchange_code(
        sandbox.base_url,
        config.client_id,
        Secret(secret or config.client_secret),
        code,
        code_verifier=verifier or _VERIFIERS.get(code),
    )


async def test_the_code_is_bound_to_this_login_by_pkce(sandbox):
    code, _ = approve(sandbox)
    with pytest.raises(OAuthError) as info:
        await exchange(sandbox, code, verifier="another-login-" * 4)
    assert info.value.error == "invalid_grant"
    config = sandbox.sandbox.config
    with pytest.raises(OAuthError):
        await exchange_code(
            sandbox.base_url, config.client_id, Secret(config.client_secret), code
        )
    assert (await exchange(sandbox, code)).reveal()


async def test_good_code_gives_a_working_token(sandbox):
    code, state = approve(sandbox)
    pasted = normalize_code(
        f'  "urn:ietf:wg:oauth:2.0:oob?code={code}&state={state}"\n', state=state
    )
    token = await exchange(sandbox, pasted)
    assert isinstance(token, Secret) and token.reveal()
    before = len(api_requests(sandbox))
    # The scopes asked for are known and lack `users`: one GET of /stacks, as documented.
    assert await validate_token(sandbox.api_url, token, scopes=("public", "redeploy")) == ""
    checks = api_requests(sandbox)[before:]
    assert [(r["method"], r["path"]) for r in checks] == [("GET", "/api/3/stacks")]
    # Scopes unknown (a personal token): /users is refused for lack of scope, /stacks
    # confirms the token works; two requests at most.
    before = len(api_requests(sandbox))
    assert await validate_token(sandbox.api_url, token) == ""
    assert len(api_requests(sandbox)) - before == 2
    async with make_client(sandbox.api_url, token) as api:
        assert len(await api.list_stacks()) == seed.DEFAULT_STACK_COUNT


async def test_validate_token_with_users_scope_returns_email_in_one_request(sandbox):
    code, _state = approve(sandbox, ["public", "users"])
    token = await exchange(sandbox, code)
    before = len(api_requests(sandbox))
    assert await validate_token(sandbox.api_url, token) == sandbox.sandbox.config.user_email
    assert len(api_requests(sandbox)) - before == 1


async def test_validate_token_with_public_only_token(sandbox):
    token = sandbox.sandbox.mint_token(["public"])
    assert await validate_token(sandbox.api_url, Secret(token)) == ""


async def test_validate_rejects_a_bad_token(sandbox):
    with pytest.raises(AuthenticationError):
        await validate_token(sandbox.api_url, Secret("nope-nope-nope"))
    assert len(api_requests(sandbox)) == 1


async def test_reused_code_is_refused(sandbox):
    code, _ = approve(sandbox)
    await exchange(sandbox, code)
    with pytest.raises(OAuthError) as info:
        await exchange(sandbox, code)
    assert info.value.error == "invalid_grant"
    assert "already used" in info.value.message


async def test_expired_code_is_refused(sandbox):
    code, _ = approve(sandbox)
    sandbox.sandbox.advance(11 * 60)
    with pytest.raises(OAuthError) as info:
        await exchange(sandbox, code)
    assert info.value.error == "invalid_grant"
    assert "Get a new code" in info.value.message


async def test_mistyped_code_is_refused(sandbox):
    code, _ = approve(sandbox)
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(OAuthError) as info:
        await exchange(sandbox, typo)
    assert info.value.error == "invalid_grant"
    # The real code still works afterwards.
    assert (await exchange(sandbox, code)).reveal()


async def test_wrong_client_secret_is_not_the_users_fault(sandbox):
    code, _ = approve(sandbox)
    with pytest.raises(OAuthError) as info:
        await exchange(sandbox, code, secret="wrong-secret")
    assert info.value.error == "invalid_client"
    assert "not your fault" in info.value.message


async def test_html_answer_from_the_token_endpoint(sandbox):
    code, _ = approve(sandbox)
    sandbox.sandbox.inject_fault(r"/oauth/token", method="POST", body="html_login", times=1)
    with pytest.raises(UnexpectedResponseError) as info:
        await exchange(sandbox, code)
    assert "web page" in info.value.message and "HTTP 200" in info.value.message
    assert len([e for e in sandbox.sandbox.request_log if e["path"] == "/oauth/token"]) == 1
