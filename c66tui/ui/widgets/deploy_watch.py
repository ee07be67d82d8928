"""The deploy watch panel: running deploys followed to their outcome.

One line per watched stack: its phase as a word and a symbol (``… queued``,
``▶ deploying``, ``✓ success``, ``✗ failed``), the elapsed time against the stack's typical
deploy time (median of its recent deployments) with a small text gauge, and which
deployment is followed. A redeploy queue over several stacks adds one progress line.

The panel only *shows* :class:`~c66tui.ops.deploy_state.WatchBook`; the stacks screen polls
and feeds it. It hides itself when there is nothing to show. While the API cannot be
reached (:class:`~c66tui.ops.connection.Connection`) a running watch stops counting at
the last answer and says ``last seen 2m ago``; it counts on by itself once the polls get
answers again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from c66tui.ops import clock
from c66tui.ops.deploy_state import (
    CANCELLED,
    DEPLOYING,
    FAILED,
    QUEUED,
    SUCCESS,
    WAITING,
    DeployWatch,
    WatchBook,
    watch_book_for,
)
from c66tui.text import relative_time, sanitize, short_duration
from c66tui.ui.context import UsesServices

PHASE_WORDS = {
    WAITING: ("·", "waiting"),
    QUEUED: ("…", "queued"),
    DEPLOYING: ("▶", "deploying"),
    SUCCESS: ("✓", "success"),
    FAILED: ("✗", "failed"),
    CANCELLED: ("⊘", "cancelled"),
}
ASCII_PHASES = {
    WAITING: "-",
    QUEUED: ".",
    DEPLOYING: ">",
    SUCCESS: "+",
    FAILED: "x",
    CANCELLED: "/",
}
QUEUE_SYMBOLS = {
    "waiting": "·",
    "sending": "…",
    QUEUED: "…",
    DEPLOYING: "▶",
    SUCCESS: "✓",
    FAILED: "✗",
    CANCELLED: "⊘",
}
GAUGE_WIDTH = 10


def gauge(elapsed: float | None, typical: float | None, *, ascii_only: bool = False) -> str:
    """A text gauge of elapsed against typical time, e.g. ``███▌░░░░░░``."""
    if elapsed is None or not typical:
        return ""
    full, empty = ("#", "-") if ascii_only else ("█", "░")
    ratio = min(1.0, elapsed / typical)
    filled = round(ratio * GAUGE_WIDTH)
    return full * filled + empty * (GAUGE_WIDTH - filled)


def watch_line(
    watch: DeployWatch,
    now: datetime,
    *,
    ascii_only: bool = False,
    last_seen: datetime | None = None,
) -> Text:
    """The panel line of one watch; ``last_seen`` (the last answer, given while the API
    cannot be reached) freezes a running watch's clock there and says how stale it is."""
    stale_for = None
    if last_seen is not None and not watch.done:
        stale_for = relative_time(last_seen, now)
        now = max(last_seen, watch.started_at) if watch.started_at else last_seen
    symbol, word = PHASE_WORDS.get(watch.phase, ("?", watch.phase))
    if ascii_only:
        symbol = ASCII_PHASES.get(watch.phase, "?")
    style = {
        SUCCESS: "bold",
        FAILED: "bold reverse",
        CANCELLED: "bold",
    }.get(watch.phase, "")
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    line.append(f"{symbol} {word:<9} ", style=style)
    line.append(sanitize(watch.name), style="bold")
    if watch.environment:
        line.append(f"  {sanitize(watch.environment)}")
    elapsed = watch.elapsed(now)
    if watch.done:
        if elapsed is not None:
            line.append(f"  took {short_duration(elapsed)}")
    elif elapsed is not None:
        line.append(f"  {short_duration(elapsed)}")
        if watch.typical:
            line.append(f" / typ. {short_duration(watch.typical)} ")
            line.append(gauge(elapsed, watch.typical, ascii_only=ascii_only))
            if elapsed > watch.typical * 1.5:
                line.append(" slow", style="bold")
    elif watch.typical and watch.phase != WAITING:
        line.append(f"  typ. {short_duration(watch.typical)}")
    if watch.deployment_id is not None:
        line.append(f"  #{watch.deployment_id}")
        who = watch.deployment.triggered_by if watch.deployment else ""
        if who:
            line.append(f" by {sanitize(who)}")
    if watch.note:
        line.append(f"  ({sanitize(watch.note)})")
    if stale_for is not None:
        line.append(f"  last seen {stale_for.removesuffix(' ago')} ago", style="bold")
    return line


