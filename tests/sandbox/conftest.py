"""Fixtures for the sandbox tests: HTTP clients against the session's loopback server."""

from __future__ import annotations

import httpx
import pytest

from c66tui.sandbox import Sandbox


@pytest.fixture
def world(sandbox) -> Sandbox:
    """The in-memory world behind the served sandbox (already reset)."""
    return sandbox.sandbox


@pytest.fixture
def api(sandbox):
    """Client for ``/api/3`` with the demo token (every scope)."""
    with httpx.Client(
        base_url=sandbox.api_url,
        headers={"Authorization": f"Bearer {Sandbox.DEMO_TOKEN}"},
        timeout=10,
    ) as client:
        yield client


@pytest.fixture
def root(sandbox):
    """Client for the server root (OAuth pages and ``/_sandbox`` control endpoints)."""
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as client:
        yield client


@pytest.fixture
def uid(world):
    """Look up a seed stack's uid by name."""

    def find(name: str) -> str:
        return world.find_stack(name).uid

    return find


def token_client(sandbox, scopes, email=None, *, legacy: bool = False) -> httpx.Client:
    """A client whose token has exactly ``scopes`` (``legacy``: on the ``/api/2`` base)."""
    token = sandbox.sandbox.mint_token(scopes, email)
    base = sandbox.api2_url if legacy else sandbox.api_url
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=10)


@pytest.fixture
def legacy(sandbox):
    """Client for the legacy ``/api/2`` surface with the demo token."""
    with httpx.Client(
        base_url=sandbox.api2_url,
        headers={"Authorization": f"Bearer {Sandbox.DEMO_TOKEN}"},
        timeout=10,
    ) as client:
        yield client
