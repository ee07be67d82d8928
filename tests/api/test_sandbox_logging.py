"""A sentinel token never reaches the logs, even with httpx and httpcore at DEBUG."""

from __future__ import annotations

import logging

import httpx
import pytest

from c66tui.api import Secret
from c66tui.api.errors import Cloud66Error
from c66tui.api.oauth import build_authorize_url, exchange_code, validate_token
from c66tui.sandbox import seed

from .conftest import make_client


async def test_sentinel_token_never_logged(sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "c66tui"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    sentinel = sandbox.sandbox.mint_token(["public", "redeploy", "jobs", "admin", "users"])
    uid = sandbox.sandbox.find_stack(seed.QUIET_STACK).uid
    async with make_client(sandbox.api_url, Secret(sentinel)) as api:
        await api.list_stacks()
        await api.list_env_vars(uid)
        await api.redeploy(uid)
        logging.getLogger("c66tui.test").debug("client %r token %s", api, Secret(sentinel))
        logging.getLogger("c66tui.test").debug("header Authorization: Bearer %s", sentinel)
    assert isinstance(await validate_token(sandbox.api_url, Secret(sentinel)), str)
    sandbox.sandbox.revoke_token(sentinel)
    async with make_client(sandbox.api_url, Secret(sentinel)) as api:
        with pytest.raises(Cloud66Error):
            await api.list_stacks()

    # An OAuth exchange: neither the code, the client secret nor the new token may show.
    config = sandbox.sandbox.config
    request = build_authorize_url(sandbox.base_url, config.client_id, ["public"])
    with httpx.Client() as http:
        query = dict(httpx.URL(request.url).params)
        http.post(f"{sandbox.base_url}/oauth/authorize", data={**query, "decision": "allow"})
        code = http.get(f"{sandbox.base_url}/_sandbox/oauth/last-code").json()["code"]
    token = await exchange_code(
        sandbox.base_url,
        config.client_id,
        Secret(config.client_secret),
        code,
        code_verifier=request.verifier,
    )
    logging.getLogger("httpx").info("exchanged code=%s for access_token=%s", code, token.reveal())

    assert caplog.records, "DEBUG logging should have produced records"
    assert any(r.name.startswith("httpcore") for r in caplog.records)
    text = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    for secret in (sentinel, code, config.client_secret, token.reveal(), request.verifier):
        assert secret not in text
