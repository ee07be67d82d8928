"""A 429 answer to a write is reported, never resent (a read is retried after the wait).

Through a real socket to the sandbox, whose fault injection answers 429 with a short
``Retry-After`` (short enough that a client allowed to retry would do so): every write
method sends exactly one request; the same answer to a GET is retried once and succeeds.
"""

from __future__ import annotations

import pytest

from c66tui.api.errors import Cloud66Error, RateLimitedError
from c66tui.sandbox import seed

from .conftest import api_requests

THROTTLED = {"status": 429, "error": "throttled", "headers": {"Retry-After": "0.01"}}
"""A 429 asking for a wait far shorter than the client's deadline (times=None: each time)."""


def uid_of(sandbox, name: str) -> str:
    return sandbox.sandbox.find_stack(name).uid


async def redeploy(api, sandbox):
    await api.redeploy(uid_of(sandbox, seed.MARKUP_STACK))


async def run_job(api, sandbox):
    uid = uid_of(sandbox, seed.HISTORY_STACK)
    job = sandbox.sandbox.details(sandbox.sandbox.stacks[uid]).jobs[0]
    await api.run_job(uid, job.uid)


async def set_env_var(api, sandbox):
    await api.create_env_var(uid_of(sandbox, seed.HISTORY_STACK), "THROTTLED_KEY", "value")


WRITES = {
    "redeploy": ("POST", "/deployments", redeploy),
    "run job": ("POST", "/run_now", run_job),
    "create env var": ("POST", "/environments", set_env_var),
}


@pytest.mark.parametrize("name", list(WRITES))
@pytest.mark.parametrize("when", ["before", "after"])
async def test_a_429_to_a_write_is_never_resent(api, sandbox, name, when):
    method, fragment, write = WRITES[name]
    sandbox.sandbox.inject_fault(fragment, method=method, times=None, when=when, **THROTTLED)
    with pytest.raises(Cloud66Error) as info:
        await write(api, sandbox)
    assert isinstance(info.value, RateLimitedError), repr(info.value)
    assert len(api_requests(sandbox, method, fragment)) == 1, "the write was sent again"


async def test_a_429_to_a_read_is_retried_after_the_wait(api, sandbox):
    uid = uid_of(sandbox, seed.HISTORY_STACK)
    sandbox.sandbox.inject_fault(f"/stacks/{uid}$", method="GET", times=1, **THROTTLED)
    stack = await api.get_stack(uid)
    assert stack.uid == uid
    assert len(api_requests(sandbox, "GET", f"/stacks/{uid}")) == 2
