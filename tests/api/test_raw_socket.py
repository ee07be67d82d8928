"""Transport failures over real loopback sockets, with tiny hand-written servers:
refused connections, servers that never answer, trickle, or hang up."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable

import pytest

from c66tui.api import Cloud66Client
from c66tui.api.errors import NetworkError, OutcomeUnknownError

TOKEN = "raw-socket-token-123456"
OK_BODY = json.dumps({"response": {"uid": "u1", "name": "Shop"}}).encode()

Behaviour = Callable[[int, asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    return head


def ok_response(body: bytes = OK_BODY) -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


class RawServer:
    """A loopback TCP server running ``behaviour(connection_number, reader, writer)``."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.connections = 0
        self.requests = 0
        self.server: asyncio.Server | None = None

    async def __aenter__(self) -> RawServer:
        async def handle(reader, writer):
            self.connections += 1
            try:
                await self.behaviour(self.connections, reader, writer)
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            finally:
                writer.close()

        self.server = await asyncio.start_server(handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc):
        self.server.close()
        await self.server.wait_closed()

    @property
    def api_url(self) -> str:
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/api/2"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fast_client(url: str, **kwargs) -> Cloud66Client:
    kwargs.setdefault("backoff_base", 0.01)
    kwargs.setdefault("backoff_cap", 0.02)
    return Cloud66Client(url, TOKEN, **kwargs)


async def test_connect_refused_get_is_retried_then_network_error():
    async with fast_client(f"http://127.0.0.1:{closed_port()}/api/2") as api:
        with pytest.raises(NetworkError) as info:
            await api.get_stack("u1")
        assert api.request_count == 3
    assert "Could not connect" in info.value.message


async def test_connect_refused_write_says_not_sent():
    async with fast_client(f"http://127.0.0.1:{closed_port()}/api/2") as api:
        with pytest.raises(NetworkError) as info:
            await api.redeploy("u1")
        assert api.request_count == 1
    assert "not sent" in info.value.message
    assert not isinstance(info.value, OutcomeUnknownError)


async def test_trickling_body_is_stopped_by_the_overall_deadline():
    async def trickle(_n, reader, writer):
        await read_request(reader)
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        )
        while True:  # one byte every 50 ms: the 0.5 s read timeout never trips
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(0.05)

    async with RawServer(trickle) as server:
        async with fast_client(server.api_url, timeout=0.5, deadline=1.0) as api:
            loop = asyncio.get_running_loop()
            start = loop.time()
            with pytest.raises(NetworkError) as info:
                await api.get_stack("u1")
            elapsed = loop.time() - start
    # The read timeout never tripped (one byte every 50 ms): the deadline did, not before
    # its second (a lower bound; the trickle never ends, so only the deadline stops it).
    assert elapsed >= 0.9
    assert "within 1 seconds" in info.value.message


async def test_trickling_answer_to_a_write_is_outcome_unknown():
    async def trickle(_n, reader, writer):
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        while True:
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(0.05)

    async with RawServer(trickle) as server:
        async with fast_client(server.api_url, timeout=0.5, deadline=0.8) as api:
            with pytest.raises(OutcomeUnknownError) as info:
                await api.redeploy("u1")
        assert server.connections == 1
    assert "Check the stack" in info.value.message


async def test_silent_server_read_timeout_get_retried_three_times():
    async def silent(_n, reader, writer):
        await read_request(reader)
        await asyncio.sleep(5)

    async with RawServer(silent) as server:
        async with fast_client(server.api_url, timeout=0.2, deadline=5) as api:
            with pytest.raises(NetworkError, match="did not answer in time"):
                await api.get_stack("u1")
            assert api.request_count == 3
        assert server.connections == 3


async def test_hang_ups_before_answering_are_retried_for_reads():
    async def flaky(n, reader, writer):
        await read_request(reader)
        if n <= 2:
            return  # close without a response
        writer.write(ok_response())
        await writer.drain()

    async with RawServer(flaky) as server:
        async with fast_client(server.api_url) as api:
            stack = await api.get_stack("u1")
            assert stack.name == "Shop"
            assert api.request_count == 3


async def test_hang_up_after_a_write_is_outcome_unknown_and_not_resent():
    async def hang_up(_n, reader, writer):
        await read_request(reader)

    async with RawServer(hang_up) as server:
        async with fast_client(server.api_url) as api:
            with pytest.raises(OutcomeUnknownError):
                await api.update_env_var("u1", "KEY", "value")
            assert api.request_count == 1
        assert server.connections == 1


async def test_only_the_api_host_gets_the_token():
    seen: list[bytes] = []

    async def record(_n, reader, writer):
        seen.append(await read_request(reader))
        writer.write(ok_response())
        await writer.drain()

    async with RawServer(record) as api_server, RawServer(record) as other:
        async with fast_client(api_server.api_url) as api:
            await api.get_stack("u1")
            await api.get_path(other.api_url + "/stacks/u1")
    assert f"authorization: Bearer {TOKEN}".lower().encode() in seen[0].lower()
    assert b"authorization" not in seen[1].lower()


async def test_trickling_token_endpoint_is_stopped_by_the_deadline():
    from c66tui.api.oauth import exchange_code

    async def trickle(_n, reader, writer):
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        while True:
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(0.05)

    async with RawServer(trickle) as server:
        base = server.api_url.removesuffix("/api/2")
        with pytest.raises(NetworkError, match="get a new code"):
            await exchange_code(base, "id", "secret", "code-1234567", timeout=0.5, deadline=0.5)
        assert server.connections == 1
