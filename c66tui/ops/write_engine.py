"""The write engine: the one path every write to Cloud 66 takes.

Redeploy, cancel, job run / pause / resume and the settings, environment-variable and
maintenance writes each describe themselves as a :class:`WritePlan`; :meth:`WriteEngine.write`
then, always in this order:

1. refuses at once when the plan's single-flight key is held (a second press, key
   auto-repeat, a command started twice in one process): nothing is queued or sent;
2. writes the journal entry (:mod:`c66tui.ops.journal`) with the plan's parameters
   (its baseline among them) and the request id the write will carry, fsynced, before
   anything leaves; when that fails nothing is sent;
3. sends the request exactly once with that request id, in a task shielded from
   cancellation: a closed screen or a cancelled worker never abandons a request that
   may already be on the wire, and the key stays held until its answer is in;
4. classifies the answer: accepted (the plan's :attr:`WritePlan.judge` reads it),
   refused (a 4xx, or a 401/403 for the login or a scope), or *outcome unknown*
   (:class:`~c66tui.api.errors.OutcomeUnknownError`: a timeout, reset or 5xx after
   sending);
5. records the outcome in the journal (and the plan's local store, e.g. a job's run
   history); an unknown outcome is recorded at once, then checked with the plan's
   :attr:`WritePlan.check` (the deployments or actions newer than the baseline) and
   recorded again with what the check found. It is never resent.

An accepted write whose effect is an asynchronous action can be followed with
:meth:`WriteEngine.follow`, which records how the action ended. Nothing here imports
Textual; the UI and the command line hear about records through the plan's hooks.
The plan and its parts are in :mod:`c66tui.ops.write_plan`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import replace
from typing import Any

from c66tui.api.errors import (
    ActionTimeoutError,
    Cloud66Error,
    MissingScopeError,
    OutcomeUnknownError,
)
from c66tui.api.models import Action
from c66tui.api.transport.request_ids import new_request_id, sending_with
from c66tui.ops import clock
from c66tui.ops.write_plan import (
    NOT_SENT,
    Check,
    Delivery,
    Verdict,
    WritePlan,
    WriteServices,
    finished_verdict,
    unknown_detail,
)
from c66tui.text import sanitize


class WriteEngine:
    """Sends writes for ``services`` (see the module docstring).

    ``on_store_error(error)`` hears when a record could not be written locally (the
    outcome is still returned and shown).
    """

    def __init__(
        self, services: WriteServices, *, on_store_error: Callable[[OSError], None] | None = None
    ) -> None:
        self.services = services
        self.on_store_error = on_store_error or (lambda _error: None)
        self._tasks: set[asyncio.Task] = set()

    @property
    def in_flight(self) -> bool:
        """Whether a request of this engine is on the wire (or its answer being checked)."""
        return any(not task.done() for task in self._tasks)

    async def write(self, plan: WritePlan) -> Delivery:
        """Journal, send once, classify, record and, when the answer was lost, check."""
        if self.services.is_in_flight(plan.flight_key):
            return Delivery(NOT_SENT, plan.busy)
        flight = AsyncExitStack()
        await flight.enter_async_context(self.services.single_flight(plan.flight_key))
        done = Delivery("unknown", request_id=new_request_id())
        opening = asyncio.ensure_future(self._open(plan, done))
        try:
            opened = await asyncio.shield(opening)
        except BaseException:
            opening.add_done_callback(lambda t: self._never_sent(done, t))
            await flight.aclose()
            raise
        if not opened:
            await flight.aclose()
            return done
        task = asyncio.ensure_future(self._deliver(plan, done, flight))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            task.add_done_callback(lambda t: self._abandoned(plan, done, t))
            raise

    async def _open(self, plan: WritePlan, done: Delivery) -> bool:
        """Write the journal entry (and run ``prepare``); False when nothing may be sent."""
        journal = self.services.journal

        def begin() -> str:
            return journal.begin(
                plan.kind,
                self.services.profile_name,
                plan.stack.uid,
                plan.stack.name,
                dict(plan.params),
                account=plan.account,
                request_id=done.request_id,
            )

        try:
            done.entry_id = await asyncio.to_thread(begin)
        except (OSError, ValueError) as error:
            done.outcome = NOT_SENT
            done.store_error = error if isinstance(error, OSError) else None
            done.message = f"Nothing was sent: the action journal could not be written ({error})."
            return False
        if plan.prepare is None:
            return True
        try:
            plan.prepare()
        except OSError as error:
            done.outcome, done.store_error = NOT_SENT, error
            done.message = (
                f"Could not record the write locally ({error.strerror or error}); nothing was sent."
            )
            self._journal(done, Verdict("failed", done.message))
            return False
        return True

    def _never_sent(self, done: Delivery, opening: asyncio.Future) -> None:
        """The caller went away while the entry was being written: nothing was sent, so
        the entry is closed as such rather than left pending as if it might have gone."""
        if opening.cancelled() or opening.exception() is not None or not opening.result():
            return
        text = "not sent: the write was called off before it left"
        self._journal(done, Verdict("failed", text, quiet=True))

    async def _deliver(self, plan: WritePlan, done: Delivery, flight: AsyncExitStack) -> Delivery:
        """Send, classify and record (shielded: it finishes even if the caller goes)."""
        try:
            done.sent_at = clock.now()
            try:
                with sending_with(done.request_id):
                    done.answer = await plan.send(self.services.api)
            except asyncio.CancelledError:
                self.record(plan, done, Verdict("unknown", "interrupted while sending", quiet=True))
                raise
            except OutcomeUnknownError as error:
                done.error = error
                await self._lost(plan, done, unknown_detail(error))
            except Cloud66Error as error:
                done.error = error
                if isinstance(error, MissingScopeError):
                    self.services.note_missing_scope(error)
                self.record(plan, done, Verdict("failed", plan.refusal(error)))
            except Exception as error:
                # Not an API error: whether it left is not known; say so, then let it show.
                text = f"the request failed unexpectedly ({type(error).__name__})"
                self.record(plan, done, Verdict("unknown", text))
                raise
            else:
                self.record(plan, done, self._judged(plan, done.answer))
            return done
        finally:
            await flight.aclose()

    @staticmethod
    def _judged(plan: WritePlan, answer: Any) -> Verdict:
        """The plan's reading of an answer; one it cannot read leaves the outcome unknown
        (the request did reach Cloud 66, what it did is not known)."""
        try:
            return plan.judge(answer)
        except Exception as error:  # noqa: BLE001 - a hostile answer must not lose the record
            text = f"Cloud 66 answered, but the answer could not be read ({type(error).__name__})."
            return Verdict("unknown", text + " It was not sent again.")

    async def _lost(self, plan: WritePlan, done: Delivery, detail: str) -> None:
        """The answer was lost: record "unknown" at once, then check and record that."""
        if plan.check is None:
            self.record(plan, done, Verdict("unknown", detail))
            return
        self.record(plan, done, Verdict("unknown", detail, quiet=True))
        try:
            done.check = await plan.check(done.sent_at or clock.now())
        except Exception as error:  # noqa: BLE001 - the unknown stays recorded and is said
            done.check = Check(f"the check could not be made ({sanitize(str(error))})")
        if done.check.follow is not None:
            done.follow = done.check.follow
            return
        self.record(plan, done, Verdict("unknown", f"{detail}; check: {done.check.summary}"))

    def _abandoned(self, plan: WritePlan, done: Delivery, task: asyncio.Future) -> None:
        """The caller stopped waiting: an action it was to follow is recorded as such."""
        if task.cancelled() or done.follow is None:
            return
        try:
            self.record(plan, done, replace(plan.unfollowed(done.follow), quiet=True))
        except Exception:  # noqa: BLE001 - the app may be closing; the entry stays unknown
            pass

    def record(self, plan: WritePlan, done: Delivery, verdict: Verdict) -> None:
        """Record ``verdict``: the journal, the plan's local store, then its hook."""
        done.follow = verdict.follow
        if verdict.follow is not None:
            return  # accepted, to be followed: its record comes when the action ends
        done.outcome, done.message = verdict.outcome, verdict.shown
        self._journal(done, verdict, plan.store)
        if plan.told is not None:
            plan.told(verdict)

    def _journal(
        self,
        done: Delivery,
        verdict: Verdict,
        store: Callable[[Verdict], None] | None = None,
    ) -> None:
        try:
            if done.entry_id is not None:
                self.services.journal.complete(done.entry_id, verdict.outcome, verdict.detail)
            if store is not None:
                store(verdict)
        except OSError as error:
            done.store_error = error
            if not verdict.quiet:
                self.on_store_error(error)

    async def follow(
        self,
        plan: WritePlan,
        done: Delivery,
        wait: Callable[[int], Awaitable[Action]],
        action: Action,
        note: str = "",
    ) -> Action | None:
        """Wait (``await wait(action_id)``) for ``action`` to finish and record how it
        ended; returns the finished action (``None`` when it could not be followed)."""
        if action.is_finished:
            final = action
        elif action.id is None:
            text = "Cloud 66 accepted the request but gave no action to follow."
            self.record(plan, done, Verdict("unknown", text))
            return None
        else:
            try:
                final = await wait(action.id)
            except asyncio.CancelledError:
                self.record(plan, done, replace(plan.unfollowed(action), quiet=True))
                raise
            except ActionTimeoutError:
                text = f"Still running as action {action.id}; no longer followed here."
                self.record(plan, done, Verdict("unknown", text, action_id=action.id))
                return None
            except Cloud66Error as error:
                text = f"Sent as action {action.id}; following it failed: {error}"
                self.record(plan, done, Verdict("unknown", text, action_id=action.id))
                return None
        self.record(plan, done, finished_verdict(final, note))
        return final
