"""Server text made safe for the terminal, and the one-line name of a stack.

Shared by the settings tabs and the dialogs they open (sanitised, never read as markup).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from c66tui.api.models import Stack
from c66tui.text import sanitize


def api_text(value: Any, style: str = "") -> Text:
    """Server text made safe for the terminal: sanitised and never read as markup."""
    return Text(sanitize(value), style=style)


def environment_text(environment: str) -> Text:
    """The environment in capitals; production is reverse video as well as spelled out."""
    name = sanitize(environment or "no environment").upper()
    production = environment.strip().lower() in {"production", "prod"}
    return Text(name, style="bold reverse" if production else "bold")


def stack_text(stack: Stack | None, *, sep: str = " · ", maintenance: bool | None = None) -> Text:
    """``name · ENVIRONMENT [· maintenance on]`` for headers and dialogs."""
    if stack is None:
        return Text("no stack chosen", style="italic")
    text = Text()
    text.append_text(api_text(stack.name, "bold"))
    text.append(sep)
    text.append_text(environment_text(stack.environment))
    on = stack.maintenance_mode if maintenance is None else maintenance
    if on:
        text.append(sep)
        text.append("maintenance ON", style="bold reverse")
    return text
