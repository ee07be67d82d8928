"""Counts agree with their nouns, an empty filter result says so in words, and the poll
interval does not read as a deploy time."""

from __future__ import annotations

from c66tui.ops.polling import PollPlan
from c66tui.text import counted
from tests.ui.rendering import screen_text
from tests.ui.test_stacks_support import stacks_ready


def test_counted_agrees():
    assert counted(1, "stack") == "1 stack"
    assert counted(0, "stack") == "0 stacks"
    assert counted(2, "match", "matches") == "2 matches"


def test_poll_label_says_what_the_interval_is():
    plan = PollPlan(30.0, 5.0, mode="fast", reason="", allowed_per_hour=3600.0)
    assert plan.label == "refresh 30s · deploys checked every 5s"


async def test_filter_counts_and_an_empty_result_in_words(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await stacks_ready(app, pilot)
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        text = screen_text(app)
        assert "no match /zzz" in text and "0 match" not in text
        assert "No stack matches /zzz" in text and "esc clears it" in text
        await pilot.press("escape", "slash", *"billing-api")
        await pilot.pause()
        text = screen_text(app)
        assert "1 match /billing-api" in text and "No stack matches" not in text
        await pilot.press("escape", "slash", *"prod")
        await pilot.pause()
        assert f"{len(screen.table.visible_uids)} matches /prod" in screen_text(app)
