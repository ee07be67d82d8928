"""The sandbox's OAuth authorization-code flow, end to end over a socket."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import httpx
import pytest

OOB = "urn:ietf:wg:oauth:2.0:oob"
CLIENT = {"client_id": "c66tui-sandbox", "client_secret": "sandbox-secret"}


def _authorize(root, *, scope="public redeploy", state="s-1", redirect=OOB, decision="allow"):
    form = {
        "decision": decision,
        "client_id": CLIENT["client_id"],
        "redirect_uri": redirect,
        "response_type": "code",
        "scope": scope,
        "state": state,
    }
    return root.post("/oauth/authorize", data=form)


def _code_from_page(html: str) -> str:
    match = re.search(r'<code id="auth-code">([^<]+)</code>', html)
    assert match, html
    return match.group(1)


def _exchange(root, auth_code, *, accept_json=True, **overrides):
    form = {"grant_type": "authorization_code", "code": auth_code, "redirect_uri": OOB, **CLIENT}
    form.update(overrides)
    headers = {"Accept": "application/json"} if accept_json else {}
    return root.post("/oauth/token", data=form, headers=headers)


def test_approval_page_lists_client_scopes_and_form(root):
    params = {
        "client_id": "c66tui-sandbox",
        "redirect_uri": OOB,
        "response_type": "code",
        "scope": "public+redeploy,admin",
        "state": "abc<script>",
    }
    page = root.get("/oauth/authorize", params=params)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = page.text
    assert "c66tui (sandbox)" in text
    assert re.findall(r"<code class='scope'>(\w+)</code>", text) == ["public", "redeploy", "admin"]
    assert "name='decision' value='allow'" in text and "value='deny'" in text
    assert "abc&lt;script&gt;" in text and "<script>" not in text
    for name in ("client_id", "redirect_uri", "response_type", "scope", "state"):
        assert f"name='{name}'" in text


def test_full_oob_flow_then_api_call_on_both_prefixes(root, sandbox):
    page = _authorize(root, scope="public redeploy jobs users admin")
    assert page.status_code == 200
    code = _code_from_page(page.text)
    assert root.get("/_sandbox/oauth/last-code").json()["code"] == code
    answer = _exchange(root, code)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    token = answer.json()["access_token"]
    assert answer.json()["token_type"] == "bearer"
    assert "refresh_token" not in answer.json()
    for prefix in ("/api/2", "/api/3"):
        got = root.get(f"{prefix}/stacks.json", headers={"Authorization": f"bearer {token}"})
        assert got.status_code == 200
        assert got.json()["count"] == 30


def test_token_answer_is_form_encoded_by_default(root):
    code = _code_from_page(_authorize(root).text)
    answer = _exchange(root, code, accept_json=False)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/x-www-form-urlencoded")
    fields = parse_qs(answer.text)
    assert fields["token_type"] == ["bearer"]
    assert fields["access_token"][0]


def test_issued_token_carries_only_approved_scopes(root):
    code = _code_from_page(_authorize(root, scope="public").text)
    token = _exchange(root, code).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    uid = root.get("/api/3/stacks", headers=headers).json()["response"][0]["uid"]
    assert root.get(f"/api/3/stacks/{uid}/environments", headers=headers).status_code == 403
    denied = root.post(f"/api/3/stacks/{uid}/deployments", headers=headers)
    assert denied.status_code == 403
    assert denied.json()["error"] == "forbidden"


def test_deny_on_the_out_of_band_page(root):
    page = _authorize(root, decision="deny")
    assert page.status_code == 400 and "access_denied" in page.text


def test_code_is_single_use_and_reuse_revokes_the_token(root):
    code = _code_from_page(_authorize(root).text)
    token = _exchange(root, code).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert root.get("/api/2/stacks", headers=headers).status_code == 200
    again = _exchange(root, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert root.get("/api/2/stacks", headers=headers).status_code == 401


def test_code_expires_after_ten_virtual_minutes(root, world):
    code = _code_from_page(_authorize(root).text)
    world.advance(601)
    expired = _exchange(root, code)
    assert expired.status_code == 400
    assert expired.json()["error"] == "invalid_grant"
    assert "expired" in expired.json()["error_description"]


def test_code_still_valid_just_before_expiry(root, world):
    code = _code_from_page(_authorize(root).text)
    world.advance(590)
    assert _exchange(root, code).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "status", "error"),
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "someone-else"}, 401, "invalid_client"),
        ({"client_secret": ""}, 401, "invalid_client"),
        ({"code": ""}, 400, "invalid_request"),
        ({"code": "nope"}, 400, "invalid_grant"),
        ({"grant_type": ""}, 400, "invalid_request"),
        ({"grant_type": "refresh_token"}, 400, "unsupported_grant_type"),
        ({"redirect_uri": "http://127.0.0.1:9/other"}, 400, "invalid_grant"),
        ({"redirect_uri": "https://evil.example/cb"}, 400, "invalid_grant"),
    ],
)
def test_token_errors_follow_rfc6749(root, overrides, status, error):
    code = _code_from_page(_authorize(root).text)
    answer = _exchange(root, code, **overrides)
    assert answer.status_code == status
    body = answer.json()
    assert body["error"] == error
    assert body["error_description"]
    assert answer.headers["cache-control"] == "no-store"


def test_token_accepts_basic_client_authentication(root):
    code = _code_from_page(_authorize(root).text)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": OOB}
    answer = root.post(
        "/oauth/token",
        data=form,
        auth=httpx.BasicAuth("c66tui-sandbox", "sandbox-secret"),
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 200


def test_token_malformed_body_is_invalid_request(root):
    answer = root.post(
        "/oauth/token",
        content=b"%%%&&&=",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"redirect_uri": OOB}, "invalid_request"),
        ({"client_id": "other", "redirect_uri": OOB}, "invalid_client"),
        (
            {"client_id": "c66tui-sandbox", "redirect_uri": "https://evil.example/cb"},
            "invalid_redirect_uri",
        ),
        (
            {"client_id": "c66tui-sandbox", "redirect_uri": "http://127.0.0.1:34543/callback"},
            "invalid_redirect_uri",
        ),
        (
            {"client_id": "c66tui-sandbox", "redirect_uri": OOB, "scope": "public root"},
            "invalid_scope",
        ),
        (
            {"client_id": "c66tui-sandbox", "redirect_uri": OOB, "response_type": "token"},
            "unsupported_response_type",
        ),
    ],
)
def test_authorize_errors_render_a_page(root, params, error):
    page = root.get("/oauth/authorize", params=params)
    assert page.status_code == 400
    assert f"data-error='{error}'" in page.text


def test_missing_redirect_uri_means_the_registered_callback(root):
    page = root.get("/oauth/authorize", params={"client_id": "c66tui-sandbox"})
    assert page.status_code == 200
    assert f"name='redirect_uri' value='{OOB}'" in page.text


def test_last_code_is_404_before_any_approval(root):
    answer = root.get("/_sandbox/oauth/last-code")
    assert answer.status_code == 404
    assert answer.json()["error"] == "not_found"
