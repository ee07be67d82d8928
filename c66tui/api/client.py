"""``Cloud66Client``: typed async access to the Cloud 66 API.

Usage::

    async with Cloud66Client("https://app.cloud66.com/api/3", token) as api:
        for stack in await api.list_stacks():
            print(stack.name, stack.status_name)

Reads return models from :mod:`c66tui.api.models` and are retried on transient failures.
Writes are sent exactly once; when the answer is lost after sending, they raise
:class:`~c66tui.api.errors.OutcomeUnknownError` so the caller checks instead of resending.
Every failure is a :class:`~c66tui.api.errors.Cloud66Error`.

Every path comes from :mod:`c66tui.api.routes`: on a base ending in ``/api/2`` the requests
the legacy pages document use their legacy form and the rest go to the ``/api/3`` sibling.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from c66tui.slices import yield_to_input

from .action_wait import wait_for_action
from .client_access import AccessMixin
from .client_accounts import AccountsMixin
from .legacy import settings_from_legacy
from .models import (
    Action,
    Deployment,
    EnvVar,
    Job,
    RedeployResult,
    Server,
    ServerGroup,
    Setting,
    Stack,
)
from .pagination import iter_pages
from .routes import Target, segment

PARSE_SLICE = 500
"""Stacks parsed between two hand-backs to the event loop (a few milliseconds' work)."""


def setting_id(key_or_id: str) -> str:
    """The dashed form of a setting key used in paths (``git.branch`` -> ``git-branch``)."""
    return str(key_or_id).strip().replace(".", "-")


class Cloud66Client(AccountsMixin, AccessMixin):
    """An async Cloud 66 API client over one ``httpx.AsyncClient`` (the constructor's
    options: :class:`~c66tui.api.client_base.ClientBase`)."""

    # -- stacks ----------------------------------------------------------------------

    async def list_stacks(self) -> list[Stack]:
        """Every stack the token can see (all pages, fetched concurrently, in order)."""
        stacks: list[Stack] = []
        seen: set[str] = set()
        for index, item in enumerate(await self._read_all("list_stacks")):
            if index and not index % PARSE_SLICE:
                await yield_to_input()  # thousands of stacks: a key pressed meanwhile goes first
            stack = Stack.from_api(item)
            if stack.uid and stack.uid in seen:
                continue  # the list shifted between pages
            seen.add(stack.uid)
            stacks.append(stack)
        return stacks

    async def iter_stack_pages(self) -> AsyncIterator[list[Stack]]:
        """Walk the stack list one page at a time (sequential; for streaming views)."""
        async for items in iter_pages(self._page_fetcher("list_stacks")):
            yield [Stack.from_api(item) for item in items if isinstance(item, dict)]

    async def get_stack(self, uid: str) -> Stack:
        return Stack.from_api(await self._read_object("get_stack", uid=uid))

    # -- deployments -----------------------------------------------------------------

    async def list_deployments(self, uid: str, page: int = 1) -> list[Deployment]:
        """One page of deployments (newest first)."""
        items = await self._read_page("list_deployments", page, uid=uid)
        return [Deployment.from_api(item) for item in items]

    async def get_deployment(self, uid: str, deployment_id: int | str) -> Deployment:
        data = await self._read_object("get_deployment", uid=uid, id=deployment_id)
        return Deployment.from_api(data)

    async def redeploy(
        self, uid: str, git_ref: str | None = None, services: list[str] | None = None
    ) -> RedeployResult:
        """Ask Cloud 66 to redeploy the stack. Sent once; never retried.

        The legacy redeploy takes no parameters, so a redeploy of a ref or of some services
        always uses the v3 form (on a legacy base, at the ``/api/3`` sibling)."""
        payload: dict[str, Any] = {}
        if git_ref:
            payload["git_ref"] = git_ref
        if services:
            payload["services"] = list(services)
        target = self.api_base.target("redeploy", uid=uid)
        if payload and target.legacy:
            target = Target("POST", self.api_base.v3_base + f"{self._stack(uid)}/deployments")
        data = await self._write("redeploy", payload or None, target=target)
        return RedeployResult.from_api(data or {"ok": True})

    async def cancel_deployment(self, uid: str, deployment_id: int | str) -> dict:
        return await self._write("cancel_deployment", uid=uid, id=deployment_id) or {}

    @staticmethod
    def _stack(uid: str) -> str:
        return f"/stacks/{segment(uid)}"

    # -- servers ---------------------------------------------------------------------

    async def list_servers(self, uid: str) -> list[Server]:
        return [Server.from_api(i) for i in await self._read_all("list_servers", uid=uid)]

    async def list_server_groups(self, uid: str) -> list[ServerGroup]:
        items = await self._read_all("list_server_groups", uid=uid)
        return [ServerGroup.from_api(i) for i in items]

    # -- settings --------------------------------------------------------------------

    async def list_stack_settings(self, uid: str) -> list[Setting]:
        """The stack's settings. The legacy form answers one object of ``key: value``
        pairs (no ids, no read-only flags); the v3 form a paged list."""
        if self.api_base.target("list_stack_settings", uid=uid).legacy:
            body = await self._read("list_stack_settings", uid=uid)
            return settings_from_legacy(body)
        items = await self._read_all("list_stack_settings", uid=uid)
        return [Setting.from_api(i) for i in items]

    async def list_server_settings(self, uid: str, server_uid: str) -> list[Setting]:
        items = await self._read_all("list_server_settings", uid=uid, server_uid=server_uid)
        return [Setting.from_api(i) for i in items]

    async def update_stack_setting(self, uid: str, key_or_id: str, value: Any) -> Action:
        """Change a stack setting: v3 answers an action to follow; the legacy form applies
        it at once (a finished action is returned for it)."""
        ident = setting_id(key_or_id)
        if self.api_base.target("update_stack_setting", uid=uid, id=ident).legacy:
            payload = {"setting_name": ident.replace("-", "."), "setting_value": value}
            return await self._write_action("update_stack_setting", payload, uid=uid, id=ident)
        return await self._write_action("update_stack_setting", {"value": value}, uid=uid, id=ident)

    async def update_server_setting(
        self, uid: str, server_uid: str, key_or_id: str, value: Any
    ) -> Action:
        ids = {"uid": uid, "server_uid": server_uid, "id": setting_id(key_or_id)}
        return await self._write_action("update_server_setting", {"value": value}, **ids)

    # -- environment variables -------------------------------------------------------

    async def list_env_vars(self, uid: str) -> list[EnvVar]:
        return [EnvVar.from_api(i) for i in await self._read_all("list_env_vars", uid=uid)]

    async def create_env_var(
        self, uid: str, key: str, value: Any, apply_strategy: str | None = None
    ) -> Action:
        payload: dict[str, Any] = {"key": key, "value": value}
        if apply_strategy:
            payload["apply_strategy"] = apply_strategy
        return await self._write_action("create_env_var", payload, uid=uid)

    async def update_env_var(
        self, uid: str, key: str, value: Any, apply_strategy: str | None = None
    ) -> Action:
        payload: dict[str, Any] = {"value": value}
        if apply_strategy:
            payload["apply_strategy"] = apply_strategy
        return await self._write_action("update_env_var", payload, uid=uid, key=key)

    async def delete_env_var(
        self, uid: str, key: str, apply_strategy: str | None = None
    ) -> Action | None:
        """Delete a variable. Returns the action, or ``None`` when Cloud 66 sent none (the
        documented answer is an empty 200)."""
        payload = {"apply_strategy": apply_strategy} if apply_strategy else None
        data = await self._write("delete_env_var", payload, uid=uid, key=key)
        if not data or "id" not in data:
            return None
        return Action.from_api(data)

    # -- jobs ------------------------------------------------------------------------

    async def list_jobs(self, uid: str) -> list[Job]:
        return [Job.from_api(i) for i in await self._read_all("list_jobs", uid=uid)]

    async def get_job(self, uid: str, job_uid: str) -> Job:
        return Job.from_api(await self._read_object("get_job", uid=uid, job_uid=job_uid))

    async def run_job(self, uid: str, job_uid: str, args: str | None = None) -> Action:
        payload = {"job_args": args} if args else None
        return await self._write_action("run_job", payload, uid=uid, job_uid=job_uid)

    async def pause_job(self, uid: str, job_uid: str) -> Action:
        return await self._write_action("pause_job", uid=uid, job_uid=job_uid)

    async def resume_job(self, uid: str, job_uid: str) -> Action:
        return await self._write_action("resume_job", uid=uid, job_uid=job_uid)

    # -- actions ---------------------------------------------------------------------

    async def list_actions(self, uid: str, page: int = 1) -> list[Action]:
        """One page of the stack's actions."""
        items = await self._read_page("list_actions", page, uid=uid)
        return [Action.from_api(item) for item in items]

    async def get_action(self, uid: str, action_id: int | str) -> Action:
        return Action.from_api(await self._read_object("get_action", uid=uid, id=action_id))

    async def run_stack_action(self, uid: str, command: str, **params: Any) -> Action:
        """Start a stack action (``restart``, ``clear_caches``, ``maintenance_mode``...)."""
        payload = {"command": command, **params}
        return await self._write_action("run_stack_action", payload, uid=uid)

    async def set_maintenance_mode(self, uid: str, on: bool) -> Action:
        """Maintenance mode on or off (legacy: applied at once; v3: an action)."""
        value = 1 if on else 0
        if self.api_base.target("set_maintenance_mode", uid=uid).legacy:
            return await self._write_action("set_maintenance_mode", {"value": value}, uid=uid)
        payload = {"command": "maintenance_mode", "value": value}
        return await self._write_action("set_maintenance_mode", payload, uid=uid)

    async def restart_stack(self, uid: str) -> Action:
        """Restart the stack's components (legacy: queued, with no action to follow)."""
        if self.api_base.target("restart_stack", uid=uid).legacy:
            return await self._write_action("restart_stack", uid=uid)
        return await self._write_action("restart_stack", {"command": "restart"}, uid=uid)

    async def wait_for_action(
        self,
        uid: str,
        action_id: int | str,
        *,
        interval: float = 2.0,
        max_interval: float = 10.0,
        timeout: float = 600,
        on_poll: Callable[[Action], None] | None = None,
    ) -> Action:
        """Poll an action until it finishes (see :func:`.action_wait.wait_for_action`)."""
        return await wait_for_action(
            lambda: self.get_action(uid, action_id),
            interval=interval,
            max_interval=max_interval,
            timeout=timeout,
            on_poll=on_poll,
        )
