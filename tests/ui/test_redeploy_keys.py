"""The redeploy and cancel keys are visibly disabled (greyed in the footer, and they do
nothing but say why) while that stack's request is being sent, on the list and on the
detail; they come back once the answer is in and the short cool-down has passed."""

from __future__ import annotations

from c66tui.ops.redeploy import controller_for
from c66tui.sandbox.seed import DEPLOYING_STACK, HISTORY_STACK, MARKUP_STACK
from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.dialogs.redeploy import RedeployDialog
from tests.ui.burst import key_of, queue_keys
from tests.ui.test_redeploy import open_dialog
from tests.ui.test_stack_detail import open_detail
from tests.ui.test_stacks_support import (
    Recorder,
    put_cursor,
    redeploy_posts,
    requests,
    stacks_ready,
    uid_of,
    wait_until,
)
from tests.waiting import until_idle


def footer_key(screen, key: str):
    """The footer's key ``key`` on ``screen`` (``None`` when it is not shown)."""
    return next((k for k in screen.query("FooterKey") if k.key == key), None)


def greyed(screen, key: str) -> bool:
    """The key is shown, but disabled: in the active bindings and in the footer."""
    active = screen.active_bindings.get(key)
    shown = footer_key(screen, key)
    return (
        active is not None
        and not active.enabled
        and shown is not None
        and shown.has_class("-disabled")
    )


def enabled(screen, key: str) -> bool:
    active = screen.active_bindings.get(key)
    shown = footer_key(screen, key)
    return (
        active is not None
        and active.enabled
        and shown is not None
        and not shown.has_class("-disabled")
    )


async def test_list_greys_the_redeploy_key_of_the_stack_being_sent(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        controller_for(app.services).cooldown = 0.5
        uid = uid_of(sandbox, MARKUP_STACK)
        other = uid_of(sandbox, HISTORY_STACK)
        sandbox.sandbox.inject_fault(f"/stacks/{uid}/deployments$", method="POST", delay=1.5)
        await open_dialog(app, pilot, screen, uid)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.services.is_in_flight(f"redeploy:{uid}"))
        await wait_until(pilot, lambda: greyed(screen, "r"), what="r greyed in the footer")
        # Pressed anyway: nothing opens, nothing is sent, and it says why.
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, RedeployDialog)
        assert record.saw(f"{MARKUP_STACK}: a redeploy of this stack is already being sent")
        # Only that stack: another one under the cursor can be redeployed.
        await put_cursor(pilot, screen, other)
        await wait_until(pilot, lambda: enabled(screen, "r"), what="r enabled for another")
        await put_cursor(pilot, screen, uid)
        await wait_until(pilot, lambda: greyed(screen, "r"))
        # After the answer and the cool-down, the key comes back by itself.
        await wait_until(pilot, lambda: uid in screen.book, timeout=10, what="answer")
        await wait_until(pilot, lambda: enabled(screen, "r"), what="r enabled again")
        assert len(redeploy_posts(sandbox, MARKUP_STACK)) == 1


