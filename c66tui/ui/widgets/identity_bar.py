"""The top bar: who is logged in, where, and which environment an action would touch.

Profile, account e-mail and API host are always in view, and so is the environment of
the stack in focus; ``read-only`` says in words that nothing can be changed, and
``offline since 14:02: <reason>`` that the API cannot be reached (both stay in view).
The API budget is shown whole (``API 3597/3600``) while there is room, never cut. When
the line is too narrow it is shortened step by step (:data:`TIGHTEN_STEPS`): the brand
goes first, then the budget and the words that only label, then the middle of a long
e-mail, profile name, host or offline reason is elided, each with ``…``. At 80 and at
60 columns every required part stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual.widgets import Static

from c66tui.text import sanitize

SEPARATOR = " │ "
ELLIPSIS = "…"
"""In ASCII-only mode the app's line filter draws these as `` | `` and ``~`` (one cell for
one cell, so the widths worked out here hold)."""


def elide_middle(value: str, width: int, ellipsis: str = ELLIPSIS) -> str:
    """``value`` in at most ``width`` cells, its middle replaced by ``ellipsis``."""
    if len(value) <= width:
        return value
    if width <= len(ellipsis):
        return value[:width]
    room = width - len(ellipsis)
    head = (room + 1) // 2
    return value[:head] + ellipsis + value[len(value) - (room - head) :]


def elide_email(email: str, width: int, ellipsis: str = ELLIPSIS) -> str:
    """An e-mail in at most ``width`` cells: the domain kept whole while it fits
    (``first.last@example.com`` -> ``fir…@example.com``), else the middle elided."""
    if len(email) <= width:
        return email
    local, at, domain = email.rpartition("@")
    keep = width - len(domain) - len(at) - len(ellipsis)
    if at and keep >= 2:
        return local[:keep] + ellipsis + at + domain
    return elide_middle(email, width, ellipsis)


@dataclass(frozen=True)
class IdentityShown:
    """What the bar shows and how short it is allowed to be right now."""

    profile: str
    email: str = ""
    host: str = ""
    environment: str = ""
    rate: str = ""
    demo: bool = False
    read_only: bool = False
    offline: str = ""
    """``offline since HH:MM: reason`` while the API cannot be reached, else empty."""
    brand: bool = True
    profile_label: bool = True
    env_label: bool = True

    def left(self) -> Text:
        """Who and where: [brand] [DEMO] profile, e-mail, host."""
        text = Text(no_wrap=True, end="")
        if self.brand:
            text.append("c66tui", style="bold")
        if self.demo:
            if text:
                text.append(" ")
            text.append("DEMO", style="bold reverse")
        if text:
            text.append(SEPARATOR, style="dim")
        if self.profile_label:
            text.append("profile ")
        text.append(self.profile, style="bold")
        if self.read_only:
            text.append(" ")
            text.append("read-only", style="bold reverse")
        for value in (self.email, self.host):
            if value:
                text.append(SEPARATOR, style="dim")
                text.append(value)
        return text

    def right(self) -> Text:
        """The link when it is down, what an action would touch, then the API budget."""
        text = Text(no_wrap=True, end="")
        if self.offline:
            text.append(self.offline, style="bold reverse")
        if self.environment:
            if text:
                text.append(SEPARATOR, style="dim")
            if self.env_label:
                text.append("env ")
            production = self.environment.lower() in {"production", "prod"}
            text.append(
                f"[{self.environment.upper()}]", style="bold reverse" if production else "bold"
            )
        if self.rate:
            if text:
                text.append(SEPARATOR, style="dim")
            text.append(self.rate)
        return text

    def width(self) -> int:
        """Cells needed: both sides and at least one space between them."""
        right = self.right().cell_len
        return self.left().cell_len + (right + 1 if right else 0)


def _shorter_email(identity: IdentityShown, overflow: int) -> IdentityShown:
    target = max(10, len(identity.email) - overflow)
    return replace(identity, email=elide_email(identity.email, target))


def _shorter_profile(identity: IdentityShown, overflow: int) -> IdentityShown:
    target = max(8, len(identity.profile) - overflow)
    return replace(identity, profile=elide_middle(identity.profile, target))


def _shorter_offline(identity: IdentityShown, overflow: int, floor: int = 4) -> IdentityShown:
    head, colon, reason = identity.offline.partition(": ")
    if not colon:
        return identity
    target = max(floor, len(reason) - overflow)
    short = reason if len(reason) <= target else reason[: target - 1] + ELLIPSIS
    return replace(identity, offline=head + colon + short)


def _offline_time_only(identity: IdentityShown, _overflow: int) -> IdentityShown:
    return replace(identity, offline=identity.offline.partition(": ")[0])


def _shorter_host(identity: IdentityShown, overflow: int) -> IdentityShown:
    target = max(12, len(identity.host) - overflow)
    return replace(identity, host=elide_middle(identity.host, target))


TIGHTEN_STEPS = (
    lambda i, _over: replace(i, brand=False),
    lambda i, _over: replace(i, env_label=False),  # "env [PRODUCTION]" -> "[PRODUCTION]"
    lambda i, _over: replace(i, rate=""),  # whole or not at all: never "API 3597"
    lambda i, _over: replace(i, profile_label=False),  # "profile ops" -> "ops"
    lambda i, over: _shorter_offline(i, over, floor=16),
    _shorter_email,
    _shorter_profile,
    _shorter_host,
    _shorter_offline,
    _offline_time_only,
)
"""Ways to shorten the line, tried in order until it fits."""


def identity_line(identity: IdentityShown, width: int) -> Text:
    """The bar's line in ``width`` cells (see the module docstring)."""
    for step in TIGHTEN_STEPS:
        overflow = identity.width() - width
        if overflow <= 0:
            break
        identity = step(identity, overflow)
    left, right = identity.left(), identity.right()
    room = width - right.cell_len - (1 if right else 0)
    if left.cell_len > room:
        room = max(room, 8)
        left.truncate(room - 1, overflow="crop")
        left.append(ELLIPSIS)
    gap = max(1, width - left.cell_len - right.cell_len) if right else 0
    return Text.assemble(left, " " * gap, right, no_wrap=True, overflow="ellipsis", end="")


