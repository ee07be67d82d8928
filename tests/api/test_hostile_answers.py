"""Hostile or broken answers over a real loopback socket: an error quoting the request's
own token, a list without its envelope, and page counts that do not add up."""

from __future__ import annotations

import pytest

from c66tui.api.errors import BadRequestError, Cloud66Error, UnexpectedResponseError
from c66tui.api.pagination import fetch_all_pages
from c66tui.sandbox import Sandbox, seed
from tests.waiting import until

from .conftest import api_requests


async def test_an_error_quoting_the_token_never_carries_it(api, sandbox):
    uid = sandbox.sandbox.find_stack(seed.QUIET_STACK).uid
    sandbox.sandbox.inject_fault(
        f"/stacks/{uid}/deployments$", method="POST", body="echo_token", when="before"
    )
    with pytest.raises(Cloud66Error) as caught:
        await api.redeploy(uid)
    # The answer did quote it (the fault reads the request's own Authorization header).
    [entry] = api_requests(sandbox, "POST", uid)
    # The log records the status once the faulty answer has been written out in full.
    await until(None, lambda: entry.get("status") is not None, what="the answer logged")
    assert entry["status"] == 422
    error = caught.value
    for text in (str(error), error.message, error.description or "", repr(error)):
        assert Sandbox.DEMO_TOKEN not in text
    assert "Stack busy for [REDACTED]" in str(error)


async def test_a_400_on_the_list_quoting_the_token_never_carries_it(api, sandbox):
    sandbox.sandbox.inject_fault(r"/stacks$", method="GET", status=400, body="echo_token")
    with pytest.raises(BadRequestError) as caught:
        await api.list_stacks()
    assert Sandbox.DEMO_TOKEN not in str(caught.value)


async def test_a_list_without_its_envelope_is_an_error_not_an_empty_list(api, sandbox):
    sandbox.sandbox.inject_fault(r"/stacks$", method="GET", body="no_envelope")
    with pytest.raises(UnexpectedResponseError) as caught:
        await api.list_stacks()
    assert "no 'response'" in str(caught.value)


async def test_a_list_of_nulls_is_an_error_not_an_empty_list(api, sandbox):
    sandbox.sandbox.inject_fault(r"/stacks$", method="GET", body="null_items")
    with pytest.raises(UnexpectedResponseError) as caught:
        await api.list_stacks()
    assert "none of them readable" in str(caught.value)


async def test_a_million_pages_claimed_reads_only_what_the_count_implies(api, sandbox):
    total = len(await api.list_stacks())
    with sandbox.sandbox.lock:
        sandbox.sandbox.request_log.clear()
    notices: list[str] = []
    api.on_warning = notices.append
    sandbox.sandbox.inject_fault(r"/stacks$", method="GET", body="huge_pages")
    stacks = await api.list_stacks()
    assert len(stacks) == total
    pages_needed = -(-total // 30)
    assert len(api_requests(sandbox, "GET", "/stacks")) == pages_needed
    [notice] = notices
    assert "1000000 pages claimed" in notice and f"make {pages_needed}" in notice
    assert api.last_warning == notice


async def test_pages_stop_at_the_first_empty_one():
    calls: list[int] = []

    async def fetch(number: int):
        calls.append(number)
        items = [{"id": number}] if number <= 3 else []
        return {"response": items, "pagination": {"pages": 50, "next": number + 1}}

    items = await fetch_all_pages(fetch, max_concurrency=2)
    assert [item["id"] for item in items] == [1, 2, 3]
    assert max(calls) <= 3 + 2  # at most the workers already under way go past it