async def test_detail_greys_redeploy_and_cancel_while_they_are_sent(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        controller_for(app.services).cooldown = 0.5
        detail = await open_detail(app, pilot, sandbox, DEPLOYING_STACK)
        uid = detail.stack.uid
        assert enabled(detail, "r") and enabled(detail, "c")
        sandbox.sandbox.inject_fault(r"/deployments/\d+$", method="DELETE", delay=1.5)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: app.services.is_in_flight(f"cancel:{uid}"))
        await wait_until(pilot, lambda: greyed(detail, "c"), what="c greyed")
        assert enabled(detail, "r")  # a cancel in flight does not block a redeploy
        await pilot.press("c")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert record.saw("a cancel of this stack is already being sent")
        await wait_until(pilot, lambda: enabled(detail, "c"), timeout=10, what="c back")
        assert len(requests(sandbox, "DELETE", "/deployments/")) == 1

        sandbox.sandbox.inject_fault(f"/stacks/{uid}/deployments$", method="POST", delay=1.5)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, RedeployDialog))
        await pilot.press(*DEPLOYING_STACK, "enter")  # production: the name is typed
        await wait_until(
            pilot, lambda: app.screen is detail or isinstance(app.screen, ConfirmDialog)
        )
        if isinstance(app.screen, ConfirmDialog):  # still deploying: queue another
            await wait_until(pilot, lambda: not app.screen.guarded, what="guard over")
            await pilot.press(*DEPLOYING_STACK, "enter")
        await wait_until(pilot, lambda: app.services.is_in_flight(f"redeploy:{uid}"))
        await wait_until(pilot, lambda: greyed(detail, "r"), what="r greyed")
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, RedeployDialog)
        assert record.saw("a redeploy of this stack is already being sent")
        await wait_until(pilot, lambda: enabled(detail, "r"), timeout=10, what="r back")
        assert len(redeploy_posts(sandbox, DEPLOYING_STACK)) == 1


# -- split escape sequences ------------------------------------------------------------

SPLIT_SEQUENCES = [
    "[A",  # cursor up
    "[B",
    "[C",
    "[D",
    "OA",  # cursor up, application mode
    "[5~",  # page up
    "[12;40R",  # a cursor position report
    "[?2026;1$y",  # a mode report (ends in y, the confirm key)
]


async def deliver_split(app, pilot, tail: str, *, gap: float) -> None:
    """ESC, then each byte of ``tail`` as its own key event, as a laggy link can split
    an escape sequence; ``gap`` seconds between them (0: all at once)."""
    for key in [("escape", "\x1b"), *map(key_of, tail)]:
        queue_keys(app, [key])
        if gap:
            await pilot.pause(gap)
    await pilot.pause()
    await pilot.pause()


def record_answers(dialog) -> list:
    """What ``dialog`` answers (a request to send, or ``None`` for cancel), as it does."""
    answers: list = []
    dismiss = dialog.dismiss

    def recorded(result=None):
        answers.append(result)
        return dismiss(result)

    dialog.dismiss = recorded
    return answers


async def back_to_list(app, pilot, screen) -> None:
    """Undo what the stray bytes did harmlessly: digits switch screens, "?" opens help."""
    while len(app.screen_stack) > 1:
        app.pop_screen()
        await pilot.pause()
    if app.screen is not screen:
        await app.switch_mode("stacks")
        await pilot.pause()
    assert app.screen is screen


async def test_split_escape_sequences_on_the_list_never_redeploy(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, MARKUP_STACK)
        for tail in SPLIT_SEQUENCES:
            for gap in (0, 0.05):
                await put_cursor(pilot, screen, uid)
                await deliver_split(app, pilot, tail, gap=gap)
                assert not any(isinstance(s, RedeployDialog) for s in app.screen_stack), tail
                await back_to_list(app, pilot, screen)
        await until_idle(pilot, app, sandbox)
        assert requests(sandbox, "POST", "/deployments") == []
        assert app.services.journal.entries() == []


async def test_split_escape_sequences_in_the_dialog_cancel_and_never_confirm(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, MARKUP_STACK)  # staging: y alone would confirm
        for tail in SPLIT_SEQUENCES:
            for gap in (0, 0.05):
                dialog = await open_dialog(app, pilot, screen, uid)
                answers = record_answers(dialog)
                await deliver_split(app, pilot, tail, gap=gap)
                await wait_until(pilot, lambda d=dialog: not d.is_attached, what="cancelled")
                assert answers == [None], tail  # cancelled by the ESC, never confirmed
                await back_to_list(app, pilot, screen)
                assert controller_for(app.services).busy_reason(uid) is None  # nothing sent
        await until_idle(pilot, app, sandbox)
        assert redeploy_posts(sandbox, MARKUP_STACK) == []
        assert app.services.journal.entries() == []