class IdentityBar(Static):
    """Always-visible line with profile, account e-mail, API host, focused environment and
    the remaining API budget. Every part is a word, never a colour alone."""

    DEFAULT_CSS = """
    IdentityBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    _shown: Text | None = None

    def on_mount(self) -> None:
        for name in (
            "account_email",
            "focused_environment",
            "rate_text",
            "profile_name",
            "api_host",
            "demo_mode",
            "connection_text",
        ):
            if hasattr(self.app, name):
                self.watch(self.app, name, self._refresh_text, init=False)
        # Read-only can be switched on the Profiles tab; the keys are refreshed then.
        self.screen.bindings_updated_signal.subscribe(self, self._refresh_text)
        self._refresh_text()

    def on_resize(self) -> None:
        self._refresh_text()

    def identity(self) -> IdentityShown:
        """The app's current identity, cleaned for display."""
        app = self.app
        return IdentityShown(
            profile=sanitize(getattr(app, "profile_name", "")),
            email=sanitize(getattr(app, "account_email", "")),
            host=sanitize(getattr(app, "api_host", "")),
            environment=sanitize(getattr(app, "focused_environment", "")),
            rate=sanitize(getattr(app, "rate_text", "")),
            demo=bool(getattr(app, "demo_mode", False)),
            read_only=bool(getattr(getattr(app, "services", None), "read_only", False)),
            offline=sanitize(getattr(app, "connection_text", "")),
        )

    def _refresh_text(self, *_: object) -> None:
        width = self.content_size.width or self.size.width or 80
        # One fixed line: repaint just this line, never the whole screen (the budget
        # counter changes after every API answer).
        line = identity_line(self.identity(), width)
        if line == self._shown:
            return
        self._shown = line
        self.update(line, layout=False)
