"""The client's state is the session's: read-only figures, settable listeners."""

from __future__ import annotations

import pytest

from c66tui.api.client import Cloud66Client
from c66tui.api.models import RateLimit


async def test_figures_are_read_only_and_listeners_reach_the_session():
    async with Cloud66Client("https://app.cloud66.com/api/3", "t0ken", account_id=7) as api:
        assert (api.account_id, api.request_count, api.rate_limit) == (7, 0, RateLimit())
        with pytest.raises(AttributeError, match="request_count is read-only"):
            api.request_count = 5
        seen: list[str] = []
        api.on_warning = seen.append
        assert api._session.on_warning is api.on_warning
        api._note_warning("pages disagree")
        assert seen == ["pages disagree"] and api.last_warning == "pages disagree"
        assert repr(api) == "Cloud66Client('https://app.cloud66.com/api/3')"
