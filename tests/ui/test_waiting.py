"""The idle wait counts the app's timers: a poll due soon, one-shot or repeating, is work."""

from __future__ import annotations

from textual.app import App
from textual.message_pump import MessagePump

from tests.waiting import TIMERS, until, until_idle

HORIZON = 0.5


class Polling(App):
    """A repeating poll (like the stacks screen's re-plan) and a fast redraw ticker."""

    def __init__(self, *, poll_every: float, paused: bool = False) -> None:
        super().__init__()
        self.poll_every = poll_every
        self.paused = paused
        self.polls = 0
        self.redraws = 0

    def on_mount(self) -> None:
        self.poller = self.set_interval(self.poll_every, self.poll, pause=self.paused)
        self.set_interval(0.1, self.redraw)

    def poll(self) -> None:
        self.polls += 1

    def redraw(self) -> None:
        self.redraws += 1


def watch_this_module(monkeypatch) -> None:
    TIMERS.install(monkeypatch, MessagePump, package=__name__)


async def test_a_repeating_poll_due_soon_keeps_the_app_busy_until_it_has_run(monkeypatch):
    watch_this_module(monkeypatch)
    app = Polling(poll_every=HORIZON + 0.3)
    async with app.run_test() as pilot:
        await until(pilot, lambda: TIMERS.due_within(HORIZON), what="the poll to be due soon")
        assert app.polls == 0
        await until_idle(pilot, horizon=HORIZON)
        assert app.polls == 1, "idle only once the due poll has run (the next is further)"
        assert app.redraws > 0, "the redraw ticker ran meanwhile without counting as work"


async def test_a_paused_or_stopped_poll_is_not_work(monkeypatch):
    watch_this_module(monkeypatch)
    app = Polling(poll_every=HORIZON + 0.3, paused=True)
    async with app.run_test() as pilot:
        app.poller.resume()
        await until(pilot, lambda: TIMERS.due_within(HORIZON), what="the resumed poll due")
        app.poller.pause()
        assert not TIMERS.due_within(HORIZON), "paused, it is not due"
        app.poller.resume()
        assert TIMERS.due_within(HORIZON), "resumed, it is due again"
        app.poller.stop()
        assert not TIMERS.due_within(HORIZON), "stopped, it is never due"
        await until_idle(pilot, horizon=HORIZON)
        assert app.polls == 0
