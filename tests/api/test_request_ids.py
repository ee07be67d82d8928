"""A write can be sent with a request id chosen (and journalled) before it goes out."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from c66tui.api.errors import OutcomeUnknownError
from c66tui.api.transport.request_ids import new_request_id, request_id_for, sending_with
from tests.api.test_client_unit import Server, client


async def test_the_next_write_carries_the_chosen_id_once():
    server = Server()
    chosen = new_request_id()
    async with client(server) as api:
        with sending_with(chosen):
            await api.get_stack("u1")  # a read keeps a fresh id
            await api.redeploy("u1")
            await api.redeploy("u1")  # a second write in the block: fresh again
        await api.redeploy("u1")
    read, write, again, after = (r.headers["request-id"] for r in server.requests)
    assert write == chosen
    assert chosen not in (read, again, after)
    assert len({read, write, again, after}) == 4
    assert all(uuid.UUID(value) for value in (read, again, after))


async def test_a_task_made_inside_the_block_sends_with_the_id():
    server = Server()
    chosen = new_request_id()
    async with client(server) as api:
        with sending_with(chosen):
            post = asyncio.ensure_future(api.run_job("u1", "j1"))
        await post
    assert server.requests[0].headers["request-id"] == chosen


async def test_a_lost_answer_names_the_chosen_id():
    server = Server().on("POST", "/api/3/stacks/u1/deployments", httpx.ReadTimeout("slow"))
    chosen = new_request_id()
    async with client(server) as api:
        with sending_with(chosen), pytest.raises(OutcomeUnknownError) as info:
            await api.redeploy("u1")
    assert info.value.request_id == chosen


def test_only_uuids_can_be_chosen():
    for bad in ("", "Bearer abc", "x\r\nAuthorization: y"):
        with pytest.raises(ValueError):
            with sending_with(bad):
                pass
    assert request_id_for("POST") != request_id_for("POST")  # nothing left over
