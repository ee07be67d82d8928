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

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from .action_wait import wait_for_action
from .client_accounts import AccountsMixin
from .errors import UnexpectedResponseError
from .legacy import action_from_ack, settings_from_legacy
from .models import (
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
)
from .pagination import fetch_all_pages, iter_pages, page_items
from .redaction import register_secret
from .routes import ApiBase, Target, segment
from .secret import Secret
from .transport.session import ApiSession

PARSE_SLICE = 500
"""Stacks parsed between two hand-backs to the event loop (a few milliseconds' work)."""


def setting_id(key_or_id: str) -> str:
    """The dashed form of a setting key used in paths (``git.branch`` -> ``git-branch``)."""
    return str(key_or_id).strip().replace(".", "-")


class Cloud66Client(AccountsMixin):
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
        self.api_base = ApiBase(base_url)
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

    async def _send(self, target: Target, params: dict | None = None, payload: Any = None):
        return await self._session.request(
            target.method, target.url, params=params, json_body=payload
        )

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET ``path`` (routed by generation) and return the whole decoded body."""
        return (await self._send(self.api_base.target_for_path("GET", path), params)).body

    async def _read(self, name: str, params: dict | None = None, **ids: Any) -> Any:
        """GET route ``name`` and return the whole decoded body (envelope included)."""
        return (await self._send(self.api_base.target(name, **ids), params)).body

    async def _read_object(self, name: str, **ids: Any) -> dict:
        body = await self._read(name, **ids)
        data = body.get("response", body) if isinstance(body, dict) else body
        if not isinstance(data, dict):
            raise UnexpectedResponseError(
                "Cloud 66 sent an answer in an unexpected shape (expected one object)."
            )
        return data

    async def _read_page(self, name: str, page: int = 1, **ids: Any) -> list[dict]:
        body = await self._read(name, {"page": page}, **ids)
        return [item for item in page_items(body) if isinstance(item, dict)]

    async def _read_all(self, name: str, **ids: Any) -> list[dict]:
        target = self.api_base.target(name, **ids)

        async def fetch(page: int) -> Any:
            return (await self._send(target, {"page": page})).body

        items = await fetch_all_pages(
            fetch, max_concurrency=self.max_concurrency, on_notice=self._note_warning
        )
        return [item for item in items if isinstance(item, dict)]

    async def _write(
        self, name: str, payload: dict | None = None, *, target: Target | None = None, **ids: Any
    ) -> dict | None:
        """Send a write once; return the unwrapped object (``None`` for an empty body)."""
        reply = await self._send(target or self.api_base.target(name, **ids), None, payload)
        body = reply.body
        if body is None:
            return None
        data = body.get("response", body) if isinstance(body, dict) else body
        if isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict):
            data = data[0]  # some writes wrap their action in an array
        return data if isinstance(data, dict) else None

    async def _write_action(self, name: str, payload: dict | None = None, **ids: Any) -> Action:
        target = self.api_base.target(name, **ids)
        data = await self._write(name, payload, target=target)
        if target.legacy:
            return action_from_ack(data or {}, name)
        return Action.from_api(data or {})

    # -- stacks ----------------------------------------------------------------------

    async def list_stacks(self) -> list[Stack]:
        """Every stack the token can see (all pages, fetched concurrently, in order)."""
        stacks: list[Stack] = []
        seen: set[str] = set()
        for index, item in enumerate(await self._read_all("list_stacks")):
            if index and not index % PARSE_SLICE:
                await asyncio.sleep(0)  # thousands of stacks: let the event loop breathe
            stack = Stack.from_api(item)
            if stack.uid and stack.uid in seen:
                continue  # the list shifted between pages
            seen.add(stack.uid)
            stacks.append(stack)
        return stacks

    async def iter_stack_pages(self) -> AsyncIterator[list[Stack]]:
        """Walk the stack list one page at a time (sequential; for streaming views)."""
        target = self.api_base.target("list_stacks")

        async def fetch(page: int) -> Any:
            return (await self._send(target, {"page": page})).body

        async for items in iter_pages(fetch):
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

    # -- connectivity checks and env var download (v3 only: the Go library's ping.go and
    # StackEnvVarsString; a legacy base sends them to its /api/3 sibling) ----------------

    ENV_FORMATS = ("dotenv", "json")
    ENV_KINDS = ("all", "user", "generated", "locked")

    async def _ping(self, name: str) -> bool:
        body = await self._read(name)
        data = body.get("response") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise UnexpectedResponseError(
                "Cloud 66 sent an answer in an unexpected shape (expected a ping reply)."
            )
        return data.get("ok") is True

    async def ping(self) -> bool:
        """Whether Cloud 66 answers its ping (``GET /api/3/ping``, no token needed)."""
        return await self._ping("ping")

    async def ping_auth(self) -> bool:
        """Whether Cloud 66 accepts the token (``GET /api/3/ping/auth``); a refused token
        raises :class:`~c66tui.api.errors.AuthenticationError`."""
        return await self._ping("ping_auth")

    async def download_env_vars(
        self, uid: str, fmt: str = "dotenv", kinds: tuple[str, ...] | list[str] = ("all",)
    ) -> str:
        """The stack's environment variables as one ``dotenv`` or ``json`` text, limited
        to ``kinds`` (``all``, ``user``, ``generated``, ``locked``). The text holds secret
        values: show it only where the user asked for it."""
        if fmt not in self.ENV_FORMATS:
            raise ValueError(f"Unknown format {fmt!r}; use {' or '.join(self.ENV_FORMATS)}")
        unknown = [kind for kind in kinds if kind not in self.ENV_KINDS]
        if unknown or not kinds:
            raise ValueError(f"Unknown kinds {unknown!r}; use {', '.join(self.ENV_KINDS)}")
        query = {"environments_format": fmt, "requested_types": ",".join(kinds)}
        body = await self._read("download_env_vars", query, uid=uid)
        data = body.get("response") if isinstance(body, dict) else None
        contents = data.get("contents") if isinstance(data, dict) else None
        if not isinstance(contents, str):
            raise UnexpectedResponseError(
                "Cloud 66 sent an answer in an unexpected shape (expected the variables' text)."
            )
        return contents

    # -- server access: firewall lease and server key --------------------------------

    @property
    def legacy_api(self) -> bool:
        """True when the base URL is the legacy ``/api/2`` generation."""
        return self.api_base.is_legacy

    async def open_lease(
        self,
        uid: str,
        *,
        minutes: int = 20,
        from_ip: str = "AUTO",
        port: int = 22,
        server_uid: str = "",
    ) -> Action | dict:
        """Open the firewall for a while (sent once, never retried).

        ``/api/3``: ``POST /stacks/{uid}/firewalls`` with ``ttl``, ``from_ip``, ``port``,
        ``server_id`` and TCP, answered with an ``open_lease`` action. ``/api/2``: the
        legacy ``POST /stacks/{uid}/lease``, answered at once with ``ok`` and a message
        (returned as a dict).
        """
        if self.legacy_api:
            payload: dict[str, Any] = {"time_to_open": int(minutes), "port": int(port)}
            if from_ip and from_ip.upper() != "AUTO":
                payload["ip_address"] = from_ip
            return await self._write("open_lease", payload, uid=uid) or {}
        payload = {
            "ttl": int(minutes),
            "from_ip": from_ip or "AUTO",
            "port": int(port),
            "protocol": 1,
            "server_id": server_uid or "",
        }
        data = await self._write("open_lease", payload, uid=uid)
        return Action.from_api(data or {})

    async def get_server_key(self, uid: str, server_uid: str) -> Secret:
        """The server's private SSH key (``admin``; Cloud 66 e-mails the account's users).

        ``/api/3``: ``GET /stacks/{uid}/servers/{server_uid}?include_private_key=1``
        (field ``ssh_private_key``); ``/api/2``: ``GET /servers/{server_uid}/ssh_private_key``
        (field ``private_key``). The key is registered with the redaction layer at once.
        """
        params = None if self.legacy_api else {"include_private_key": 1}
        body = await self._read("get_server_key", params, uid=uid, server_uid=server_uid)
        data = body.get("response", body) if isinstance(body, dict) else None
        key = None
        if isinstance(data, dict):
            key = data.get("ssh_private_key") or data.get("private_key")
        if not isinstance(key, str) or "PRIVATE KEY" not in key:
            raise UnexpectedResponseError("Cloud 66 sent no private key for this server.")
        register_secret(key.strip())  # one entry per key: the registry is bounded
        return Secret(key)
