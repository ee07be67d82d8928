"""Hostile or broken answers over a real loopback socket: an error quoting the request's
own token, a list without its envelope, and page counts that do not add up."""

from __future__ import annotations

import pytest

from c66tui.api.errors import BadRequestError, Cloud66Error
from c66tui.sandbox import Sandbox, seed

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
