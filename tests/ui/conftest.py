"""Fixtures for Pilot and snapshot tests: a real app against the loopback sandbox."""

from __future__ import annotations

import contextlib

import pytest

ALL_SCOPES = ("public", "redeploy", "jobs", "admin", "users")


@pytest.fixture
def app_factory(sandbox, isolated_dirs):
    """Build a logged-in (or logged-out) ``C66App`` talking to the sandbox over a socket.

    ``app_factory(scopes=..., read_only=False, logged_in=True, profile="default",
    client_kwargs={...}, preferences={...})`` returns the app; run it with
    ``async with app.run_test(size=(120, 40)) as pilot``.
    """
    from c66tui.api import Cloud66Client
    from c66tui.api.secret import Secret
    from c66tui.config import ConfigStore, Profile, Settings
    from c66tui.ui.app import make_app

    def build(
        *,
        scopes=ALL_SCOPES,
        read_only=False,
        logged_in=True,
        profile="default",
        client_kwargs=None,
        preferences=None,
        email="ops@example.com",
    ):
        store = ConfigStore(isolated_dirs["config"])

        def setup(config):
            config.profiles[profile] = Profile(
                name=profile,
                api_url=sandbox.api_url,
                client_id="c66tui-sandbox",
                scopes=tuple(scopes),
                read_only=read_only,
            )
            config.active_profile = profile
            for key, value in (preferences or {}).items():
                setattr(config.preferences, key, value)

        config = store.update(setup)
        token = None
        if logged_in:
            token = Secret(sandbox.sandbox.mint_token(list(scopes), email=email))
            store.set_token(profile, token, client_secret=Secret("sandbox-secret"))
        settings = Settings(
            store=store,
            config=config,
            profile=config.profiles[profile],
            token=token,
            token_source="file" if token else None,
            read_only=False,
            demo=False,
        )
        kwargs = {"timeout": 3.0, "deadline": 6.0}
        kwargs.update(client_kwargs or {})

        def api_factory(api_url, secret):
            return Cloud66Client(api_url, secret, **kwargs)

        return make_app(settings, api_factory=api_factory)

    return build


async def wait_for_workers(app) -> None:
    """Wait until every worker of the app has finished (cancelled ones included)."""
    from textual.worker import WorkerCancelled

    with contextlib.suppress(WorkerCancelled):
        await app.workers.wait_for_complete()


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    """Stop Input cursors blinking so snapshots are stable."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False, raising=False)


@pytest.fixture(autouse=True)
def budget_counter_at_once(monkeypatch):
    """Show every API answer's budget at once, as the tests that pin or read the counter
    expect; the repaint throttle has its own test (tests/ui/test_identity_bar.py)."""
    from c66tui.ui.app import C66App

    monkeypatch.setattr(C66App, "RATE_REPAINT_SECONDS", 0.0)


@pytest.fixture(autouse=True)
def watched_timers(monkeypatch):
    """Let ``tests.waiting.until_idle`` see the one-shot timers the app starts."""
    from textual.message_pump import MessagePump

    from tests.waiting import TIMERS

    TIMERS.install(monkeypatch, MessagePump)
    yield TIMERS
    TIMERS.pending.clear()


@pytest.fixture(autouse=True)
def recorded_notices(monkeypatch):
    """Let ``tests.ui.notices.notices(app)`` list what the app notified."""
    from textual.app import App

    from tests.ui import notices

    notices.install(monkeypatch, App)
