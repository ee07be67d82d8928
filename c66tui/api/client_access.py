"""Connectivity checks, the environment-variable download and server access of
:class:`~c66tui.api.client.Cloud66Client`.

All of them are v3 only but the lease and the server key, which the legacy pages document
too (the Go library's ``ping.go`` and ``StackEnvVarsString``; a legacy base sends the v3
requests to its ``/api/3`` sibling).
"""

from __future__ import annotations

from typing import Any

from c66tui.redaction import register_secret
from c66tui.secret import Secret

from .client_base import ClientBase, unwrap
from .errors import UnexpectedResponseError
from .models import Action


class AccessMixin(ClientBase):
    """Ping, env-var download, firewall lease and server key."""

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
        data = unwrap(body)
        key = None
        if isinstance(data, dict):
            key = data.get("ssh_private_key") or data.get("private_key")
        if not isinstance(key, str) or "PRIVATE KEY" not in key:
            raise UnexpectedResponseError("Cloud 66 sent no private key for this server.")
        register_secret(key.strip())  # one entry per key: the registry is bounded
        return Secret(key)
