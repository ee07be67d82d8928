"""Redeploy, the redeploy queue, watches and cancel on the stacks screen (a mixin of
:class:`StacksScreen`).

``r`` redeploys the stack under the cursor after the confirmation dialog (the marked
stacks, as a queue that checks each stack itself); ``w`` follows a stack's deploy; ``c``
cancels a running deploy after asking. Redeploy and cancel are greyed out when not
allowed, and while the stack they would act on has a write of that kind being confirmed,
sent or just sent. A finished watch is announced (with a bell). The mixin expects the
screen's ``table``, ``services``, ``book``, ``controller`` and status helpers.
"""

from __future__ import annotations

from rich.text import Text
from textual.css.query import NoMatches

from c66tui.api.models import Stack
from c66tui.ops import clock
from c66tui.ops.deploy_state import CANCELLED, SUCCESS, DeployWatch
from c66tui.ops.redeploy import Preflight, QueueRunner, SendOutcome
from c66tui.text import sanitize, short_duration
from c66tui.ui.widgets.deploy_watch import DeployWatchPanel, queue_line
from c66tui.ui.write_keys import write_key_state


class StacksWrites:
    """Redeploy (one stack or a queue), watch and cancel; see the module docstring."""

    # -- permissions --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Redeploy and cancel are greyed out when not allowed, and while the stack they
        would act on has a write of that kind being confirmed, sent or just sent."""
        if action in ("redeploy", "cancel_deploy"):
            try:
                table = self.table
            except NoMatches:  # asked before the table is composed
                return None
            if action == "cancel_deploy":
                stack = self._cancel_target()
            else:  # marked stacks run as a queue, which checks each stack itself
                stack = None if table.marks else table.cursor_stack
            return write_key_state(self, action, stack)
        return True

    # -- redeploy -----------------------------------------------------------------

    def action_redeploy(self) -> None:
        """``r``: redeploy the stack under the cursor, or the marked stacks as a queue."""
        # deferred: not needed for the first frame
        from c66tui.ui.dialogs.redeploy import open_redeploy_dialog, skip_when_typing

        skip_when_typing(self)
        reason = self.services.permission("redeploy")
        if reason:
            self.notify(f"Redeploy is disabled: {reason}.", severity="warning", markup=False)
            return
        marked = self.table.marked_stacks
        if marked:
            self._start_queue(marked)
            return
        stack = self.table.cursor_stack
        if stack is None:
            return
        controller = self.controller
        if not controller.claim(stack.uid):
            why = controller.busy_reason(stack.uid) or "already sending"
            self.notify(
                f"{sanitize(stack.name)}: {why}.", severity="warning", markup=False, timeout=3
            )
            return
        answer = open_redeploy_dialog(self, stack)  # now: keys typed next reach it
        self.run_worker(
            self._redeploy(stack, answer), group=f"redeploy-{stack.uid}", exit_on_error=False
        )

    async def _redeploy(self, stack: Stack, answer) -> None:
        # deferred: not needed for the first frame
        from c66tui.ui.dialogs.redeploy import redeploy_flow

        outcome = await redeploy_flow(self, stack, answer)
        if outcome is not None and outcome.status in ("ok", "unknown"):
            self._update_running_notice()
            self.set_timer(1.0, self._fast_due)

    def _start_queue(self, stacks: list[Stack]) -> None:
        # deferred: not needed for the first frame
        from c66tui.ui.dialogs.deploy_queue import open_queue_dialog

        if self._queue_running:
            self.notify("A redeploy queue is already running.", severity="warning")
            return
        self._queue_running = True
        answer = open_queue_dialog(self, stacks)  # now: keys typed next reach it
        self.run_worker(self._queue(stacks, answer), group="redeploy-queue", exit_on_error=False)

    async def _queue(self, stacks: list[Stack], answer) -> None:
        # deferred: not needed for the first frame
        from c66tui.ui.dialogs.redeploy import start_watch

        panel = self.query_one("#deploy-watch", DeployWatchPanel)
        try:
            request = await answer
            if request is None:
                return
            self.table.clear_marks()
            self._render_status()
            runner: QueueRunner

            def progress(_item) -> None:
                panel.set_queue_line(queue_line(runner.items, runner.stopped_reason))

            def watch(pre: Preflight, outcome: SendOutcome) -> DeployWatch:
                found = start_watch(self.services, pre, outcome.sent_at)
                self.set_timer(1.0, self._fast_due)
                return found

            runner = QueueRunner(
                self.controller,
                stacks,
                request,
                confirm_busy=self._confirm_busy,
                watch=watch,
                on_progress=progress,
            )
            items = await runner.run()
            done = sum(1 for item in items if item.state == SUCCESS)
            if done == len(items):
                self.notify(f"Queue finished: {done} stacks deployed.", title="Redeploy queue")
            else:
                self.notify(
                    f"Queue stopped after {done} of {len(items)}: {runner.stopped_reason}.",
                    title="Redeploy queue",
                    severity="error",
                    markup=False,
                )
            self.app.bell()
        finally:
            self._queue_running = False

    async def _confirm_busy(self, stack: Stack) -> bool:
        # deferred: not needed for the first frame
        from c66tui.ui.dialogs.redeploy import busy_confirmation

        lines: list[Text | str] = [
            Text(sanitize(stack.name), style="bold"),
            f"Environment: {sanitize(stack.environment)}",
            f"The stack is {stack.status_name} right now.",
            "Cloud 66 will queue another deploy to run after it.",
            "Queue another deploy and continue the queue?",
        ]
        return bool(await self.app.push_screen_wait(busy_confirmation(stack, lines)))

    # -- watch and cancel ---------------------------------------------------------

    def action_watch(self) -> None:
        """``w``: follow the stack's deploy (or stop following it)."""
        stack = self.table.cursor_stack
        if stack is None:
            return
        if stack.uid in self.book:
            self.book.remove(stack.uid)
            self.notify(f"Stopped watching {sanitize(stack.name)}.", markup=False, timeout=2)
        else:
            self.book.add(DeployWatch(stack.uid, stack.name, stack.environment))
            self.poll_fast()
        self._update_running_notice()

    def _cancel_target(self) -> Stack | None:
        stack = self.table.cursor_stack
        if stack is not None and (stack.is_deploying or stack.uid in self.book):
            return stack
        active = self.book.active
        if len(active) == 1:
            return self.table.stacks.get(active[0].uid)
        return stack

    def action_cancel_deploy(self) -> None:
        """``c``: cancel the running deploy of the stack under the cursor (after asking)."""
        # deferred: not needed for the first frame
        from c66tui.ui.dialogs.redeploy import cancel_flow

        reason = self.services.permission("redeploy")
        if reason:
            self.notify(f"Cancel is disabled: {reason}.", severity="warning", markup=False)
            return
        stack = self._cancel_target()
        if stack is None:
            return
        if not self.controller.claim(stack.uid, "cancel"):
            why = self.controller.busy_reason(stack.uid, "cancel") or "already sending"
            self.notify(f"{sanitize(stack.name)}: {why}.", severity="warning", markup=False)
            return
        self.run_worker(cancel_flow(self, stack), group=f"cancel-{stack.uid}", exit_on_error=False)

    def _watch_changed(self, watch: DeployWatch | None) -> None:
        if watch is not None and watch.done and id(watch) not in self._announced:
            self._announced.add(id(watch))
            self._announce(watch)
        if not self.is_mounted:
            return
        self.schedule_polls()
        self._update_running_notice()

    def _announce(self, watch: DeployWatch) -> None:
        name = sanitize(watch.name)
        took = watch.elapsed(clock.now())
        took_text = f" in {short_duration(took)}" if took is not None else ""
        if watch.phase == SUCCESS:
            self.app.notify(
                f"✓ {name}: deployed successfully{took_text}.",
                title="Deploy finished",
                markup=False,
            )
        elif watch.phase == CANCELLED:
            self.app.notify(
                f"⊘ {name}: deploy cancelled.",
                title="Deploy cancelled",
                severity="warning",
                markup=False,
            )
        else:
            self.app.notify(
                f"✗ {name}: deploy failed{took_text}.",
                title="Deploy failed",
                severity="error",
                markup=False,
                timeout=20,
            )
        self.app.bell()
