"""``Cloud66Client``: typed async access to the Cloud 66 API.

Usage::

    async with Cloud66Client("https://app.cloud66.com/api/2", token) as api:
        for stack in await api.list_stacks():
            print(stack.name, stack.status_name)

Reads return models from :mod:`c66tui.api.models` and are retried on transient failures.
Writes are sent exactly once; when the answer is lost after sending, they raise
:class:`~c66tui.api.errors.OutcomeUnknownError` so the caller checks instead of resending.
Every failure is a :class:`~c66tui.api.errors.Cloud66Error`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import quote

import httpx

from .errors import ActionTimeoutError, MissingScopeError, UnexpectedResponseError
from .models import (
    Account,
    Action,
    Deployment,
    EnvVar,
    Job,
    RateLimit,
    RedeployResult,
    Server,
    ServerGroup,
    Setting,
    Stack,
    User,
)
from .pagination import fetch_all_pages, iter_pages, page_items
from .secret import Secret
from .transport.session import ApiSession


def _seg(value: Any) -> str:
    """One path segment, percent-encoded so ids can never change the path."""
    text = str(value)
    if not text or text in (".", ".."):
        raise ValueError(f"Not a valid identifier: {text!r}")
    return quote(text, safe="")


def setting_id(key_or_id: str) -> str:
    """The dashed form of a setting key used in paths (``git.branch`` -> ``git-branch``)."""
    return str(key_or_id).strip().replace(".", "-")


class Cloud66Client:
    """An async Cloud 66 API client over one ``httpx.AsyncClient``.

    ``backoff_base``/``backoff_cap`` tune the retry waits (tests use tiny values);
    ``on_rate_limit`` is called with a :class:`RateLimit` after every answer that carries
    the rate-limit headers; ``on_warning`` with the text of an ``X-Cloud66-Warning``.
    """

    def __init__(
        self,
        base_url: str,
        token: Secret | str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        deadline: float = 30.0,
        max_concurrency: int = 6,
        retries: int = 3,
        user_agent: str | None = None,
        account_id: int | None = None,
        backoff_base: float = 0.5,
        backoff_cap: float = 8.0,
        on_rate_limit: Callable[[RateLimit], None] | None = None,
        on_warning: Callable[[str], None] | None = None,
    ) -> None:
        self._session = ApiSession(
            base_url,
            token,
            transport=transport,
            timeout=timeout,
            deadline=deadline,
            max_concurrency=max_concurrency,
            retries=retries,
            user_agent=user_agent,
            account_id=account_id,
            backoff_base=backoff_base,
            backoff_cap=backoff_cap,
            on_rate_limit=on_rate_limit,
            on_warning=on_warning,
        )

    # -- lifecycle and state ---------------------------------------------------------

    async def __aenter__(self) -> Cloud66Client:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool. The client cannot be used afterwards."""
        await self._session.aclose()

    @property
    def base_url(self) -> str:
        return str(self._session.base_url)

    @property
    def account_id(self) -> int | None:
        return self._session.account_id

    @property
    def max_concurrency(self) -> int:
        return self._session.max_concurrency

    @property
    def rate_limit(self) -> RateLimit:
        """What the latest answer said about the hourly request budget."""
        return self._session.rate_limit

    @property
    def last_warning(self) -> str | None:
        """The latest ``X-Cloud66-Warning`` header, if any answer had one."""
        return self._session.last_warning

    @property
    def request_count(self) -> int:
        """How many HTTP requests this client has sent (every attempt counts)."""
        return self._session.request_count

    @property
    def on_rate_limit(self) -> Callable[[RateLimit], None] | None:
        return self._session.on_rate_limit

    @on_rate_limit.setter
    def on_rate_limit(self, callback: Callable[[RateLimit], None] | None) -> None:
        self._session.on_rate_limit = callback

    @property
    def on_warning(self) -> Callable[[str], None] | None:
        return self._session.on_warning

    @on_warning.setter
    def on_warning(self, callback: Callable[[str], None] | None) -> None:
        self._session.on_warning = callback

    def _note_warning(self, text: str) -> None:
        """A warning of our own about an answer (page figures that disagree)."""
        self._session.last_warning = text
        if self._session.on_warning is not None:
            self._session.on_warning(text)

    def __repr__(self) -> str:
        return f"Cloud66Client({self.base_url!r})"

    # -- plumbing --------------------------------------------------------------------

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET and return the whole decoded body (envelope included)."""
        return (await self._session.request("GET", path, params=params)).body

    async def _get_object(self, path: str) -> dict:
        body = await self._get(path)
        data = body.get("response", body) if isinstance(body, dict) else body
        if not isinstance(data, dict):
            raise UnexpectedResponseError(
                "Cloud 66 sent an answer in an unexpected shape (expected one object)."
            )
        return data

    async def _get_page(self, path: str, page: int = 1) -> list[dict]:
        body = await self._get(path, {"page": page})
        return [item for item in page_items(body) if isinstance(item, dict)]

    async def _get_all(self, path: str) -> list[dict]:
        async def fetch(page: int) -> Any:
            return await self._get(path, {"page": page})

        items = await fetch_all_pages(
            fetch, max_concurrency=self.max_concurrency, on_notice=self._note_warning
        )
        return [item for item in items if isinstance(item, dict)]

    async def _write(self, method: str, path: str, payload: dict | None = None) -> dict | None:
        """Send a write once; return the unwrapped object (``None`` for an empty body)."""
        reply = await self._session.request(method, path, json_body=payload)
        body = reply.body
        if body is None:
            return None
        data = body.get("response", body) if isinstance(body, dict) else body
        if isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict):
            data = data[0]  # some writes wrap their action in an array
        return data if isinstance(data, dict) else None

    async def _write_action(self, method: str, path: str, payload: dict | None = None) -> Action:
        data = await self._write(method, path, payload)
        return Action.from_api(data or {})

    @staticmethod
    def _stack(uid: str) -> str:
        return f"/stacks/{_seg(uid)}"

    # -- stacks ----------------------------------------------------------------------

    async def list_stacks(self) -> list[Stack]:
        """Every stack the token can see (all pages, fetched concurrently, in order)."""
        stacks: list[Stack] = []
        seen: set[str] = set()
        for item in await self._get_all("/stacks"):
            stack = Stack.from_api(item)
            if stack.uid and stack.uid in seen:
                continue  # the list shifted between pages
            seen.add(stack.uid)
            stacks.append(stack)
        return stacks

    async def iter_stack_pages(self) -> AsyncIterator[list[Stack]]:
        """Walk the stack list one page at a time (sequential; for streaming views)."""

        async def fetch(page: int) -> Any:
            return await self._get("/stacks", {"page": page})

        async for items in iter_pages(fetch):
            yield [Stack.from_api(item) for item in items if isinstance(item, dict)]

    async def get_stack(self, uid: str) -> Stack:
        return Stack.from_api(await self._get_object(self._stack(uid)))

    # -- deployments -----------------------------------------------------------------

    async def list_deployments(self, uid: str, page: int = 1) -> list[Deployment]:
        """One page of deployments (newest first)."""
        items = await self._get_page(f"{self._stack(uid)}/deployments", page)
        return [Deployment.from_api(item) for item in items]

    async def get_deployment(self, uid: str, deployment_id: int | str) -> Deployment:
        path = f"{self._stack(uid)}/deployments/{_seg(deployment_id)}"
        return Deployment.from_api(await self._get_object(path))

    async def redeploy(
        self, uid: str, git_ref: str | None = None, services: list[str] | None = None
    ) -> RedeployResult:
        """Ask Cloud 66 to redeploy the stack. Sent once; never retried."""
        payload: dict[str, Any] = {}
        if git_ref:
            payload["git_ref"] = git_ref
        if services:
            payload["services"] = list(services)
        data = await self._write("POST", f"{self._stack(uid)}/deployments", payload or None)
        return RedeployResult.from_api(data or {"ok": True})

    async def cancel_deployment(self, uid: str, deployment_id: int | str) -> dict:
        path = f"{self._stack(uid)}/deployments/{_seg(deployment_id)}"
        return await self._write("DELETE", path) or {}

    # -- servers ---------------------------------------------------------------------

    async def list_servers(self, uid: str) -> list[Server]:
        return [Server.from_api(i) for i in await self._get_all(f"{self._stack(uid)}/servers")]

    async def list_server_groups(self, uid: str) -> list[ServerGroup]:
        items = await self._get_all(f"{self._stack(uid)}/server_groups")
        return [ServerGroup.from_api(i) for i in items]

    # -- settings --------------------------------------------------------------------

    async def list_stack_settings(self, uid: str) -> list[Setting]:
        items = await self._get_all(f"{self._stack(uid)}/settings")
        return [Setting.from_api(i) for i in items]

    async def list_server_settings(self, uid: str, server_uid: str) -> list[Setting]:
        items = await self._get_all(f"{self._stack(uid)}/servers/{_seg(server_uid)}/settings")
        return [Setting.from_api(i) for i in items]

    async def update_stack_setting(self, uid: str, key_or_id: str, value: Any) -> Action:
        path = f"{self._stack(uid)}/settings/{_seg(setting_id(key_or_id))}"
        return await self._write_action("PUT", path, {"value": value})

    async def update_server_setting(
        self, uid: str, server_uid: str, key_or_id: str, value: Any
    ) -> Action:
        path = (
            f"{self._stack(uid)}/servers/{_seg(server_uid)}/settings/{_seg(setting_id(key_or_id))}"
        )
        return await self._write_action("PUT", path, {"value": value})

    # -- environment variables -------------------------------------------------------

    async def list_env_vars(self, uid: str) -> list[EnvVar]:
        items = await self._get_all(f"{self._stack(uid)}/environments")
        return [EnvVar.from_api(i) for i in items]

    async def create_env_var(
        self, uid: str, key: str, value: Any, apply_strategy: str | None = None
    ) -> Action:
        payload: dict[str, Any] = {"key": key, "value": value}
        if apply_strategy:
            payload["apply_strategy"] = apply_strategy
        return await self._write_action("POST", f"{self._stack(uid)}/environments", payload)

    async def update_env_var(
        self, uid: str, key: str, value: Any, apply_strategy: str | None = None
    ) -> Action:
        payload: dict[str, Any] = {"value": value}
        if apply_strategy:
            payload["apply_strategy"] = apply_strategy
        path = f"{self._stack(uid)}/environments/{_seg(key)}"
        return await self._write_action("PUT", path, payload)

    async def delete_env_var(
        self, uid: str, key: str, apply_strategy: str | None = None
    ) -> Action | None:
        """Delete a variable. Returns the action, or ``None`` when Cloud 66 sent none."""
        payload = {"apply_strategy": apply_strategy} if apply_strategy else None
        data = await self._write("DELETE", f"{self._stack(uid)}/environments/{_seg(key)}", payload)
        if not data or "id" not in data:
            return None
        return Action.from_api(data)

    # -- jobs ------------------------------------------------------------------------

    async def list_jobs(self, uid: str) -> list[Job]:
        return [Job.from_api(i) for i in await self._get_all(f"{self._stack(uid)}/jobs")]

    async def get_job(self, uid: str, job_uid: str) -> Job:
        return Job.from_api(await self._get_object(f"{self._stack(uid)}/jobs/{_seg(job_uid)}"))

    async def run_job(self, uid: str, job_uid: str, args: str | None = None) -> Action:
        payload = {"job_args": args} if args else None
        path = f"{self._stack(uid)}/jobs/{_seg(job_uid)}/run_now"
        return await self._write_action("POST", path, payload)

    async def pause_job(self, uid: str, job_uid: str) -> Action:
        return await self._write_action("POST", f"{self._stack(uid)}/jobs/{_seg(job_uid)}/pause")

    async def resume_job(self, uid: str, job_uid: str) -> Action:
        path = f"{self._stack(uid)}/jobs/{_seg(job_uid)}/unpause"
        return await self._write_action("POST", path)

    # -- actions ---------------------------------------------------------------------

    async def list_actions(self, uid: str, page: int = 1) -> list[Action]:
        """One page of the stack's actions."""
        items = await self._get_page(f"{self._stack(uid)}/actions", page)
        return [Action.from_api(item) for item in items]

    async def get_action(self, uid: str, action_id: int | str) -> Action:
        path = f"{self._stack(uid)}/actions/{_seg(action_id)}"
        return Action.from_api(await self._get_object(path))

    async def run_stack_action(self, uid: str, command: str, **params: Any) -> Action:
        """Start a stack action (``restart``, ``clear_caches``, ``maintenance_mode``...)."""
        payload = {"command": command, **params}
        return await self._write_action("POST", f"{self._stack(uid)}/actions", payload)

    async def set_maintenance_mode(self, uid: str, on: bool) -> Action:
        return await self.run_stack_action(uid, "maintenance_mode", value=1 if on else 0)

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
        """Poll an action until it finishes; the waits grow from ``interval`` by half
        each time up to ``max_interval``.

        Raises :class:`ActionTimeoutError` (with the last state) after ``timeout``
        seconds. Cancel the awaiting task to stop early; the action itself carries on.
        """
        loop = asyncio.get_running_loop()
        give_up = loop.time() + timeout
        wait = max(0.0, interval)
        while True:
            action = await self.get_action(uid, action_id)
            if on_poll is not None:
                on_poll(action)
            if action.is_finished:
                return action
            left = give_up - loop.time()
            if left <= 0:
                raise ActionTimeoutError(
                    f"The action is still running after {timeout:g} seconds. It carries on "
                    "at Cloud 66; check it again later.",
                    action=action,
                )
            await asyncio.sleep(min(wait, left))
            wait = min(max_interval, max(wait * 1.5, 0.01))

    # -- accounts and users ----------------------------------------------------------

    async def list_accounts(self) -> list[Account]:
        return [Account.from_api(i) for i in await self._get_all("/accounts")]

    async def get_account(self) -> Account | None:
        """The first account of ``/accounts``; ``None`` when the token lacks the scope."""
        try:
            items = await self._get_page("/accounts", 1)
        except MissingScopeError:
            return None
        if self.account_id is not None:
            for item in items:
                account = Account.from_api(item)
                if account.id == self.account_id:
                    return account
        return Account.from_api(items[0]) if items else None

    async def list_users(self) -> list[User]:
        return [User.from_api(i) for i in await self._get_all("/users")]

    async def whoami(self) -> str:
        """The signed-in user's email: from ``/users``, else the account owner, else ``""``."""
        try:
            users = await self._get_page("/users", 1)
        except MissingScopeError:
            return ""
        for item in users:
            email = User.from_api(item).email
            if email:
                return email
        account = await self.get_account()
        return account.owner if account else ""
