"""Confirmations that cannot be answered by accident: a follow-up confirmation refuses
keys for a moment after it opens, and a typed confirmation takes every letter, says why
a wrong name does not confirm, and works the same in one burst as key by key."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Button, Input

from c66tui.sandbox.seed import DEPLOYING_STACK, HISTORY_STACK, MARKUP_STACK
from c66tui.ui.dialogs.confirm import FOLLOW_UP_GUARD, TYPED_PLACEHOLDER, ConfirmDialog
from c66tui.ui.dialogs.redeploy import RedeployDialog
from tests.ui.burst import key_of, queue_keys
from tests.ui.test_confirm_dialog import Host
from tests.ui.test_redeploy import open_dialog
from tests.ui.test_settings_support import (  # noqa: F401 - fixture
    PRODUCTION_STACK,
    fast_action_polls,
    open_settings,
)
from tests.ui.test_stacks_support import (
    put_cursor,
    redeploy_posts,
    stacks_ready,
    uid_of,
    wait_until,
)
from tests.waiting import until_idle


def start_deploy(sandbox, uid: str) -> None:
    """A deploy started by someone else (not through the API log)."""
    world = sandbox.sandbox
    if not world.stacks[uid].busy:
        world.redeploy(world.stacks[uid], user="someone@example.com")


def hint_of(dialog) -> str:
    return str(dialog.query_one("#confirm-hint").render())


async def _busy_question(app, pilot, screen, sandbox, name: str) -> ConfirmDialog:
    """Start a deploy of ``name`` on the server, then ``r`` and confirm it in the app."""
    uid = uid_of(sandbox, name)
    start_deploy(sandbox, uid)  # running now: the app's redeploy would be queued
    before = len(redeploy_posts(sandbox, name))
    dialog = await open_dialog(app, pilot, screen, uid)
    if dialog.stack.is_production:
        await pilot.press(*dialog.typed_name, "enter")
    else:
        await pilot.press("y")
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="ask again")
    assert len(redeploy_posts(sandbox, name)) == before
    return app.screen


# -- follow-up guard ------------------------------------------------------------------


async def test_a_second_y_right_after_the_queue_question_opens_does_nothing(
    app_factory, sandbox
):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        question = await _busy_question(app, pilot, screen, sandbox, MARKUP_STACK)
        assert question.guarded and "wait" in hint_of(question)
        await pilot.press("y")  # the repeated y of "r y y"
        await pilot.pause()
        assert app.screen is question and question.guarded
        assert redeploy_posts(sandbox, MARKUP_STACK) == []
        assert question.query_one("#confirm-ok", Button).disabled
        # Once the guard time is over, y answers it.
        await wait_until(pilot, lambda: not question.guarded, timeout=FOLLOW_UP_GUARD + 3)
        assert "y confirm" in hint_of(question)
        await pilot.press("y")
        await wait_until(pilot, lambda: len(redeploy_posts(sandbox, MARKUP_STACK)) == 1)


async def test_r_y_y_in_one_burst_sends_nothing_on_a_deploying_stack(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, MARKUP_STACK)
        start_deploy(sandbox, uid)
        await put_cursor(pilot, screen, uid)
        queue_keys(app, [key_of("r"), key_of("y"), key_of("y")])
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="ask again")
        queue_keys(app, [key_of("y")])  # ~100 ms later, as a key repeat would
        await until_idle(pilot, app, sandbox, waiting=("redeploy-",))
        assert redeploy_posts(sandbox, MARKUP_STACK) == []
        assert isinstance(app.screen, ConfirmDialog)


async def test_queueing_a_second_deploy_of_production_needs_the_name_again(
    app_factory, sandbox
):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        question = await _busy_question(app, pilot, screen, sandbox, DEPLOYING_STACK)
        assert question.require_typed == DEPLOYING_STACK
        await wait_until(pilot, lambda: not question.guarded, timeout=FOLLOW_UP_GUARD + 3)
        await pilot.press("y", "enter")  # y is a letter of the name field now
        await pilot.pause()
        assert app.screen is question
        assert "not it" in str(question.query_one("#confirm-problem").render())
        assert redeploy_posts(sandbox, DEPLOYING_STACK) == []
        await pilot.press("backspace", *DEPLOYING_STACK, "enter")
        await wait_until(pilot, lambda: len(redeploy_posts(sandbox, DEPLOYING_STACK)) == 1)


async def test_escape_cancels_even_while_guarded():
    app = Host(ConfirmDialog("Queue?", ["x"], guard=5.0))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("y", "enter")
        await pilot.pause()
        assert app.answers == []
        await pilot.press("escape")
        await pilot.pause()
    assert app.answers == [False]


# -- typed confirmation ---------------------------------------------------------------


async def test_letters_always_go_to_the_typed_field_and_enter_says_why_not():
    app = Host(ConfirmDialog("Delete?", [Text("x")], require_typed="api-prod", danger=True))
    async with app.run_test() as pilot:
        await pilot.pause()
        field = app.dialog.query_one("#confirm-typed", Input)
        assert app.focused is field and field.placeholder == TYPED_PLACEHOLDER
        app.dialog.query_one("#confirm-cancel", Button).focus()
        await pilot.pause()
        await pilot.press(*"api-pro")  # n would cancel, y confirm: both are letters here
        await pilot.pause()
        assert field.value == "api-pro" and app.answers == []
        await pilot.press("enter")
        await pilot.pause()
        assert app.answers == [] and "type api-prod exactly" in str(
            app.dialog.query_one("#confirm-problem").render()
        )
        await pilot.press("d", "enter")
        await pilot.pause()
    assert app.answers == [True]


async def test_production_redeploy_typed_in_one_burst_sends_once(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, HISTORY_STACK)
        await put_cursor(pilot, screen, uid)
        # r, the name and enter in one burst, as the README says to type them.
        queue_keys(app, [key_of(ch) for ch in "r" + HISTORY_STACK] + [("enter", "\r")])
        await wait_until(pilot, lambda: len(redeploy_posts(sandbox, HISTORY_STACK)) == 1)
        await wait_until(pilot, lambda: app.screen is screen, what="back on the list")
        await until_idle(pilot, app, sandbox)
        assert len(redeploy_posts(sandbox, HISTORY_STACK)) == 1
        assert screen.table.cursor_stack.uid == uid  # no leftover letter moved the list


async def test_production_redeploy_dialog_focuses_the_name_field(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        dialog = await open_dialog(app, pilot, screen, uid_of(sandbox, HISTORY_STACK))
        assert isinstance(dialog, RedeployDialog)
        field = dialog.query_one("#redeploy-typed", Input)
        assert app.focused is field and field.placeholder != HISTORY_STACK
        dialog.query_one("#redeploy-cancel", Button).focus()
        await pilot.press(*"shop")  # letters still reach the name field
        assert field.value == "shop" and app.screen is dialog


async def test_maintenance_on_production_needs_the_name_typed(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot, app, stack_name=PRODUCTION_STACK)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        confirm = app.screen
        assert confirm.require_typed == PRODUCTION_STACK
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is confirm  # y is a letter of the name
        stack = sandbox.sandbox.find_stack(PRODUCTION_STACK)
        assert stack.maintenance is False


async def test_keys_that_reach_a_dialog_still_opening_go_to_its_field_in_order():
    from textual import events
    from textual.app import App

    answers: list[bool] = []

    class Bare(App):
        pass

    app = Bare()
    async with app.run_test() as pilot:
        dialog = ConfirmDialog("Delete?", ["x"], require_typed="api-prod")
        app.push_screen(dialog, answers.append)
        # Handed to the screen itself before anything in it has the focus, as Textual
        # does with keys read while a dialog is being pushed.
        for name, char in [*(key_of(ch) for ch in "api-prox"), ("backspace", None)]:
            dialog._forward_event(events.Key(name, char))
        for name, char in [key_of("d"), ("enter", "\r")]:
            dialog._forward_event(events.Key(name, char))
        await pilot.pause()
        await pilot.pause()
    assert answers == [True]
