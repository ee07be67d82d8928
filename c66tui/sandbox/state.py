"""The sandbox world: stacks and their collections, tokens, the clock and pending work.

Everything lives in memory behind one re-entrant lock (the HTTP server runs in another
thread than the tests that drive the clock). Pending work (deploy phases, async actions)
sits in a heap of timed events that is settled lazily whenever the clock is read, so
there are no background tasks and tests never sleep: they :meth:`Sandbox.advance` time.
"""

from __future__ import annotations

import itertools
import random
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from c66tui.sandbox import seed as seeds
from c66tui.sandbox.clock import VirtualClock, to_epoch
from c66tui.sandbox.config import DEMO_TOKEN, SandboxConfig
from c66tui.sandbox.deploys import DeployLifecycle
from c66tui.sandbox.envelope import ApiError, by_id, find_or_404, not_found
from c66tui.sandbox.events import EventQueue
from c66tui.sandbox.faults import FaultSet
from c66tui.sandbox.records import ActionRec, Details, EnvRec, GroupRec, ServerRec, StackRec
from c66tui.sandbox.seed_details import build_details
from c66tui.sandbox.tokens import ALL_SCOPES, RateWindow, TokenBook, TokenRec

if TYPE_CHECKING:  # pragma: no cover
    from c66tui.sandbox.write_log import WriteLog


class Sandbox(TokenBook, EventQueue, DeployLifecycle):
    """The in-memory Cloud 66 world the sandbox app serves: stacks, accounts and users
    here, tokens in :class:`TokenBook`, timed events in :class:`EventQueue`, deployments
    in :class:`DeployLifecycle`.

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
        """Where lasting changes are remembered (see :mod:`c66tui.sandbox.write_log`)."""
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
        self.add_token(self.DEMO_TOKEN, ALL_SCOPES, seeds.DEMO_EMAIL)
        if cfg.default_token:
            self.add_token(cfg.default_token, ALL_SCOPES, cfg.user_email)
        self.codes: dict[str, dict[str, Any]] = {}
        self.last_code: dict[str, Any] | None = None
        self.rate: dict[str, RateWindow] = {}
        self._events = []
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
            stack.details = build_details(self.config.seed, stack, self.clock.start)
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
        """The stack's action ``action_id`` (404 when it has none)."""
        return find_or_404(self.details(stack).actions, "Action", action_id, by_id)

    def find_server(self, stack: StackRec, uid: str) -> ServerRec:
        """The stack's server ``uid`` (404 when it has none)."""
        return find_or_404(self.details(stack).servers, "Server", uid, lambda s: s.uid)

    def find_group(self, stack: StackRec, group_id: str) -> GroupRec:
        """The stack's server group ``group_id`` (404 when it has none)."""
        return find_or_404(self.details(stack).groups, "Server group", group_id, by_id)

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
