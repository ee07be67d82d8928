"""Redeploys from the keyboard against the sandbox: confirmation, typed production name,
double presses, lost answers, queued deploys, cancel, watches and the multi-stack queue."""

from __future__ import annotations

from textual import events
from textual.widgets import Button, Input

from c66tui.ops.deploy_state import SUCCESS
from c66tui.ops.redeploy import controller_for
from c66tui.sandbox.seed import DEPLOYING_STACK, HISTORY_STACK, MARKUP_STACK
from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.dialogs.deploy_queue import DeployQueueDialog
from c66tui.ui.dialogs.redeploy import RedeployDialog
from c66tui.ui.screens.journal import JournalScreen
from tests.ui.burst import key_of, queue_keys
from tests.ui.test_stacks_support import (
    Recorder,
    put_cursor,
    redeploy_posts,
    refreshed,
    requests,
    stacks_ready,
    uid_of,
    wait_until,
)
from tests.ui.timing import SLOW_ANSWER_CLIENT, SLOW_ANSWER_DELAY
from tests.waiting import until_idle


def journal_entries(app, kind: str = "redeploy"):
    return [e for e in app.services.journal.entries() if e.kind == kind]


async def open_dialog(app, pilot, screen, uid: str) -> RedeployDialog:
    await put_cursor(pilot, screen, uid)
    await pilot.press("r")
    await wait_until(pilot, lambda: isinstance(app.screen, RedeployDialog), what="dialog")
    await pilot.pause()
    return app.screen


async def test_confirm_sends_one_redeploy_journals_it_and_watches(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, MARKUP_STACK)  # staging: no typed name needed
        dialog = await open_dialog(app, pilot, screen, uid)
        # The dialog names the stack (literally), the environment, account and profile.
        text = " ".join(str(w.render()) for w in dialog.query(".fact-value"))
        assert MARKUP_STACK in text and "staging" in text
        owner = sandbox.sandbox.accounts[0].owner  # the account, never a guessed user
        assert f"account of {owner}" in text and "default" in text
        assert isinstance(app.focused, Button) and app.focused.id == "redeploy-cancel"
        await pilot.press("y")
        await wait_until(pilot, lambda: uid in screen.book, what="watch started")
        assert len(redeploy_posts(sandbox, MARKUP_STACK)) == 1
        entries = journal_entries(app)
        assert len(entries) == 1 and entries[0].outcome == "ok"
        assert entries[0].stack_uid == uid and entries[0].params["environment"] == "staging"
        assert record.saw("queued for redeployment")
        # The watch follows the deploy to its outcome, then a toast and a bell.
        sandbox.sandbox.finish_all()
        await refreshed(app, pilot, screen)
        watch = screen.book.get(uid)
        await wait_until(pilot, lambda: watch.done, what="watch finished")
        assert watch.phase == SUCCESS
        assert record.saw("deployed successfully") and record.bells >= 1


async def test_n_and_escape_cancel_without_sending(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, MARKUP_STACK)
        await open_dialog(app, pilot, screen, uid)
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen)
        await open_dialog(app, pilot, screen, uid)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        # Enter on the focused Cancel button cancels too.
        await open_dialog(app, pilot, screen, uid)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        await until_idle(pilot, app, sandbox)
        assert redeploy_posts(sandbox, MARKUP_STACK) == []
        assert journal_entries(app) == []
        assert not controller_for(app.services).is_claimed(uid)


async def test_production_requires_typing_the_stack_name(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, HISTORY_STACK)
        dialog = await open_dialog(app, pilot, screen, uid)
        typed = dialog.query_one("#redeploy-typed", Input)
        assert app.focused is typed  # the name field has the focus from the start
        assert typed.placeholder != HISTORY_STACK  # it never looks filled in
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is dialog  # not confirmed: the letter went into the name field
        assert typed.value == "y"
        await pilot.press("backspace", *"shop-backen", "enter")
        await pilot.pause()
        assert app.screen is dialog  # wrong name
        assert "not the stack's name" in str(dialog.query_one("#redeploy-problem").render())
        await pilot.press("d", "enter")
        await wait_until(pilot, lambda: len(redeploy_posts(sandbox, HISTORY_STACK)) == 1)
        await wait_until(pilot, lambda: app.screen is screen)


