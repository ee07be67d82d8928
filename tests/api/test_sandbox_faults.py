"""Retries, throttling, broken answers and the exactly-once rule for writes, using the
sandbox's injected faults over a real loopback socket."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from c66tui.api.errors import (
    NetworkError,
    OutcomeUnknownError,
    RateLimitedError,
    ServerError,
    UnexpectedResponseError,
)
from c66tui.sandbox import Sandbox, SandboxConfig, seed
from c66tui.sandbox.server import SandboxServer

from .conftest import api_requests, make_client


def quiet_uid(sandbox) -> str:
    return sandbox.sandbox.find_stack(seed.QUIET_STACK).uid


async def test_429_with_retry_after_is_waited_out(api, sandbox):
    uid = quiet_uid(sandbox)
    sandbox.sandbox.inject_fault(
        r"/stacks/[0-9a-f]+$", method="GET", status=429, headers={"Retry-After": "1"}, times=1
    )
    loop = asyncio.get_running_loop()
    start = loop.time()
    stack = await api.get_stack(uid)
    assert stack.uid == uid
    assert loop.time() - start >= 1.0
    assert len(api_requests(sandbox, "GET", uid)) == 2


async def test_503_throttled_then_success(api, sandbox):
    uid = quiet_uid(sandbox)
    sandbox.sandbox.inject_fault(
        r"/stacks/[0-9a-f]+$",
        method="GET",
        status=503,
        headers={"X-RateLimit-Remaining": "0"},
        times=2,
    )
    seen = []
    api.on_rate_limit = seen.append
    assert (await api.get_stack(uid)).uid == uid
    assert len(api_requests(sandbox, "GET", uid)) == 3
    assert seen[0].remaining == 0 and seen[-1].remaining > 0


async def test_throttling_persisting_gives_rate_limited_error(api, sandbox):
    sandbox.sandbox.inject_fault(
        r"/stacks$", method="GET", status=503, headers={"X-RateLimit-Remaining": "0"}, times=5
    )
    with pytest.raises(RateLimitedError):
        await api.list_stacks()
    assert len(api_requests(sandbox, "GET", "/stacks")) == 3


async def test_real_hourly_limit_raises_at_once_with_retry_after():
    # Five minutes past the hour: the budget resets in about 55 minutes.
    config = SandboxConfig(rate_limit=2, start_time=datetime(2025, 1, 6, 12, 5, tzinfo=UTC))
    with SandboxServer(config=config) as server:
        async with make_client(server.api_url, Sandbox.DEMO_TOKEN, deadline=10) as api:
            await api.list_deployments(server.sandbox.find_stack(seed.QUIET_STACK).uid)
            await api.get_stack(server.sandbox.find_stack(seed.QUIET_STACK).uid)
            assert api.rate_limit.remaining == 0
            loop = asyncio.get_running_loop()
            start = loop.time()
            with pytest.raises(RateLimitedError) as info:
                await api.list_stacks()
            assert loop.time() - start < 2
    assert info.value.retry_after is not None and info.value.retry_after > 3000
    assert "request limit" in info.value.message


async def test_5xx_burst_then_success(api, sandbox):
    sandbox.sandbox.inject_fault(r"/stacks$", method="GET", status=502, times=2)
    stacks = await api.list_stacks()
    assert len(stacks) == seed.DEFAULT_STACK_COUNT
    assert api.request_count == 4  # two failures, then pages 1 and 2


async def test_5xx_three_times_is_a_server_error(api, sandbox):
    uid = quiet_uid(sandbox)
    sandbox.sandbox.inject_fault(r"/deployments$", method="GET", status=500, times=3)
    with pytest.raises(ServerError) as info:
        await api.list_deployments(uid)
    assert "HTTP 500" in info.value.message and info.value.request_id
    assert len(api_requests(sandbox, "GET", "/deployments")) == 3


async def test_dropped_connection_on_a_read_is_retried(api, sandbox):
    uid = quiet_uid(sandbox)
    sandbox.sandbox.inject_fault(r"/stacks/[0-9a-f]+$", method="GET", drop=True, times=1)
    assert (await api.get_stack(uid)).uid == uid
    assert api.request_count == 2


async def test_redeploy_answer_times_out_outcome_unknown_sent_once(sandbox):
    uid = quiet_uid(sandbox)
    sandbox.sandbox.inject_fault(r"/deployments$", method="POST", delay=3, times=1)
    async with make_client(sandbox.api_url, Sandbox.DEMO_TOKEN, timeout=0.5, deadline=10) as api:
        with pytest.raises(OutcomeUnknownError) as info:
            await api.redeploy(uid)
        assert api.request_count == 1
    assert "Check the stack" in info.value.message
    posts = api_requests(sandbox, "POST", "/deployments")
    assert len(posts) == 1
    # The write did happen although its answer never arrived: the stack is now deploying.
    async with make_client(sandbox.api_url, Sandbox.DEMO_TOKEN) as api:
        assert (await api.get_stack(uid)).is_deploying


async def test_redeploy_over_the_deadline_is_outcome_unknown(sandbox):
    uid = quiet_uid(sandbox)
    sandbox.sandbox.inject_fault(r"/deployments$", method="POST", delay=3, times=1)
    async with make_client(sandbox.api_url, Sandbox.DEMO_TOKEN, timeout=5, deadline=0.5) as api:
        with pytest.raises(OutcomeUnknownError):
            await api.redeploy(uid)
    assert len(api_requests(sandbox, "POST", "/deployments")) == 1


async def test_dropped_connection_after_a_write_is_outcome_unknown(api, sandbox):
    uid = quiet_uid(sandbox)
    sandbox.sandbox.inject_fault(r"/environments$", method="POST", drop=True, times=1)
    with pytest.raises(OutcomeUnknownError):
        await api.create_env_var(uid, "DROPPED_ONCE", "v")
    assert len(api_requests(sandbox, "POST", "/environments")) == 1


async def test_gateway_error_on_a_write_is_not_retried(api, sandbox):
    uid = quiet_uid(sandbox)
    sandbox.sandbox.inject_fault(r"/deployments$", method="POST", status=502, times=1)
    with pytest.raises(ServerError):
        await api.redeploy(uid)
    assert len(api_requests(sandbox, "POST", "/deployments")) == 1


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("html_login", "web page instead of data (HTTP 200)"),
        ("truncated", "not valid JSON (HTTP 200)"),
        ("not_json", "not valid JSON"),
    ],
)
async def test_broken_bodies_are_unexpected_responses(api, sandbox, body, words):
    sandbox.sandbox.inject_fault(r"/stacks$", method="GET", body=body, times=1)
    with pytest.raises(UnexpectedResponseError) as info:
        await api.list_stacks()
    assert words in info.value.message


async def test_html_error_page_on_a_gateway_failure_is_retried(api, sandbox):
    sandbox.sandbox.inject_fault(r"/stacks$", method="GET", status=502, body="not_json", times=1)
    assert len(await api.list_stacks()) == seed.DEFAULT_STACK_COUNT


async def test_slow_read_hits_the_deadline(sandbox):
    sandbox.sandbox.inject_fault(r"/stacks$", method="GET", delay=3, times=5)
    async with make_client(sandbox.api_url, Sandbox.DEMO_TOKEN, timeout=5, deadline=0.5) as api:
        with pytest.raises(NetworkError, match="within 0.5 seconds"):
            await api.list_stacks()
