"""Fixtures for API tests against the loopback sandbox."""

from __future__ import annotations

import pytest

from c66tui.api import Cloud66Client


def make_client(url: str, token, **kwargs) -> Cloud66Client:
    """A client with tiny backoff waits so retry tests stay fast."""
    kwargs.setdefault("backoff_base", 0.01)
    kwargs.setdefault("backoff_cap", 0.05)
    kwargs.setdefault("timeout", 5.0)
    kwargs.setdefault("deadline", 15.0)
    return Cloud66Client(url, token, **kwargs)


@pytest.fixture
async def api(sandbox):
    """A client for the session sandbox, signed in with the all-scopes demo token."""
    from c66tui.sandbox import Sandbox

    async with make_client(sandbox.api_url, Sandbox.DEMO_TOKEN) as client:
        yield client


def api_requests(sandbox, method: str | None = None, contains: str = "") -> list[dict]:
    """Entries of the sandbox request log for API paths (optionally one method/path part)."""
    return [
        entry
        for entry in sandbox.sandbox.request_log
        if "/api/" in entry["path"]
        and (method is None or entry["method"] == method)
        and contains in entry["path"]
    ]