async def test_git_ref_and_services_are_sent_and_journalled(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, MARKUP_STACK)
        dialog = await open_dialog(app, pilot, screen, uid)
        dialog.query_one("#redeploy-ref", Input).focus()
        await pilot.press(*"v1.2.3", "tab", *"web,worker", "enter")
        await pilot.pause()
        # enter in a field moves to Redeploy; the next enter sends.
        assert dialog.focused is dialog.query_one("#redeploy-ok")
        assert redeploy_posts(sandbox, MARKUP_STACK) == []
        await pilot.press("enter")
        await wait_until(pilot, lambda: uid in screen.book, what="sent")
        details = sandbox.sandbox.details(sandbox.sandbox.stacks[uid])
        assert details.deployments[0].git_ref == "v1.2.3"
        assert details.deployments[0].services == ["web", "worker"]
        entry = journal_entries(app)[0]
        assert entry.params["git_ref"] == "v1.2.3"
        assert entry.params["services"] == ["web", "worker"]


async def test_double_press_and_auto_repeat_send_exactly_one_post(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, MARKUP_STACK)
        await put_cursor(pilot, screen, uid)
        # A burst of r (auto-repeat, delivered at once) opens one dialog.
        for _ in range(4):
            app.post_message(events.Key("r", "r"))
        await wait_until(pilot, lambda: isinstance(app.screen, RedeployDialog))
        await pilot.pause()
        assert sum(isinstance(s, RedeployDialog) for s in app.screen_stack) == 1
        # From the first press on, the stack's redeploy key is disabled (greyed out), so
        # the rest of the burst is swallowed by the key binding itself.
        assert screen.check_action("redeploy", ()) is None
        await pilot.press("y", "y", "r", "r")
        await wait_until(pilot, lambda: uid in screen.book, what="sent")
        await pilot.press("r", "r")
        await until_idle(pilot, app, sandbox)
        assert not isinstance(app.screen, RedeployDialog)
        assert len(redeploy_posts(sandbox, MARKUP_STACK)) == 1
        assert len(journal_entries(app)) == 1
        # A press on the greyed key says why.
        assert (
            record.saw("already waiting for confirmation")
            or record.saw("already being sent")
            or record.saw("just sent")
        )


async def test_key_does_nothing_while_the_post_is_in_flight(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, MARKUP_STACK)
        sandbox.sandbox.inject_fault(f"/stacks/{uid}/deployments", method="POST", delay=1.0)
        await open_dialog(app, pilot, screen, uid)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.services.is_in_flight(f"redeploy:{uid}"))
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, RedeployDialog)
        assert record.saw("already being sent")
        await wait_until(pilot, lambda: uid in screen.book, timeout=10, what="answer")
        assert len(redeploy_posts(sandbox, MARKUP_STACK)) == 1


async def test_timeout_after_sending_is_outcome_unknown_and_never_resent(app_factory, sandbox):
    app = app_factory(client_kwargs=SLOW_ANSWER_CLIENT)
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, MARKUP_STACK)
        sandbox.sandbox.inject_fault(
            f"/stacks/{uid}/deployments", method="POST", delay=SLOW_ANSWER_DELAY,
        )
        await open_dialog(app, pilot, screen, uid)
        await pilot.press("y")
        await wait_until(pilot, lambda: record.saw("no answer arrived"), timeout=10)
        entries = journal_entries(app)
        assert len(entries) == 1 and entries[0].outcome == "unknown"
        # The check against the deployments list found the deploy the request started.
        assert "check: found deployment" in entries[0].detail
        assert record.saw("NOT sent again")
        await until_idle(pilot, app, sandbox)  # the late answer included
        assert len(redeploy_posts(sandbox, MARKUP_STACK)) == 1
        # The found deployment is watched.
        assert uid in screen.book


