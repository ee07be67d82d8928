"""The loopback listener on its own: loopback only, one valid callback, ``state``
checked, a short page for everything, closed afterwards or on request."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from c66tui.ops.login_flow import instructions, over_ssh, road_for
from c66tui.ops.loopback import ListenerUnavailable, LoopbackListener, loopback_address


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("uri", "address"),
    [
        ("http://127.0.0.1:34543/callback", ("127.0.0.1", 34543, "/callback")),
        ("http://localhost:8000", ("127.0.0.1", 8000, "/")),
        ("http://[::1]:9000/cb", ("::1", 9000, "/cb")),
        ("http://127.0.0.1/cb", ("127.0.0.1", 80, "/cb")),
        ("https://127.0.0.1:34543/callback", None),
        ("http://0.0.0.0:34543/callback", None),
        ("http://example.com:34543/callback", None),
        ("urn:ietf:wg:oauth:2.0:oob", None),
    ],
)
def test_only_loopback_http_callbacks_are_listened_on(uri, address):
    assert loopback_address(uri) == address


@pytest.mark.parametrize(
    ("uri", "road"),
    [
        ("", "oob"),
        ("urn:ietf:wg:oauth:2.0:oob", "oob"),
        ("http://127.0.0.1:34543/callback", "loopback"),
        ("https://example.com/oauth", "address"),
    ],
)
def test_road_follows_the_callback(uri, road):
    assert road_for(uri) == road


def test_instructions_name_the_road_and_ssh():
    assert "Paste the code" in instructions("oob")
    assert "fails to load" in instructions("address")
    assert "finishes by itself" in instructions("loopback", listening=True, port=5)
    assert "ssh -L 5:127.0.0.1:5" in instructions("loopback", listening=True, ssh=True, port=5)
    assert over_ssh({"SSH_CONNECTION": "1 2 3 4"}) and not over_ssh({})


async def test_one_valid_callback_then_closed():
    port = free_port()
    listener = LoopbackListener(f"http://localhost:{port}/callback", "our-state")
    await listener.start()
    bound = listener.bound_addresses[0]
    assert bound[0] == "127.0.0.1"
    waiting = asyncio.ensure_future(listener.wait())
    async with httpx.AsyncClient(timeout=5) as http:
        base = f"http://127.0.0.1:{port}"
        assert (await http.post(f"{base}/callback?state=our-state&code=x")).status_code == 405
        assert (await http.get(f"{base}/other?state=our-state&code=abc")).status_code == 404
        forged = await http.get(f"{base}/callback?code=abcdefgh99&state=forged")
        assert forged.status_code == 400 and "Not this login" in forged.text
        assert not waiting.done()
        good = await http.get(f"{base}/callback?code=abcdefgh12&state=our-state")
        assert good.status_code == 200 and "close this tab" in good.text
        assert good.headers["cache-control"] == "no-store"
    redirect = await waiting
    assert redirect.code == "abcdefgh12"
    with pytest.raises(httpx.ConnectError):
        async with httpx.AsyncClient(timeout=2) as http:
            await http.get(f"http://127.0.0.1:{port}/callback?code=again&state=our-state")


async def test_error_answer_carries_the_servers_words():
    port = free_port()
    listener = LoopbackListener(f"http://127.0.0.1:{port}/cb", "s1")
    await listener.start()
    waiting = asyncio.ensure_future(listener.wait())
    async with httpx.AsyncClient(timeout=5) as http:
        query = "error=invalid_scope&error_description=Unknown+scope&state=s1"
        page = await http.get(f"http://127.0.0.1:{port}/cb?{query}")
    assert "Login not finished" in page.text
    with pytest.raises(ValueError, match="Cloud 66 said: Unknown scope"):
        await waiting


async def test_close_cancels_the_wait_and_frees_the_port():
    port = free_port()
    listener = LoopbackListener(f"http://127.0.0.1:{port}/cb", "s1")
    await listener.start()
    waiting = asyncio.ensure_future(listener.wait())
    await asyncio.sleep(0)
    await listener.close()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    again = LoopbackListener(f"http://127.0.0.1:{port}/cb", "s2")
    await again.start()
    await again.close()


async def test_a_taken_port_is_explained():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        listener = LoopbackListener(f"http://127.0.0.1:{port}/cb", "s1")
        with pytest.raises(ListenerUnavailable, match=f"Port {port} on 127.0.0.1 is in use"):
            await listener.start()
