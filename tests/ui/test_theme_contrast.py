"""Every screen is readable under NO_COLOR, with 16 colours and with 256 colours: no text
cell has the same foreground and background (see tests/ui/contrast.py)."""

from __future__ import annotations

import pytest

from tests.ui.contrast import unreadable_cells

MODES = {
    "no-color": ("truecolor", True),
    "no-color-16": ("16", True),
    "16": ("16", False),
    "256": ("256", False),
}


async def settle(app, pilot, rounds: int = 150) -> None:
    """Let the current screen's loads finish (its pollers run on; at most ~1.5 s)."""
    await pilot.pause()
    for _ in range(rounds):
        screen = app.screen
        if not [w for w in app.workers if w.node is screen and not w.is_finished]:
            break
        await pilot.pause(0.01)
    await pilot.pause()


async def _tour(app, pilot):
    """Visit every screen; yield the class of the screen that should be drawn."""
    await settle(app, pilot)
    yield "StacksScreen"
    await pilot.press("down")
    await pilot.press("slash")
    await pilot.press("a")
    await pilot.pause()
    yield "StacksScreen"
    await pilot.press("escape", "escape")
    await pilot.press("enter")
    await settle(app, pilot)
    yield "StackDetailScreen"
    await pilot.press("escape")
    await settle(app, pilot)
    await pilot.press("r")
    await settle(app, pilot)
    yield "RedeployDialog"
    await pilot.press("escape")
    await pilot.press("question_mark")
    await pilot.pause()
    yield "HelpScreen"
    await pilot.press("escape")
    await pilot.press("J")
    await settle(app, pilot)
    yield "JournalScreen"
    await pilot.press("escape")
    await pilot.press("2")
    await settle(app, pilot)
    yield "JobsScreen"
    await pilot.press("enter")
    await settle(app, pilot)
    yield "JobDetailScreen"
    await pilot.press("escape")
    await pilot.press("3")
    await settle(app, pilot)
    for _tab in range(5):
        yield "SettingsScreen"
        await pilot.press("right_square_bracket")
        await settle(app, pilot)


@pytest.mark.parametrize("mode", list(MODES))
async def test_every_screen_is_readable(app_factory, sandbox, monkeypatch, mode):
    system, no_color = MODES[mode]
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    seen = []
    async with app.run_test(size=(80, 24)) as pilot:
        async for name in _tour(app, pilot):
            assert type(app.screen).__name__ == name
            seen.append(name)
            problems = unreadable_cells(app, system)
            assert not problems, f"{mode}, {name}: {problems[:5]}"
    assert len(seen) == 13


@pytest.mark.parametrize("mode", list(MODES))
async def test_login_screen_is_readable(app_factory, sandbox, monkeypatch, mode):
    system, no_color = MODES[mode]
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory(logged_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        problems = unreadable_cells(app, system)
        assert not problems, f"{mode}, login: {problems[:5]}"


async def test_the_check_catches_black_on_black(app_factory, sandbox, monkeypatch):
    """The NO_COLOR filter Textual picked for another theme draws black on black."""
    from textual.filter import Monochrome

    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(type(app), "get_line_filters", lambda self: [Monochrome()])
        app.screen.refresh()
        await pilot.pause()
        assert unreadable_cells(app, "truecolor")