async def test_already_deploying_asks_again_and_queues(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, DEPLOYING_STACK)
        dialog = await open_dialog(app, pilot, screen, uid)
        dialog.query_one("#redeploy-typed", Input).focus()
        await pilot.press(*DEPLOYING_STACK, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="ask again")
        question = " ".join(str(w.render()) for w in app.screen.query(".dialog-line"))
        assert "queue another" in question
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert redeploy_posts(sandbox, DEPLOYING_STACK) == []
        # Again, and this time yes: Cloud 66 queues it (a production stack: its name
        # is typed again, once the follow-up's guard time is over).
        dialog = await open_dialog(app, pilot, screen, uid)
        await pilot.press(*DEPLOYING_STACK, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await wait_until(pilot, lambda: not app.screen.guarded, what="guard over")
        await pilot.press(*DEPLOYING_STACK, "enter")
        await wait_until(pilot, lambda: len(redeploy_posts(sandbox, DEPLOYING_STACK)) == 1)
        await wait_until(pilot, lambda: record.saw("queued behind"), what="queued notice")


async def test_cancel_running_deploy_after_confirmation(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, DEPLOYING_STACK)
        await put_cursor(pilot, screen, uid)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen)
        assert requests(sandbox, "DELETE", "/deployments/") == []
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: len(requests(sandbox, "DELETE", "/deployments/")) == 1)
        await wait_until(pilot, lambda: bool(journal_entries(app, "cancel")))
        await wait_until(pilot, lambda: journal_entries(app, "cancel")[0].outcome == "ok")
        await refreshed(app, pilot, screen)
        watch = screen.book.get(uid)
        await wait_until(pilot, lambda: watch is not None and watch.done, what="cancelled")
        assert watch.phase == "cancelled"


async def test_watch_a_deploy_that_was_already_running(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        record = Recorder(app)
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, DEPLOYING_STACK)
        await put_cursor(pilot, screen, uid)
        await pilot.press("w")
        await wait_until(pilot, lambda: screen.book.get(uid).deployment_id is not None)
        watch = screen.book.get(uid)
        assert watch.phase in ("deploying", "queued") and watch.typical
        panel = str(screen.query_one("#deploy-watch").render())
        assert DEPLOYING_STACK in panel and "typ." in panel
        sandbox.sandbox.finish_all()
        await refreshed(app, pilot, screen)
        await wait_until(pilot, lambda: watch.done)
        assert record.saw("deployed successfully") and record.bells == 1


async def test_marked_queue_runs_serially_and_stops_on_first_failure(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        table = screen.table
        staging = [u for u in table.visible_uids if table.stacks[u].environment == "staging"]
        chosen = [u for u in staging if not table.stacks[u].is_deploying][:3]
        for uid in chosen:
            await put_cursor(pilot, screen, uid)
            await pilot.press("space")
        sandbox.sandbox.fail_next("deploy", chosen[1], "assets failed to compile")
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, DeployQueueDialog))
        await pilot.press("y")

        def posts(uid):
            return requests(sandbox, "POST", f"/stacks/{uid}/deployments")

        await wait_until(pilot, lambda: len(posts(chosen[0])) == 1, what="first sent")
        assert posts(chosen[1]) == []  # serial: the second waits for the first
        await wait_until(pilot, lambda: chosen[0] in screen.book)
        sandbox.sandbox.finish_all()
        await refreshed(app, pilot, screen)
        await wait_until(pilot, lambda: len(posts(chosen[1])) == 1, what="second sent")
        await wait_until(pilot, lambda: chosen[1] in screen.book)
        sandbox.sandbox.finish_all()
        await refreshed(app, pilot, screen)
        await wait_until(
            pilot,
            lambda: all(w.is_finished for w in app.workers if w.group == "redeploy-queue"),
            what="queue stopped",
        )
        assert posts(chosen[2]) == []
        line = str(screen.query_one("#deploy-watch").render())
        assert "Queue 1/3" in line and "stopped" in line and "skipped" in line


