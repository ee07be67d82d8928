"""The request plumbing every part of :class:`~c66tui.api.client.Cloud66Client` shares.

:class:`ClientBase` owns one :class:`~c66tui.api.transport.session.ApiSession` and turns
route names (:mod:`c66tui.api.routes`) into calls: reads of one object, one page or all
pages, and writes sent once that answer an object, an action or nothing.
"""

from __future__ import annotations

from typing import Any, Self, Unpack

from c66tui.secret import Secret

from .errors import UnexpectedResponseError
from .legacy import action_from_ack
from .models import Action
from .pagination import fetch_all_pages, page_items
from .routes import ApiBase, Target
from .transport.session import ApiSession, SessionOptions


class SessionAttribute:
    """A client attribute that is the session's attribute of the same name
    (``writable``: setting it sets the session's)."""

    def __init__(self, doc: str = "", *, writable: bool = False) -> None:
        self.__doc__ = doc
        self.writable = writable

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, client: ClientBase | None, owner: type | None = None) -> Any:
        if client is None:
            return self
        return getattr(client._session, self.name)

    def __set__(self, client: ClientBase, value: Any) -> None:
        if not self.writable:
            raise AttributeError(f"{self.name} is read-only")
        setattr(client._session, self.name, value)


def unwrap(body: Any) -> Any:
    """The object inside the API's ``{"response": ...}`` envelope (or the body itself)."""
    return body.get("response", body) if isinstance(body, dict) else body


class ClientBase:
    """An async Cloud 66 API client over one ``httpx.AsyncClient``.

    ``options`` tune the session (:class:`SessionOptions`): ``backoff_base`` /
    ``backoff_cap`` the retry waits (tests use tiny values); ``on_rate_limit`` is called
    with a :class:`~c66tui.api.models.RateLimit` after every answer that carries the
    rate-limit headers; ``on_warning`` with the text of an ``X-Cloud66-Warning``.
    """

    def __init__(
        self, base_url: str, token: Secret | str, **options: Unpack[SessionOptions]
    ) -> None:
        self.api_base = ApiBase(base_url)
        self._session = ApiSession(base_url, token, **options)

    # -- lifecycle and state ---------------------------------------------------------

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool. The client cannot be used afterwards."""
        await self._session.aclose()

    @property
    def base_url(self) -> str:
        return str(self._session.base_url)

    account_id = SessionAttribute("The pinned account (sent as ``X-Account``), if any.")
    max_concurrency = SessionAttribute("How many requests may be in flight at once.")
    rate_limit = SessionAttribute("What the latest answer said about the hourly budget.")
    last_warning = SessionAttribute("The latest ``X-Cloud66-Warning``, if any answer had one.")
    request_count = SessionAttribute("How many HTTP requests were sent (every attempt counts).")
    on_rate_limit = SessionAttribute("Called with each new rate limit.", writable=True)
    on_warning = SessionAttribute("Called with each warning.", writable=True)

    @property
    def legacy_api(self) -> bool:
        """True when the base URL is the legacy ``/api/2`` generation."""
        return self.api_base.is_legacy

    def _note_warning(self, text: str) -> None:
        """A warning of our own about an answer (page figures that disagree)."""
        self._session.last_warning = text
        if self._session.on_warning is not None:
            self._session.on_warning(text)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_url!r})"

    # -- reads -----------------------------------------------------------------------

    async def _send(self, target: Target, params: dict | None = None, payload: Any = None):
        return await self._session.request(
            target.method, target.url, params=params, json_body=payload
        )

    async def get_path(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET ``path`` (routed by generation) and return the whole decoded body.

        For a read no named method covers. A whole URL is sent as it is, and the token
        and ``X-Account`` go only to the API's own scheme, host and port (tests use this to
        check exactly that)."""
        return (await self._send(self.api_base.target_for_path("GET", path), params)).body

    async def _read(self, name: str, params: dict | None = None, **ids: Any) -> Any:
        """GET route ``name`` and return the whole decoded body (envelope included)."""
        return (await self._send(self.api_base.target(name, **ids), params)).body

    async def _read_object(self, name: str, **ids: Any) -> dict:
        data = unwrap(await self._read(name, **ids))
        if not isinstance(data, dict):
            raise UnexpectedResponseError(
                "Cloud 66 sent an answer in an unexpected shape (expected one object)."
            )
        return data

    async def _read_page(self, name: str, page: int = 1, **ids: Any) -> list[dict]:
        body = await self._read(name, {"page": page}, **ids)
        return [item for item in page_items(body) if isinstance(item, dict)]

    def _page_fetcher(self, name: str, **ids: Any):
        """A function that fetches one page of route ``name`` (for the page walkers)."""
        target = self.api_base.target(name, **ids)

        async def fetch(page: int) -> Any:
            return (await self._send(target, {"page": page})).body

        return fetch

    async def _read_all(self, name: str, **ids: Any) -> list[dict]:
        items = await fetch_all_pages(
            self._page_fetcher(name, **ids),
            max_concurrency=self.max_concurrency,
            on_notice=self._note_warning,
        )
        return [item for item in items if isinstance(item, dict)]

    # -- writes ----------------------------------------------------------------------

    async def _write(
        self, name: str, payload: dict | None = None, *, target: Target | None = None, **ids: Any
    ) -> dict | None:
        """Send a write once; return the unwrapped object (``None`` for an empty body)."""
        reply = await self._send(target or self.api_base.target(name, **ids), None, payload)
        if reply.body is None:
            return None
        data = unwrap(reply.body)
        if isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict):
            data = data[0]  # some writes wrap their action in an array
        return data if isinstance(data, dict) else None

    async def _write_action(self, name: str, payload: dict | None = None, **ids: Any) -> Action:
        target = self.api_base.target(name, **ids)
        data = await self._write(name, payload, target=target)
        if target.legacy:
            return action_from_ack(data or {}, name)
        return Action.from_api(data or {})
