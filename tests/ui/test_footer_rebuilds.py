"""The footer rebuilds its keys only when what they show changes.

Textual asks the footer to rebuild on every binding refresh (focus, cursor and worker
changes); rebuilding the same keys each time held the first frame back at start-up.
"""

from __future__ import annotations

from c66tui.ui.widgets.key_footer import KeyFooter
from tests.ui.test_stacks_support import stacks_ready, wait_until


def footer_keys(app) -> list:
    return list(app.screen.query_one(KeyFooter).children)


async def test_binding_refreshes_that_change_nothing_keep_the_keys(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        before = footer_keys(app)
        assert before
        for _ in range(3):
            screen.refresh_bindings()
            await pilot.pause()
        assert footer_keys(app) == before


async def test_keys_are_rebuilt_when_the_width_changes(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await stacks_ready(app, pilot)
        wide = footer_keys(app)
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: footer_keys(app) != wide, what="footer rebuilt")
        narrow = [key.description for key in footer_keys(app)]
        assert len(narrow) < len(wide)


async def test_a_rebuild_checks_the_screen_bindings_once(app_factory, sandbox, monkeypatch):
    """Reading ``active_bindings`` asks ``check_action`` about every binding."""
    from textual.screen import Screen

    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await stacks_ready(app, pilot)
        wide = footer_keys(app)
        reads = []
        active_bindings = Screen.active_bindings.fget

        def counted(screen):
            reads.append(screen)
            return active_bindings(screen)

        monkeypatch.setattr(Screen, "active_bindings", property(counted))
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: footer_keys(app) != wide, what="footer rebuilt")
        await pilot.pause()
        assert len(reads) == 1
