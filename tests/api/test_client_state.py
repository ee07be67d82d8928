"""The client's state is the session's: read-only figures, settable listeners."""

from __future__ import annotations

import httpx
import pytest

from c66tui.api.client import Cloud66Client
from c66tui.api.models import RateLimit


async def test_figures_are_read_only_and_listeners_reach_the_session():
    def answer(request: httpx.Request) -> httpx.Response:
        body = {"response": {"uid": "u1", "name": "web"}}
        return httpx.Response(200, json=body, headers={"X-Cloud66-Warning": "pages disagree"})

    transport = httpx.MockTransport(answer)
    async with Cloud66Client(
        "https://app.cloud66.com/api/3", "t0ken", account_id=7, transport=transport
    ) as api:
        assert (api.account_id, api.request_count, api.rate_limit) == (7, 0, RateLimit())
        with pytest.raises(AttributeError, match="request_count is read-only"):
            api.request_count = 5
        seen: list[str] = []
        api.on_warning = seen.append
        assert api.on_warning == seen.append
        # The session (which reads every answer) calls the listener set on the client.
        await api.get_stack("u1")
        assert seen == ["pages disagree"] and api.last_warning == "pages disagree"
        assert api.request_count == 1
        assert repr(api) == "Cloud66Client('https://app.cloud66.com/api/3')"