async def test_pending_journal_entry_is_shown_as_outcome_unknown_after_restart(
    app_factory, sandbox, isolated_dirs
):
    from c66tui.ops.journal import Journal

    uid = uid_of(sandbox, MARKUP_STACK)
    journal = Journal(isolated_dirs["state"] / "journal.jsonl")
    entry_id = journal.begin("redeploy", "default", uid, MARKUP_STACK, {"git_ref": "main"})
    # The request did reach Cloud 66 before the SSH link dropped.
    sandbox.sandbox.redeploy(sandbox.sandbox.stacks[uid], user="ops@example.com")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        await wait_until(pilot, lambda: entry_id in screen.journal_checks, what="checked")
        banner = str(screen.query_one("#stacks-banner").render())
        assert "Outcome unknown" in banner and MARKUP_STACK in banner
        assert "found deployment" in screen.journal_checks[entry_id]
        await pilot.press("J")
        await wait_until(pilot, lambda: isinstance(app.screen, JournalScreen))
        journal_screen = app.screen
        await wait_until(pilot, lambda: entry_id in journal_screen.entries)
        row = journal_screen.query_one("#journal-table").get_row(entry_id)
        assert "unknown" in row[3].plain
        detail = str(journal_screen.query_one("#journal-detail").render())
        assert "Outcome unknown" in detail and "found deployment" in detail
    # Nothing was sent by the app itself.
    assert len(redeploy_posts(sandbox, MARKUP_STACK)) == 0


def mark_production_and_other(screen):
    """A quiet production stack and a quiet other one, production first."""
    table = screen.table
    quiet = [u for u in table.visible_uids if not table.stacks[u].is_deploying]
    chosen = [next(u for u in quiet if table.stacks[u].is_production)]
    chosen.append(next(u for u in quiet if not table.stacks[u].is_production))
    return chosen


async def test_marked_queue_with_production_needs_the_name_typed(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        chosen = mark_production_and_other(screen)
        for uid in chosen:
            await put_cursor(pilot, screen, uid)
            await pilot.press("space")
        production = screen.table.stacks[chosen[0]]
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, DeployQueueDialog))
        dialog = app.screen
        field = dialog.query_one("#queue-typed", Input)
        # Like the redeploy of one production stack: the name field has the focus, its
        # placeholder is not the name, and y and n are letters of the name.
        assert dialog.has_production and dialog.focused is field
        assert production.name not in field.placeholder
        await pilot.press("y", "n")
        assert isinstance(app.screen, DeployQueueDialog) and field.value == "yn"
        # enter with the wrong text says why and stays open; letters typed while the
        # focus is on a button still go to the field.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DeployQueueDialog)
        assert "is not what to type" in str(dialog.query_one("#queue-problem").render())
        assert dialog.focused is field
        await pilot.press("backspace", "backspace")
        dialog.query_one("#queue-cancel", Button).focus()
        await pilot.press(*production.name[:2])
        assert field.value == production.name[:2] and dialog.focused is field
        assert requests(sandbox, "POST", "/deployments") == []
        # The right name, then enter: the queue starts with the first stack of the plan.
        first, second = (stack.uid for stack in dialog.stacks)
        assert {first, second} == set(chosen)
        await pilot.press(*production.name[2:], "enter")
        await wait_until(
            pilot,
            lambda: len(requests(sandbox, "POST", f"/stacks/{first}/deployments")) == 1,
            what="first sent",
        )
        assert requests(sandbox, "POST", f"/stacks/{second}/deployments") == []


async def test_queue_key_name_and_enter_in_one_burst_start_the_queue(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        chosen = mark_production_and_other(screen)
        for uid in chosen:
            await put_cursor(pilot, screen, uid)
            await pilot.press("space")
        production = screen.table.stacks[chosen[0]]
        # r, the production stack's name and enter read together from a laggy link.
        queue_keys(app, [key_of("r"), *map(key_of, production.name), ("enter", "\r")])
        await wait_until(
            pilot,
            lambda: len(requests(sandbox, "POST", "/deployments")) >= 1,
            what="the queue's first redeploy sent",
        )
        first = next(u for u in chosen if requests(sandbox, "POST", f"/stacks/{u}/deployments"))
        assert len(requests(sandbox, "POST", "/deployments")) == 1
        assert first in chosen
