"""Thousands of stacks: every page fetched once, concurrently, and joined in order."""

from __future__ import annotations

import pytest

from c66tui.sandbox import Sandbox, SandboxConfig
from c66tui.sandbox.server import SandboxServer

from .conftest import make_client

STACKS = 2000
PAGES = -(-STACKS // 30)


@pytest.fixture(scope="module")
def big_sandbox():
    with SandboxServer(config=SandboxConfig(stacks=STACKS)) as server:
        yield server


async def test_all_stacks_in_order_one_request_per_page(big_sandbox):
    big_sandbox.sandbox.request_log.clear()
    async with make_client(big_sandbox.api_url, Sandbox.DEMO_TOKEN, max_concurrency=6) as api:
        stacks = await api.list_stacks()
        assert api.request_count == PAGES
    assert len(stacks) == STACKS
    assert [s.uid for s in stacks] == [s.uid for s in big_sandbox.sandbox.ordered_stacks()]
    pages = sorted(
        int(entry["query"].get("page", 1))
        if isinstance(entry["query"], dict)
        else int(str(entry["query"]).split("page=")[1].split("&")[0])
        for entry in big_sandbox.sandbox.request_log
        if entry["path"].endswith("/stacks")
    )
    assert pages == list(range(1, PAGES + 1))


async def test_sequential_walk_sees_the_same_pages(big_sandbox):
    async with make_client(big_sandbox.api_url, Sandbox.DEMO_TOKEN) as api:
        walked = [s async for page in api.iter_stack_pages() for s in page]
        assert api.request_count == PAGES
        assert [s.uid for s in walked] == [s.uid for s in await api.list_stacks()]
