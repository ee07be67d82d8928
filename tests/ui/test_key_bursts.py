"""Keys typed ahead in one burst land where the user meant them, in order."""

from __future__ import annotations

from c66tui.ui.screens.jobs import JobsScreen
from c66tui.ui.widgets.filter_bar import FilterBar
from tests.ui.burst import key_of, queue_keys
from tests.ui.test_theme_contrast import settle
from tests.waiting import until

SPECIAL = {"enter": "\r", "escape": "\x1b", "tab": "\t"}


async def burst(app, pilot, keys) -> None:
    queue_keys(app, [key_of(k) if len(k) == 1 else (k, SPECIAL[k]) for k in keys])
    await until(
        pilot,
        lambda: not app.keys_waiting
        and not [w for w in app.workers if w.group == "key-bursts" and not w.is_finished],
        what="every key of the burst delivered and handled",
    )
    await pilot.pause()


async def test_filter_enter_then_sort_in_one_burst(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await burst(app, pilot, [*"/shop", "enter", "s"])
        bar = screen.query_one("#stacks-filter", FilterBar)
        assert bar.value == "shop"
        assert not bar.has_focus
        assert screen.table.sort_column == "env"  # the s sorted the list


async def test_jobs_screen_choose_stack_in_one_burst(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await burst(app, pilot, ["2", "s", *"billing", "enter"])
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, JobsScreen)
        chooser = screen.chooser
        assert chooser.stack is not None and chooser.stack.name.startswith("billing")
        assert not any(w.has_focus for w in chooser.query("Input"))
        assert screen.query_one("#jobs-table").has_focus


async def test_keys_behind_a_key_that_opens_a_dialog_go_to_the_dialog(app_factory, sandbox):
    from c66tui.ui.dialogs.redeploy import RedeployDialog

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        table = screen.table
        dev = next(uid for uid in table.visible_uids if not table.stacks[uid].is_production)
        table.move_to(dev)
        await pilot.pause()
        await burst(app, pilot, ["r", "escape", "j"])
        await settle(app, pilot)
        assert not isinstance(app.screen, RedeployDialog), "esc reached the dialog and closed it"
        assert app.screen is screen
        assert table.cursor_row == table.get_row_index(dev) + 1, "j moved the list afterwards"
