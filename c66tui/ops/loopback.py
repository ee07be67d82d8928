"""The loopback callback of a login: one HTTP listener on ``127.0.0.1`` for the
browser's redirect (RFC 8252 section 7.3).

:class:`LoopbackListener` binds the host and port of the profile's callback (loopback
only: ``localhost`` is bound as ``127.0.0.1``), answers every request with a short page,
and finishes after the first request that carries this login's ``state``: with its code,
or with the server's ``error=`` words. A request with another ``state`` (or none) is
answered "not this login" and the listener keeps waiting; other paths get a 404. It
never outlives :meth:`LoopbackListener.close`, which the login screen calls when it
closes. Binding can fail (the port is taken, a privileged port):
:class:`ListenerUnavailable` then says so in a sentence, and the login falls back to a
paste.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import html
from urllib.parse import parse_qs, urlsplit

from c66tui.api.oauth_code import Redirect, read_redirect

LOOPBACK_HOSTS = {"127.0.0.1": "127.0.0.1", "localhost": "127.0.0.1", "::1": "::1"}
_READ_TIMEOUT = 5.0
_MAX_REQUEST = 16 * 1024


class ListenerUnavailable(Exception):
    """The callback cannot be received here; the message says why, for the user."""


def loopback_address(redirect_uri: str) -> tuple[str, int, str] | None:
    """``(bind host, port, path)`` of an ``http://127.0.0.1:PORT/...`` or ``localhost``
    callback, else ``None`` (the port defaults to 80)."""
    try:
        parts = urlsplit(redirect_uri)
        port = parts.port or 80
    except ValueError:
        return None
    if parts.scheme != "http" or (parts.hostname or "") not in LOOPBACK_HOSTS:
        return None
    return LOOPBACK_HOSTS[parts.hostname or ""], port, parts.path or "/"


def _page(status: str, title: str, text: str) -> bytes:
    body = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body style='font-family:sans-serif'>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    ).encode()
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nCache-Control: no-store\r\n"
        "Referrer-Policy: no-referrer\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class LoopbackListener:
    """Receives one redirect for the login that issued ``state``."""

    def __init__(self, redirect_uri: str, state: str) -> None:
        address = loopback_address(redirect_uri)
        if address is None:
            raise ValueError(f"Not a loopback callback: {redirect_uri!r}")
        self.host, self.port, self.path = address
        self.redirect_uri = redirect_uri
        self.state = state
        self._server: asyncio.Server | None = None
        self._result: asyncio.Future[Redirect] | None = None

    async def start(self) -> None:
        """Bind the callback's address; :class:`ListenerUnavailable` when it cannot."""
        self._result = asyncio.get_running_loop().create_future()
        try:
            self._server = await asyncio.start_server(
                self._serve, self.host, self.port, reuse_address=True
            )
        except OSError as exc:
            where = f"{self.host}:{self.port}"
            if exc.errno == errno.EADDRINUSE:
                reason = f"Port {self.port} on {self.host} is in use by another program"
            elif exc.errno in (errno.EACCES, errno.EPERM):
                reason = f"Port {self.port} needs administrator rights"
            else:
                reason = f"{where} cannot be opened ({exc.strerror or exc})"
            raise ListenerUnavailable(
                f"{reason}, so c66tui cannot receive the redirect: approve, then paste the "
                "address your browser was sent to:"
            ) from None

    @property
    def listening(self) -> bool:
        """Whether the callback's address is bound and accepting."""
        return self._server is not None

    @property
    def bound_addresses(self) -> list[tuple]:
        """The socket addresses actually bound (``(host, port, ...)`` each; none when
        not listening), e.g. to check that ``localhost`` was bound as ``127.0.0.1``."""
        server = self._server
        return [sock.getsockname() for sock in server.sockets] if server is not None else []

    async def wait(self) -> Redirect:
        """The callback's code; ``ValueError`` with the server's words for an
        ``error=`` answer to this login."""
        if self._result is None:
            raise RuntimeError("start() the listener first")
        try:
            return await asyncio.shield(self._result)
        finally:
            if self._result.done():
                await self.close()

    async def close(self) -> None:
        """Stop listening (idempotent); a pending :meth:`wait` is cancelled."""
        server = self._server
        self.close_now()
        if server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 2.0)

    def close_now(self) -> None:
        """Stop accepting at once (for callers that cannot wait, such as an unmount)."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        if self._result is not None and not self._result.done():
            self._result.cancel()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), _READ_TIMEOUT)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, OSError):
            writer.close()
            return
        answer = self._answer(head[:_MAX_REQUEST])
        with contextlib.suppress(OSError):
            writer.write(answer)
            await writer.drain()
        writer.close()

    def _answer(self, head: bytes) -> bytes:
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        method, _, rest = line.partition(" ")
        target = rest.rsplit(" ", 1)[0]
        if method != "GET":
            return _page("405 Method Not Allowed", "Not here", "Only the login redirect.")
        parts = urlsplit(target)
        if parts.path != self.path:
            return _page("404 Not Found", "Not here", "This address is only for the login.")
        fields = parse_qs(parts.query, keep_blank_values=True)
        if (fields.get("state") or [None])[0] != self.state or self._result is None:
            return _page(
                "400 Bad Request",
                "Not this login",
                "This address does not belong to the login c66tui is waiting for. "
                "Start again from the address c66tui shows.",
            )
        if self._result.done():
            return _page("200 OK", "Already done", "c66tui already has this login.")
        try:
            redirect = read_redirect(target, state=self.state)
        except ValueError as error:
            self._result.set_exception(error)
            return _page("200 OK", "Login not finished", f"{error} Go back to c66tui.")
        self._result.set_result(redirect)
        return _page(
            "200 OK",
            "Approved",
            "c66tui received the approval and is finishing the login. You can close this tab.",
        )
