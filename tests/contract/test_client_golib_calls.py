"""Our client's pings and env var download, and the connectivity check built on them,
against the sandbox over a loopback socket (the client is configured with ``/api/2`` as
the product is; these calls go to ``/api/3``, where the Go library sends them)."""

from __future__ import annotations

import json
import socket

import pytest

from c66tui.api.errors import AuthenticationError, MissingScopeError, UnexpectedResponseError
from c66tui.ops.connectivity import STATES, check_connectivity
from c66tui.sandbox import Sandbox
from c66tui.sandbox.seed import HISTORY_STACK
from tests.api.conftest import make_client


@pytest.fixture
async def client(sandbox):
    async with make_client(sandbox.api_url, Sandbox.DEMO_TOKEN) as api:
        yield api


async def test_pings_go_to_api_3(sandbox, client):
    sandbox.sandbox.clear_log()
    assert await client.ping() is True
    assert await client.ping_auth() is True
    paths = [e["path"] for e in sandbox.sandbox.request_log]
    assert paths == ["/api/3/ping", "/api/3/ping/auth"]


async def test_download_env_vars_in_both_formats(sandbox, client):
    world = sandbox.sandbox
    stack = world.find_stack(HISTORY_STACK)
    env = world.details(stack).env
    text = await client.download_env_vars(stack.uid, "dotenv", ["user"])
    assert [line.split("=", 1)[0] for line in text.splitlines()] == [
        e.key for e in env if not e.is_generated
    ]
    data = json.loads(await client.download_env_vars(stack.uid, "json"))
    assert data == {e.key: e.value for e in env}
    query = world.request_log[-1]["query"]
    assert "environments_format=json" in query and "requested_types=all" in query


async def test_download_refuses_unknown_formats_before_sending(sandbox, client):
    uid = sandbox.sandbox.find_stack(HISTORY_STACK).uid
    before = sandbox.sandbox.log_count
    with pytest.raises(ValueError):
        await client.download_env_vars(uid, "yaml")
    with pytest.raises(ValueError):
        await client.download_env_vars(uid, "dotenv", ["secret"])
    with pytest.raises(ValueError):
        await client.download_env_vars(uid, "dotenv", [])
    assert sandbox.sandbox.log_count == before


async def test_download_needs_the_admin_scope(sandbox):
    token = sandbox.sandbox.mint_token(["public"])
    uid = sandbox.sandbox.find_stack(HISTORY_STACK).uid
    async with make_client(sandbox.api_url, token) as reader:
        with pytest.raises(MissingScopeError):
            await reader.download_env_vars(uid)


async def test_a_proxy_page_instead_of_the_ping_is_an_unexpected_answer(sandbox, client):
    sandbox.sandbox.inject_fault(path="/api/3/ping$", status=200, body="html_login")
    with pytest.raises(UnexpectedResponseError):
        await client.ping()


async def test_connectivity_ok_and_token_rejected(sandbox, client):
    result = await check_connectivity(client)
    assert result.ok and result.to_json() == {
        "state": "ok",
        "reachable": True,
        "token_accepted": True,
        "message": "Cloud 66 is reachable and accepts the token.",
    }
    async with make_client(sandbox.api_url, "not-a-token") as stranger:
        result = await check_connectivity(stranger)
    assert (result.state, result.reachable, result.token_accepted) == (
        "token_rejected",
        True,
        False,
    )
    assert "log in again" in result.message and "not-a-token" not in result.message


async def test_connectivity_unreachable_when_nothing_listens():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with make_client(f"http://127.0.0.1:{port}/api/2", "tok", retries=1) as api:
        result = await check_connectivity(api)
    assert (result.state, result.reachable, result.token_accepted) == (
        "unreachable",
        False,
        None,
    )
    assert "127.0.0.1" in result.message


async def test_connectivity_api_error_and_token_unchecked(sandbox, client):
    sandbox.sandbox.inject_fault(path="/api/3/ping$", status=404, times=None)
    result = await check_connectivity(client)
    assert result.state == "api_error" and not result.reachable
    sandbox.sandbox.clear_faults()
    sandbox.sandbox.inject_fault(path="/api/3/ping/auth", status=500, times=None)
    result = await check_connectivity(client)
    assert (result.state, result.reachable, result.token_accepted) == (
        "token_unchecked",
        True,
        None,
    )
    assert result.state in STATES


class ScopedPinger:
    """A service that knows the token but answers the token check with a 403."""

    base_url = "https://app.cloud66.com/api/2"

    async def ping(self) -> bool:
        return True

    async def ping_auth(self) -> bool:
        raise MissingScopeError("The token lacks a scope.", scope="public", status=403)


class RefusingPinger(ScopedPinger):
    """A service whose plain ping already wants a token, and refuses this one."""

    async def ping(self) -> bool:
        raise AuthenticationError("Log in again.", status=401)

    async def ping_auth(self) -> bool:
        raise AuthenticationError("Log in again.", status=401)


async def test_a_403_still_means_the_token_was_recognised():
    result = await check_connectivity(ScopedPinger())
    assert result.state == "ok" and result.token_accepted is True


async def test_a_401_on_the_plain_ping_goes_on_to_the_token_check():
    result = await check_connectivity(RefusingPinger())
    assert result.state == "token_rejected" and result.reachable is True
