"""The top bar: who is logged in, where, and which environment an action would touch."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from c66tui.text import sanitize

SEPARATOR = " │ "


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

    def on_mount(self) -> None:
        for name in (
            "account_email",
            "focused_environment",
            "rate_text",
            "profile_name",
            "api_host",
            "demo_mode",
        ):
            self.watch(self.app, name, self._refresh_text, init=False)
        self._refresh_text()

    def on_resize(self) -> None:
        self._refresh_text()

    def _refresh_text(self, *_: object) -> None:
        """Left: who and where (shortened first when narrow). Right: the environment an
        action would touch and the API budget, which are never cut off."""
        app = self.app
        left = Text(no_wrap=True, overflow="ellipsis")
        left.append("c66tui", style="bold")
        if getattr(app, "demo_mode", False):
            left.append(" ")
            left.append("DEMO", style="bold reverse")
        left.append(SEPARATOR, style="dim")
        left.append("profile ")
        left.append(sanitize(getattr(app, "profile_name", "")), style="bold")
        for value in (getattr(app, "account_email", ""), getattr(app, "api_host", "")):
            if value:
                left.append(SEPARATOR, style="dim")
                left.append(sanitize(value))
        right = Text(no_wrap=True)
        env = getattr(app, "focused_environment", "")
        if env:
            right.append("env ")
            style = "bold reverse" if env.lower() in {"production", "prod"} else "bold"
            right.append(f"[{sanitize(env).upper()}]", style=style)
        rate = getattr(app, "rate_text", "")
        if rate:
            if right:
                right.append(SEPARATOR, style="dim")
            right.append(rate)
        width = self.content_size.width or self.size.width or 80
        room = width - right.cell_len - (1 if right else 0)
        if left.cell_len > room:
            left.truncate(max(room, 8), overflow="ellipsis")
        gap = max(1, width - left.cell_len - right.cell_len) if right else 0
        # One fixed line: repaint just this line, never the whole screen (the budget
        # counter changes after every API answer).
        self.update(
            Text.assemble(left, " " * gap, right, no_wrap=True, overflow="ellipsis"),
            layout=False,
        )