class DeployWatchPanel(UsesServices, Static):
    """Shows the app's deploy watches (all, or one stack's with ``only_uid``)."""

    DEFAULT_CSS = """
    DeployWatchPanel {
        display: none;
        height: auto;
        max-height: 8;
        border-top: solid $accent;
        border-title-align: left;
        padding: 0 1;
        background: $surface;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    DeployWatchPanel.-shown {
        display: block;
    }
    """

    def __init__(
        self,
        *,
        only_uid: str | None = None,
        ascii_only: bool = False,
        now: Callable[[], datetime] = clock.now,
        id: str | None = None,
    ) -> None:
        super().__init__("", id=id, markup=False)
        self.only_uid = only_uid
        self.ascii_only = ascii_only
        self._now = now
        self.queue_line: Text | None = None
        """Progress of a redeploy queue, shown above the watches."""
        self._book: WatchBook | None = None
        self._last_plain = ""

    @property
    def book(self) -> WatchBook:
        if self._book is None:
            self._book = watch_book_for(self.services)
        return self._book

    def on_mount(self) -> None:
        self.border_title = "Deploy watch · c cancel · w stop watching"
        self.book.subscribe(self._book_changed)
        self.services.connection.subscribe(self._book_changed)
        self._ticker = self.set_interval(1.0, self.redraw, pause=True)
        self.redraw()

    def on_unmount(self) -> None:
        if self._book is not None:
            self._book.unsubscribe(self._book_changed)
        self.services.connection.unsubscribe(self._book_changed)

    def _book_changed(self, _watch: DeployWatch | None) -> None:
        self.redraw()

    def watches(self) -> list[DeployWatch]:
        """The watches this panel shows, running ones first."""
        items = [w for w in self.book if self.only_uid is None or w.uid == self.only_uid]
        return sorted(items, key=lambda w: w.done)

    def set_queue_line(self, line: Text | None) -> None:
        """Show (or hide, with ``None``) the redeploy queue's progress."""
        self.queue_line = line
        self.redraw()

    def redraw(self) -> None:
        """Re-render; repaints only when the text changed."""
        watches = self.watches()
        now = self._now()
        connection = self.services.connection
        last_seen = (connection.last_ok or connection.offline_since) if connection.offline else None
        lines = [
            watch_line(w, now, ascii_only=self.ascii_only, last_seen=last_seen) for w in watches
        ]
        if self.queue_line is not None and self.only_uid is None:
            lines.insert(0, self.queue_line)
        text = Text("\n", end="").join(lines)
        shown = bool(lines)
        self.set_class(shown, "-shown")
        running = any(not w.done and w.started_at is not None for w in watches)
        if running:
            self._ticker.resume()
        else:
            self._ticker.pause()
        if text.plain != self._last_plain:
            # Same number of lines: repaint the panel only, not the whole screen.
            same_height = text.plain.count("\n") == self._last_plain.count("\n")
            self._last_plain = text.plain
            self.update(text, layout=not (same_height and shown))


def queue_line(items: list, reason: str = "") -> Text:
    """One line for a redeploy queue: ``Queue 2/3: ✓ a  ▶ b  · c``."""
    done = sum(1 for item in items if item.state == SUCCESS)
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    line.append(f"Queue {done}/{len(items)}: ", style="bold")
    for item in items:
        symbol = QUEUE_SYMBOLS.get(item.state, "✗" if item.finished else "…")
        line.append(f"{symbol} {sanitize(item.stack.name)} ({item.state})  ")
    if reason:
        line.append(f"stopped: {sanitize(reason)}", style="bold")
    return line
