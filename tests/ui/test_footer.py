"""The footer at 80 columns: on every main screen the keys that matter, each with its
label and none cut off; what does not fit is still in the help overlay."""

from __future__ import annotations

import pytest

from c66tui.ui.screens.help import HelpScreen
from c66tui.ui.screens.jobs import JobsScreen
from c66tui.ui.screens.settings import SettingsScreen
from c66tui.ui.screens.stack_detail import StackDetailScreen
from c66tui.ui.widgets.key_footer import (
    ESSENTIAL,
    MODES,
    OTHER,
    SCREEN,
    FooterEntry,
    KeyFooter,
    fit_entries,
)
from tests.ui.rendering import screen_lines
from tests.ui.test_stacks_support import stacks_ready, wait_until
from tests.waiting import until_idle

PALETTE = "▏^p palette"


def footer_pieces(app) -> list[str]:
    """``"key label"`` of every key the footer laid out, left to right (palette last)."""
    footer = app.screen.query_one(KeyFooter)
    keys = sorted(footer.children, key=lambda key: key.region.x)
    return [f"{key.key_display} {key.description}".strip() for key in keys]


def assert_footer_whole(app, needed: list[str]) -> None:
    """The bottom line is exactly the laid-out keys, each whole, with ? and q at the end."""
    footer = app.screen.query_one(KeyFooter)
    width = app.size.width
    for key in footer.children:
        assert key.region.right <= width, f"{key.key_display} is cut off"
    pieces = footer_pieces(app)
    line = screen_lines(app)[-1]
    shown = [piece for piece in pieces if piece != "^p palette"]
    assert line.rstrip().removesuffix(PALETTE).rstrip() == " ".join(shown), line
    assert shown[-2:] == ["? Help", "q Quit"], line
    for piece in needed:
        assert piece in shown, f"{piece!r} missing from {line!r}"


async def open_main_screens(app, pilot):
    """Yield (name, screen) for stacks, stack detail, jobs and settings at 80x24."""
    screen = await stacks_ready(app, pilot)
    yield "stacks", screen
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, StackDetailScreen), what="detail")
    await wait_until(pilot, lambda: app.screen.loaded, what="detail loaded")
    yield "detail", app.screen
    await pilot.press("escape")
    await pilot.press("2")
    await wait_until(pilot, lambda: isinstance(app.screen, JobsScreen), what="jobs")
    await until_idle(pilot, app)
    yield "jobs", app.screen
    await pilot.press("3")
    await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen), what="settings")
    await until_idle(pilot, app)
    yield "settings", app.screen


NEEDED = {
    "stacks": ["⏎ Open", "r Redeploy", "/ Filter", "w Watch", "2 Jobs", "3 Settings"],
    "detail": ["esc Back", "r Redeploy", "c Cancel", "w Watch"],
    "jobs": ["s Stack", "x Run now"],
    "settings": ["] Next tab", "s Stack"],
}


async def test_footer_at_80_columns_on_every_main_screen(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        seen = []
        async for name, _screen in open_main_screens(app, pilot):
            await pilot.pause()
            assert_footer_whole(app, NEEDED[name])
            seen.append(name)
        assert seen == ["stacks", "detail", "jobs", "settings"]


async def test_keys_left_out_of_the_footer_are_in_the_help(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await stacks_ready(app, pilot)
        shown = footer_pieces(app)
        assert "^r Refresh" not in shown and "s Sort" not in shown
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        described = {row.description for row in app.screen.rows}
        assert {"Refresh", "Sort", "Favourite", "Mark", "Journal", "Redraw"} <= described


async def test_wider_terminals_show_more_keys(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await stacks_ready(app, pilot)
        pieces = footer_pieces(app)
        assert "^r Refresh" in pieces and pieces[-1] == "^p palette"
        assert_footer_whole(app, NEEDED["stacks"])


def entry(label: str, kind: int) -> FooterEntry:
    from textual.binding import Binding

    key, _, description = label.partition(" ")
    return FooterEntry(Binding(key, label, description), key, True, "", kind)


@pytest.mark.parametrize("width", [30, 45, 60, 80])
def test_fitting_drops_refresh_palette_modes_then_screen_keys(width):
    entries = [
        entry("r Redeploy", SCREEN),
        entry("/ Filter", SCREEN),
        entry("w Watch", SCREEN),
        entry("2 Jobs", MODES),
        entry("3 Settings", MODES),
        entry("^r Refresh", OTHER),
        entry("? Help", ESSENTIAL),
        entry("q Quit", ESSENTIAL),
    ]
    kept, palette = fit_entries(entries, width, True)
    labels = [e.binding.action for e in kept]
    total = sum(e.width + 1 for e in kept) + (11 if palette else 0)
    assert total <= width or labels == ["? Help", "q Quit"]
    assert labels[-2:] == ["? Help", "q Quit"]
    assert ("2 Jobs" in labels) == ("3 Settings" in labels)
    if "^r Refresh" in labels:
        assert palette and "2 Jobs" in labels
    if palette:
        assert "2 Jobs" in labels
    if "2 Jobs" in labels:
        assert labels[:3] == ["r Redeploy", "/ Filter", "w Watch"]
    if width == 80:
        assert (
            labels
            == ["r Redeploy", "/ Filter", "w Watch", "2 Jobs", "3 Settings", "? Help", "q Quit"]
            and palette
        )
