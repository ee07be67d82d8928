"""Over SSH the app suggests low-bandwidth mode once, and never turns it on by itself."""

from __future__ import annotations

from c66tui.config import ConfigStore
from c66tui.ops import low_bandwidth
from tests.ui.conftest import wait_for_workers
from tests.ui.notices import notices
from tests.ui.test_stacks_support import stacks_ready

SSH = "10.0.0.5 50122 10.0.0.9 22"


def hint_messages(app) -> list[str]:
    return [message for message in notices(app) if "--low-bandwidth" in message]


async def start(app_factory, **kwargs):
    app = app_factory(**kwargs)
    async with app.run_test(size=(100, 30)) as pilot:
        await stacks_ready(app, pilot)
        await wait_for_workers(app)
        await pilot.pause()
        return hint_messages(app), bool(app.services.preferences.low_bandwidth)


async def test_over_ssh_the_hint_is_shown_once(app_factory, sandbox, monkeypatch):
    monkeypatch.setenv("SSH_CONNECTION", SSH)
    assert not low_bandwidth.marker_path().exists()
    messages, forced = await start(app_factory)
    assert len(messages) == 1 and not forced
    assert "Settings (3) > Preferences" in messages[0] and "no mouse capture" in messages[0]
    assert low_bandwidth.marker_path().exists()
    assert ConfigStore().load().preferences.low_bandwidth is False
    messages, _ = await start(app_factory)
    assert messages == []


async def test_no_hint_without_ssh_or_with_the_mode_on(app_factory, sandbox, monkeypatch):
    messages, _ = await start(app_factory)
    assert messages == []
    monkeypatch.setenv("SSH_CONNECTION", SSH)
    messages, forced = await start(app_factory, preferences={"low_bandwidth": True})
    assert messages == [] and forced
    assert not low_bandwidth.marker_path().exists()


def test_hint_due_reads_the_environment_given():
    class Prefs:
        low_bandwidth = False

    assert low_bandwidth.ssh_hint_due(Prefs(), {"SSH_CONNECTION": SSH})
    assert not low_bandwidth.ssh_hint_due(Prefs(), {"SSH_CONNECTION": " "})
    assert not low_bandwidth.ssh_hint_due(Prefs(), {})
    low_bandwidth.remember_hint_shown()
    assert not low_bandwidth.ssh_hint_due(Prefs(), {"SSH_CONNECTION": SSH})
