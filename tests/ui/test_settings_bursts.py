"""Keys typed in one burst on the settings screen land where the focus will be, in order:
``]``, ``]``, ``/`` and a filter typed at once (no pause between them) move two tabs on
and filter that tab; the tab's late "activated" message does not pull the focus back to
its table, where the rest of the text would run list keys (``e`` edits, ``a`` adds)."""

from __future__ import annotations

from textual.screen import ModalScreen

from c66tui.ui.widgets.filter_bar import FilterBar
from tests.ui.burst import key_of, queue_keys
from tests.ui.test_settings_support import (  # noqa: F401 - fixture
    fast_action_polls,
    open_settings,
    settle,
    wait_until,
)


async def test_tab_keys_slash_and_text_in_one_burst_filter_the_tab_two_on(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="env")  # its list is loaded
        screen.show_tab("stack")
        await settle(pilot, app)
        env = screen.tab("env")
        bar = env.query_one(FilterBar)
        queue_keys(app, map(key_of, "]]/feature"))
        await wait_until(
            pilot,
            lambda: len(bar.value) == len("feature") or isinstance(app.screen, ModalScreen),
            what="the whole burst delivered",
        )
        await settle(pilot, app)
        assert app.screen is screen, "a letter of the filter ran a list key"
        assert bar.value == "feature"
        assert screen.active_tab is env
        assert app.focused is bar
        others = [tab for tab in screen.tabs() if tab is not env and tab.query(FilterBar)]
        assert [tab.query_one(FilterBar).value for tab in others] == [""] * len(others)


async def test_tab_key_then_slash_in_one_burst_filters_the_next_tab(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="servers")
        screen.show_tab("stack")
        await settle(pilot, app)
        servers = screen.tab("servers")
        bar = servers.query_one(FilterBar)
        queue_keys(app, map(key_of, "]/time"))
        await wait_until(
            pilot,
            lambda: len(bar.value) == len("time") or isinstance(app.screen, ModalScreen),
            what="the whole burst delivered",
        )
        await settle(pilot, app)
        assert app.screen is screen and screen.active_tab is servers
        assert bar.value == "time" and app.focused is bar
