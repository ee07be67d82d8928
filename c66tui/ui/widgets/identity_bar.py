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

    def _refresh_text(self, *_: object) -> None:
        app = self.app
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("c66tui", style="bold")
        if getattr(app, "demo_mode", False):
            text.append(" ")
            text.append(" DEMO ", style="bold reverse")
        parts: list[tuple[str, str, str]] = [
            ("profile ", sanitize(getattr(app, "profile_name", "")), "bold"),
        ]
        email = getattr(app, "account_email", "")
        if email:
            parts.append(("", sanitize(email), ""))
        host = getattr(app, "api_host", "")
        if host:
            parts.append(("", sanitize(host), ""))
        for label, value, style in parts:
            text.append(SEPARATOR, style="dim")
            text.append(label)
            text.append(value, style=style)
        env = getattr(app, "focused_environment", "")
        if env:
            text.append(SEPARATOR, style="dim")
            text.append("env ")
            style = "bold reverse" if env.lower() in {"production", "prod"} else "bold"
            text.append(f"[{sanitize(env).upper()}]", style=style)
        rate = getattr(app, "rate_text", "")
        if rate:
            text.append(SEPARATOR, style="dim")
            text.append(rate)
        self.update(text)
