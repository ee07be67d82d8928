"""The sandbox world: stacks and their collections, tokens, the clock and pending work.

Everything lives in memory behind one re-entrant lock (the HTTP server runs in another
thread than the tests that drive the clock). Pending work (deploy phases, async actions)
sits in a heap of timed events that is settled lazily whenever the clock is read, so
there are no background tasks and tests never sleep: they :meth:`Sandbox.advance` time.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import secrets
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from c66tui.sandbox import seed as seeds
from c66tui.sandbox.clock import VirtualClock, to_epoch
from c66tui.sandbox.config import DEMO_TOKEN, SandboxConfig
from c66tui.sandbox.envelope import ApiError, not_found
from c66tui.sandbox.faults import FaultSet
from c66tui.sandbox.records import ActionRec, DeployRec, Details, EnvRec, StackRec

if TYPE_CHECKING:  # pragma: no cover
    from c66tui.sandbox.persist import WriteLog

ALL_SCOPES = ("public", "redeploy", "jobs", "users", "admin")
KNOWN_SCOPES = frozenset(ALL_SCOPES + ("reboot",))


@dataclass(slots=True)
class TokenRec:
    """An access token: its scopes, owner e-mail and (for OAuth tokens) the code it came from."""

    value: str
    scopes: frozenset[str]
    email: str
    code: str | None = None
    revoked: bool = False

    def has(self, scope: str) -> bool:
        return scope == "public" or scope in self.scopes


@dataclass(slots=True)
class RateWindow:
    hour: int
    used: int = 0


@dataclass(order=True)
class _Event:
    due: float
    seq: int
    fn: Callable[[float], None] = field(compare=False)


class Sandbox:
    """The in-memory Cloud 66 world the sandbox app serves.

    Public surface for tests and tools: :attr:`DEMO_TOKEN`, :meth:`mint_token`,
    :meth:`revoke_token`, :meth:`advance`, :meth:`finish_all`, :attr:`request_log`,
    :meth:`reset`, :meth:`inject_fault`, :meth:`clear_faults`, :meth:`fail_next`,
    :meth:`find_stack`, :meth:`now`.
    """

    DEMO_TOKEN = DEMO_TOKEN
    ALL_SCOPES = ALL_SCOPES
    LOG_LIMIT = 20_000

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self.lock = threading.RLock()
        self.request_log: list[dict[str, Any]] = []
        self._log_seq = 0
        self.faults = FaultSet()
        self.write_log: WriteLog | None = None
        """Where lasting changes are remembered (see :mod:`c66tui.sandbox.persist`)."""
        self._build()

    # ----------------------------------------------------------------- world
    def _build(self) -> None:
        cfg = self.config
        self.clock = VirtualClock(to_epoch(cfg.start_time), realtime=cfg.realtime)
        t0 = self.clock.start
        self.accounts = seeds.build_accounts(t0)
        self.users = seeds.build_users(t0)
        stacks = seeds.build_stacks(cfg.seed, cfg.stacks, t0)
        self.stacks: dict[str, StackRec] = {s.uid: s for s in stacks}
        self._order: list[StackRec] | None = None
        self.tokens: dict[str, TokenRec] = {}
        self._add_token(self.DEMO_TOKEN, ALL_SCOPES, seeds.DEMO_EMAIL)
        if cfg.default_token:
            self._add_token(cfg.default_token, ALL_SCOPES, cfg.user_email)
        self.codes: dict[str, dict[str, Any]] = {}
        self.last_code: dict[str, Any] | None = None
        self.rate: dict[str, RateWindow] = {}
        self._events: list[_Event] = []
        self._next_seq = 0
        self._fail_next: dict[tuple[str, str], str] = {}
        self._prev_status: dict[int, int] = {}
        # Runtime data (new deployments' hashes) is deterministic too; tokens are not.
        self._rng = random.Random(f"{cfg.seed}:runtime")
        n = len(stacks)
        self._action_ids = itertools.count(
            seeds.ACTION_ID_BASE + (n + 10) * seeds.ACTION_ID_STRIDE + 1000
        )
        self._deploy_ids = itertools.count(
            seeds.DEPLOY_ID_BASE + (n + 10) * seeds.DEPLOY_ID_STRIDE + 1000
        )
        for stack in stacks:
            if stack.busy:
                self._seed_running_deploy(stack)

    def reset(self) -> None:
        """Back to the seed world: data, tokens, clock, faults, log and counters."""
        with self.lock:
            self.faults.clear()
            self.clear_log()
            self._build()
            if self.write_log is not None:
                self.write_log.clear()

    def details(self, stack: StackRec) -> Details:
        """The stack's collections, generated on first use."""
        if stack.details is None:
            stack.details = seeds.build_details(self.config.seed, stack, self.clock.start)
        return stack.details

    def ordered_stacks(self) -> list[StackRec]:
        """Stacks ordered by name (case-insensitively), then uid."""
        if self._order is None:
            self._order = sorted(self.stacks.values(), key=lambda s: (s.name.casefold(), s.uid))
        return self._order

    def find_stack(self, name: str) -> StackRec:
        """The stack with this exact name (KeyError if none): a convenience for tests."""
        with self.lock:
            for stack in self.stacks.values():
                if stack.name == name:
                    return stack
        raise KeyError(name)

    def stack(self, uid: str) -> StackRec:
        stack = self.stacks.get(uid)
        if stack is None:
            raise not_found("Stack", uid)
        return stack

    # ----------------------------------------------------------------- clock
    def now(self) -> float:
        """Current virtual time, after settling every event that is due."""
        with self.lock:
            self._settle()
            return self.clock.now()

    def advance(self, seconds: float) -> float:
        """Move virtual time forward and settle what became due; returns the new time."""
        with self.lock:
            self.clock.advance(seconds)
            return self.now()

    def finish_all(self) -> float:
        """Fast-forward the clock through every pending event (deploys, queued deploys,
        actions) so nothing is left running; returns the new time."""
        with self.lock:
            guard = 0
            while self._events and guard < 100_000:
                self.clock.advance_to(self._events[0].due)
                self._settle()
                guard += 1
            return self.clock.now()

    def event_mark(self) -> int:
        """A mark for :meth:`run_events_since`: events scheduled after it are newer."""
        return self._next_seq

    def run_events_since(self, mark: int) -> None:
        """Run at once, at the current time, the events scheduled since ``mark`` (and the
        ones they schedule): a replayed change finishes without waiting."""
        for _ in range(1000):
            newer = sorted(e for e in self._events if e.seq >= mark)
            if not newer:
                return
            self._events = [e for e in self._events if e.seq < mark]
            heapq.heapify(self._events)
            for event in newer:
                event.fn(min(event.due, self.clock.now()))

    def _schedule(self, due: float, fn: Callable[[float], None]) -> None:
        heapq.heappush(self._events, _Event(due, self._next_seq, fn))
        self._next_seq += 1

    def settle(self) -> None:
        """Run every event that is due (call with the lock held)."""
        self._settle()

    def _settle(self) -> None:
        now = self.clock.now()
        while self._events and self._events[0].due <= now:
            event = heapq.heappop(self._events)
            event.fn(event.due)

    @property
    def pending(self) -> int:
        """Number of timed events still waiting."""
        return len(self._events)

    # ---------------------------------------------------------------- tokens
    def _add_token(self, value: str, scopes, email: str, code: str | None = None) -> TokenRec:
        rec = TokenRec(value, frozenset(scopes), email, code)
        self.tokens[value] = rec
        return rec

    def mint_token(self, scopes: list[str] | tuple[str, ...] = (), email: str | None = None) -> str:
        """A new token with exactly these scopes (an empty list is a no-scope token)."""
        with self.lock:
            value = "sbx_" + secrets.token_hex(16)
            rec = self._add_token(value, [str(s) for s in scopes], email or self.config.user_email)
            if self.write_log is not None:
                self.write_log.record_token(value, sorted(rec.scopes), rec.email)
            return value

    def revoke_token(self, token: str) -> bool:
        """Revoke a token; True when it existed."""
        with self.lock:
            rec = self.tokens.get(token)
            if rec is None:
                return False
            rec.revoked = True
            if self.write_log is not None:
                self.write_log.record_revoke(token)
            return True

    def token(self, value: str | None) -> TokenRec | None:
        rec = self.tokens.get(value or "")
        return None if rec is None or rec.revoked else rec

    def consume_rate(self, token: TokenRec) -> tuple[int, int, int | None]:
        """Count one request for ``token``: (limit, remaining, retry_after when throttled)."""
        limit = self.config.rate_limit
        now = self.clock.now()
        hour = int(now // 3600)
        window = self.rate.get(token.value)
        if window is None or window.hour != hour:
            window = self.rate[token.value] = RateWindow(hour)
        if window.used >= limit:
            return limit, 0, max(1, math.ceil((hour + 1) * 3600 - now))
        window.used += 1
        return limit, limit - window.used, None

    # ---------------------------------------------------------------- faults
    def inject_fault(self, path: str = ".*", **options: Any):
        """Make the next matching requests misbehave; see :class:`faults.Fault`."""
        return self.faults.add(path, **options)

    def clear_faults(self) -> None:
        self.faults.clear()

    def fail_next(self, kind: str, stack_uid: str, message: str | None = None) -> None:
        """The next ``deploy`` or ``action`` (``job`` for job runs only) on that stack fails."""
        if kind not in ("deploy", "action", "job"):
            raise ValueError("kind must be deploy, action or job")
        with self.lock:
            self._fail_next[(kind, stack_uid)] = message or f"Injected {kind} failure"

    def _take_failure(self, stack_uid: str, *kinds: str) -> str | None:
        for kind in kinds:
            message = self._fail_next.pop((kind, stack_uid), None)
            if message is not None:
                return message
        return None

    def log(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Append a request to :attr:`request_log` (``index`` counts every request ever
        logged since the last clear; the oldest half is dropped past ``LOG_LIMIT``)."""
        with self.lock:
            entry["index"] = self._log_seq
            self._log_seq += 1
            entry.setdefault("time", self.clock.now())
            self.request_log.append(entry)
            if len(self.request_log) > self.LOG_LIMIT:
                del self.request_log[: self.LOG_LIMIT // 2]
        return entry

    @property
    def log_count(self) -> int:
        """How many requests were logged since the last clear (the next ``index``)."""
        return self._log_seq

    def clear_log(self) -> None:
        with self.lock:
            self.request_log.clear()
            self._log_seq = 0

    # --------------------------------------------------------------- actions
    def start_action(
        self,
        stack: StackRec,
        name: str,
        *,
        user: str,
        resource_type: str = "stack",
        resource_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        effect: Callable[[float], str | None] | None = None,
        fail_kinds: tuple[str, ...] = ("action",),
        on_fail: Callable[[float, str], None] | None = None,
        auto_finish: bool = True,
    ) -> ActionRec:
        """Record a running action; unless ``auto_finish`` is off it finishes after
        ``action_seconds``: then ``effect(at)`` changes the data (its return value is the
        finished message) or, when a failure was injected, ``on_fail(at, message)`` runs."""
        now = self.clock.now()
        action = ActionRec(
            id=next(self._action_ids),
            user=user,
            action=name,
            resource_type=resource_type,
            resource_id=resource_id or str(stack.index + 100),
            started_at=now,
            metadata=dict(metadata or {}),
        )
        self.details(stack).actions.insert(0, action)
        stack.last_activity = now
        if auto_finish:

            def finish(at: float) -> None:
                failure = self._take_failure(stack.uid, *fail_kinds)
                if failure is not None:
                    if on_fail is not None:
                        on_fail(at, failure)
                    self.finish_action(action, at, False, failure)
                    return
                try:
                    message = effect(at) if effect is not None else None
                except ApiError as err:
                    self.finish_action(action, at, False, err.description)
                    return
                self.finish_action(action, at, True, message or "Completed")

            self._schedule(now + self.config.action_seconds, finish)
        return action

    @staticmethod
    def finish_action(action: ActionRec, at: float, success: bool, message: str) -> None:
        if action.finished_at is not None:
            return
        action.finished_at = at
        action.finished_success = success
        action.finished_message = message

    def find_action(self, stack: StackRec, action_id: str) -> ActionRec:
        for action in self.details(stack).actions:
            if str(action.id) == action_id:
                return action
        raise not_found("Action", action_id)

    # ------------------------------------------------------------ deployments
    def _new_deploy(
        self, stack: StackRec, user: str, via: int, git_ref: str | None, services: list[str]
    ) -> DeployRec:
        rng_hex = f"{self._rng.getrandbits(160):040x}"
        web = stack.git[: -len(".git")] if stack.git.endswith(".git") else stack.git
        return DeployRec(
            id=next(self._deploy_ids),
            triggered_by=user,
            via=via,
            git_hash=rng_hex,
            git_ref=git_ref or stack.git_branch,
            commit_url=f"{web}/commit/{rng_hex}",
            commit_message=f"Deploy {git_ref or stack.git_branch}",
            deploy_session="".join(self._rng.choices(string.ascii_letters + string.digits, k=10)),
            started_at=None,
            services=list(services),
            created_at=self.clock.now(),
        )

    def _seed_running_deploy(self, stack: StackRec) -> None:
        details = self.details(stack)
        total = self.config.deploy_seconds
        start = self.clock.start - total / 3
        rec = self._new_deploy(stack, "dev@example.com", 0, stack.git_branch, [])
        rec.commit_message = "Speed up product listing"
        rec.created_at = start
        details.deployments.insert(0, rec)
        self._begin_deploy(stack, rec, start)

    def redeploy(
        self,
        stack: StackRec,
        *,
        user: str,
        git_ref: str | None = None,
        services: list[str] | None = None,
        via: int = 1,
    ) -> tuple[bool, ActionRec]:
        """Start a deployment, or queue one behind the running deployment.

        While a deployment runs, a redeploy answers 200 with ``queued: true`` (the way
        Cloud 66 and its toolbelt describe it: the new deploy runs right after the current
        one) rather than 409. At most one deployment waits in the queue: further redeploys
        join it (updating its ``git_ref``/``services`` when given) and each gets its own
        async action, finished when that queued deployment ends.
        """
        details = self.details(stack)
        action = self.start_action(
            stack,
            "application_deployment",
            user=user,
            metadata={"git_ref": git_ref, "services": services or []},
            auto_finish=False,
        )
        if details.running is None:
            rec = self._new_deploy(stack, user, via, git_ref, services or [])
            rec.action_ids.append(action.id)
            details.deployments.insert(0, rec)
            self._begin_deploy(stack, rec, self.clock.now())
            return False, action
        if details.queued is None:
            rec = self._new_deploy(stack, user, via, git_ref, services or [])
            rec.is_queued = True
            details.queued = rec
            details.deployments.insert(0, rec)
        else:
            rec = details.queued
            if git_ref:
                rec.git_ref = git_ref
            if services:
                rec.services = list(services)
        rec.action_ids.append(action.id)
        return True, action

    def _begin_deploy(self, stack: StackRec, rec: DeployRec, at: float) -> None:
        details = self.details(stack)
        details.running = rec
        rec.is_queued = False
        rec.is_deploying = True
        rec.started_at = at
        self._prev_status[rec.id] = stack.status if stack.status not in (5, 6) else 1
        stack.busy = True
        stack.status = 5
        stack.last_activity = stack.updated_at = max(stack.last_activity, at)
        total = self.config.deploy_seconds
        queue_phase = min(total * 0.1, 5.0)

        def deploying(when: float) -> None:
            if details.running is rec:
                stack.status = 6

        def finished(when: float) -> None:
            if details.running is rec:
                failure = self._take_failure(stack.uid, "deploy")
                self._end_deploy(stack, rec, when, 2 if failure else 1, failure)

        if at + queue_phase <= self.clock.start:
            stack.status = 6
        else:
            self._schedule(at + queue_phase, deploying)
        self._schedule(at + total, finished)

    def _end_deploy(
        self, stack: StackRec, rec: DeployRec, at: float, outcome: int, message: str | None
    ) -> None:
        details = self.details(stack)
        rec.finished_at = at
        rec.outcome = outcome
        rec.is_deploying = False
        details.running = None
        if outcome == 1:
            for other in details.deployments:
                other.is_live = other.is_head = False
            rec.is_live = rec.is_head = True
            stack.status = 1
            stack.health = 3
            for server in details.servers:
                server.health_state = 3
        elif outcome == 2:
            stack.status = 2
        else:
            stack.status = self._prev_status.get(rec.id, 1)
        stack.last_activity = stack.updated_at = at
        text = {
            1: "Deployment finished successfully",
            2: f"Deployment failed: {message}",
            3: "Deployment cancelled",
        }[outcome]
        for action in details.actions:
            if action.id in rec.action_ids:
                self.finish_action(action, at, outcome == 1, text)
        if details.queued is not None:
            queued = details.queued
            details.queued = None
            self._begin_deploy(stack, queued, at)
        else:
            stack.busy = False

    def cancel_deploy(self, stack: StackRec, deploy_id: str) -> DeployRec:
        """Cancel a running or queued deployment (409 when it already ended)."""
        details = self.details(stack)
        rec = self.find_deploy(stack, deploy_id)
        now = self.clock.now()
        if details.running is rec:
            self._end_deploy(stack, rec, now, 3, None)
        elif details.queued is rec:
            details.queued = None
            rec.is_queued = False
            rec.outcome = 3
            rec.finished_at = now
            for action in details.actions:
                if action.id in rec.action_ids:
                    self.finish_action(action, now, False, "Deployment cancelled")
        else:
            raise ApiError(
                409, "Deployment is not running", details=f"Deployment {deploy_id} already finished"
            )
        return rec

    def find_deploy(self, stack: StackRec, deploy_id: str) -> DeployRec:
        for rec in self.details(stack).deployments:
            if str(rec.id) == deploy_id:
                return rec
        raise not_found("Deployment", deploy_id)

    # ------------------------------------------------------------- mutations
    def set_maintenance(self, stack: StackRec, on: bool) -> None:
        stack.maintenance = on
        self.details(stack).settings["maintenance.mode"].value = on

    def apply_stack_setting(self, stack: StackRec, key: str, value: Any) -> None:
        details = self.details(stack)
        details.settings[key].value = value
        if key == "git.branch":
            stack.git_branch = str(value)
        elif key == "git.repository":
            stack.git = str(value)
        elif key == "maintenance.mode":
            stack.maintenance = bool(value)

    def new_env_id(self, stack: StackRec) -> int:
        details = self.details(stack)
        value = details.next_env_id
        details.next_env_id += 1
        return value

    def add_env(self, stack: StackRec, key: str, value: Any, at: float) -> EnvRec:
        rec = EnvRec(id=self.new_env_id(stack), key=key, value=value, created_at=at, updated_at=at)
        self.details(stack).env.append(rec)
        return rec

    def find_env(self, stack: StackRec, key: str) -> EnvRec | None:
        for rec in self.details(stack).env:
            if rec.key == key:
                return rec
        return None
