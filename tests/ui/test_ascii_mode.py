"""ASCII-only mode: screens and dialogs put nothing but ASCII on the terminal, with
ASCII borders drawn by design (not only translated) and ``|`` separators."""

from __future__ import annotations

from c66tui.ui.ascii_filter import ascii_char, ascii_text
from c66tui.ui.dialogs.redeploy import RedeployDialog
from c66tui.ui.screens.help import HelpScreen
from c66tui.ui.screens.settings import SettingsScreen
from c66tui.ui.screens.stack_detail import StackDetailScreen
from c66tui.ui.widgets.settings_tabs.common import ASCII_MASK, separator
from tests.ui.rendering import screen_lines, screen_text
from tests.ui.test_settings_prefs import edit_row
from tests.ui.test_settings_support import open_settings, settle, table_rows, type_text
from tests.ui.test_stacks_support import put_cursor, stacks_ready, uid_of, wait_until
from tests.waiting import until_idle


def non_ascii(text: str) -> set[str]:
    return {char for char in text if not char.isascii()}


def box_top(lines: list[str], title: str) -> str:
    return next(line for line in lines if title in line).strip()


async def test_ascii_mode_screens_and_dialogs_are_pure_ascii(app_factory, sandbox):
    app = app_factory(preferences={"ascii_only": True})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await stacks_ready(app, pilot)
        assert app.has_class("-ascii-only")
        text = screen_text(app)
        assert not non_ascii(text), non_ascii(text)
        lines = text.splitlines()
        assert " | " in lines[0] and "[DEVELOPMENT]" in lines[0]
        assert "enter Open" in lines[-1] and "q Quit" in lines[-1]

        await put_cursor(pilot, screen, uid_of(sandbox, "checkout-web"))  # production
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, RedeployDialog), what="dialog")
        await wait_until(pilot, lambda: "Redeploy stack?" in screen_text(app), what="dialog drawn")
        await until_idle(pilot, app, sandbox, waiting=("redeploy-",))
        text = screen_text(app)
        assert not non_ascii(text), non_ascii(text)
        top = box_top(text.splitlines(), "Redeploy stack?")
        assert top.startswith("+- Redeploy stack? -") and top.endswith("-+"), top
        assert "PRODUCTION" in text and "Cancel" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="dialog closed")

        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StackDetailScreen), what="detail")
        await wait_until(pilot, lambda: app.screen.loaded, what="detail loaded")
        assert not non_ascii(screen_text(app))

        await pilot.press("escape", "question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        await wait_until(pilot, lambda: "Keys: Stacks" in screen_text(app), what="help drawn")
        text = screen_text(app)
        assert not non_ascii(text), non_ascii(text)
        assert box_top(text.splitlines(), "Keys: Stacks").startswith("+- Keys: Stacks -")

        await pilot.press("escape", "3")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen), what="settings")
        await until_idle(pilot, app, sandbox)
        assert not non_ascii(screen_text(app))


async def test_without_ascii_mode_the_usual_glyphs_are_drawn(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await stacks_ready(app, pilot)
        assert not app.has_class("-ascii-only")
        lines = screen_lines(app)
        assert " │ " in lines[0] and "⏎ Open" in lines[-1]
        await put_cursor(pilot, screen, uid_of(sandbox, "checkout-web"))
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, RedeployDialog), what="dialog")
        await wait_until(pilot, lambda: "Redeploy stack?" in screen_text(app), what="dialog drawn")
        await until_idle(pilot, app, sandbox, waiting=("redeploy-",))
        assert box_top(screen_lines(app), "Redeploy stack?").startswith("█▀ Redeploy stack?")


async def test_ascii_flag_holds_for_the_whole_run_after_a_settings_save(app_factory, sandbox):
    """``--ascii`` is for this run only (never saved): a preference saved meanwhile loads
    the config file again, which does not have it; masks and separators stay ASCII."""
    app = app_factory()
    app.services.preferences.ascii_only = True  # what --ascii does before the app starts
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, app, tab="prefs", stack_name=None)
        assert app.ascii_only
        await edit_row(pilot, app, "refresh_seconds")
        await type_text(pilot, "90")
        await pilot.press("enter")
        await settle(pilot, app)
        prefs = app.services.preferences
        assert (prefs.refresh_seconds, prefs.ascii_only) == (90, False)  # the file's
        assert separator(app) == " | "
        await pilot.press("1")
        await wait_until(pilot, lambda: not isinstance(app.screen, SettingsScreen))
        screen = await open_settings(pilot, app, tab="env")
        rows = table_rows(screen.tab("env").table)
        assert any(row[1] == ASCII_MASK for row in rows), rows


def test_translation_keeps_every_cell():
    samples = "╭─┬─╮│┼╯█▀▄▁▔▏▐ ✓✗·…▲▼▶ é ß ⏎ 中"
    translated = ascii_text(samples)
    assert translated.isascii()
    from rich.cells import cell_len

    assert cell_len(translated) == cell_len(samples)
    assert ascii_text("╭─ Keys ─╮") == "+- Keys -+"
    assert ascii_text("José · 2 servers…") == "Jose - 2 servers~"
    assert ascii_char("中") == "??" and ascii_char("\u0301") == ""
