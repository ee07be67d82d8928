"""A list answer that is not the documented envelope (over a real socket, from the
sandbox's faults) is reported in plain words; the list on screen and the cache stay."""

from __future__ import annotations

import pytest

from tests.ui.notices import notices
from tests.ui.test_stacks_support import refreshed, stacks_ready


@pytest.mark.parametrize("body", ["no_envelope", "null_items"])
async def test_a_broken_list_answer_keeps_the_list_and_the_cache(app_factory, sandbox, body):
    app = app_factory()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await stacks_ready(app, pilot)
        shown = len(screen.table.stacks)
        cache = app.services.cache.path_for(app.services.profile_name)
        saved = cache.read_bytes()
        sandbox.sandbox.inject_fault(r"/stacks$", method="GET", body=body)
        await refreshed(app, pilot, screen)
        assert len(screen.table.stacks) == shown > 0
        assert cache.read_bytes() == saved
        said = app.export_screenshot() + " ".join(notices(app))
        assert "nothing was changed" in said
