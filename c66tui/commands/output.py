"""How commands print: one JSON document, or plain text that fits the terminal.

With ``--json`` a command prints exactly one JSON document on standard output (a list
for ``list`` commands, an object otherwise) and nothing else there; messages and
progress go to standard error. Without it, tables are plain text: on a terminal they are
cut to its width (the widest column gives way first) and headers are bold unless
``NO_COLOR`` is set or ``TERM`` is ``dumb``; piped, nothing is cut and nothing is
coloured, so ``grep`` and ``awk`` see whole values. Every value from the API is
sanitised (no control characters or escape sequences reach the terminal).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO

ELLIPSIS = "~"
"""Marks a value cut to fit (ASCII, so it reads on every terminal)."""
GAP = "  "


def clean(text: str, single_line: bool = True) -> str:
    """``text`` with control characters made visible (:func:`c66tui.text.sanitize`)."""
    # deferred: c66tui.text loads the redaction (and logging); the parser stays light
    from c66tui.text import sanitize as visible

    return visible(text, single_line=single_line)


def sanitize(value: Any) -> str:
    """``value`` as one printable line."""
    return clean("" if value is None else str(value))


def error(message: str) -> None:
    """``c66tui: <message>`` on standard error, control characters made visible."""
    print(f"c66tui: {clean(message, single_line=False)}", file=sys.stderr)


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 (UTC) for JSON, or ``None``."""
    return moment.isoformat() if moment is not None else None


def pick(source: Any, *fields: str) -> dict[str, Any]:
    """``{key: value}`` for each field ``"key"`` (the attribute of that name) or
    ``"key=attribute"`` of ``source``, JSON-ready: times in ISO 8601, tuples as lists."""
    doc: dict[str, Any] = {}
    for spec in fields:
        key, _, attribute = spec.partition("=")
        value = getattr(source, attribute or key)
        if isinstance(value, datetime):
            value = iso(value)
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, dict):
            value = dict(value)
        doc[key] = value
    return doc


def colour_wanted(stream: TextIO) -> bool:
    """Whether ``stream`` may get colour: a terminal, no ``NO_COLOR``, not ``dumb``."""
    if os.environ.get("NO_COLOR", "") != "":
        return False
    if os.environ.get("TERM", "") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def terminal_width(stream: TextIO) -> int | None:
    """The width to fit, or ``None`` when ``stream`` is not a terminal (nothing is cut)."""
    if not getattr(stream, "isatty", lambda: False)():
        return None
    return max(20, shutil.get_terminal_size((80, 24)).columns)


def fit_widths(widths: list[int], limit: int | None, gap: int = len(GAP)) -> list[int]:
    """Column widths cut down so the row fits ``limit`` (widest first; at least 4)."""
    widths = list(widths)
    if limit is None or not widths:
        return widths
    while sum(widths) + gap * (len(widths) - 1) > limit:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= 4:
            break
        widths[widest] -= 1
    return widths


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the cut marked."""
    return text if len(text) <= width else text[: max(0, width - 1)] + ELLIPSIS


class Output:
    """Where a command's results go (``json_mode`` picks the form)."""

    def __init__(
        self, json_mode: bool = False, out: TextIO | None = None, err: TextIO | None = None
    ) -> None:
        self.json_mode = json_mode
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.printed_json = False

    # -- results ------------------------------------------------------------------

    def document(self, doc: Any) -> None:
        """Print the one JSON document (only the first call prints)."""
        if self.printed_json:
            return
        self.printed_json = True
        json.dump(doc, self.out, ensure_ascii=False, indent=2, default=str)
        self.out.write("\n")
        self.out.flush()

    def line(self, text: str = "") -> None:
        """A line of plain-text result (never with ``--json``)."""
        if not self.json_mode:
            print(text, file=self.out)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """A plain-text table; the last column is not padded."""
        if self.json_mode:
            return
        cells = [[sanitize(cell) for cell in row] for row in [headers, *rows]]
        widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
        widths = fit_widths(widths, terminal_width(self.out))
        bold = colour_wanted(self.out)
        for index, row in enumerate(cells):
            parts = [clip(cell, width) for cell, width in zip(row, widths, strict=True)]
            padded = [part.ljust(width) for part, width in zip(parts[:-1], widths, strict=False)]
            text = GAP.join([*padded, parts[-1]]).rstrip()
            if index == 0 and bold:
                text = f"\x1b[1m{text}\x1b[0m"
            print(text, file=self.out)

    def pairs(self, rows: Sequence[tuple[str, Any]]) -> None:
        """``Label:  value`` lines (values cut to the terminal's width)."""
        if self.json_mode or not rows:
            return
        label_width = max(len(label) for label, _ in rows) + 1
        limit = terminal_width(self.out)
        for label, value in rows:
            text = sanitize(value)
            if limit is not None:
                text = clip(text, max(8, limit - label_width - 1))
            print(f"{label + ':':<{label_width}} {text}".rstrip(), file=self.out)

    # -- messages -----------------------------------------------------------------

    def say(self, text: str) -> None:
        """A message for the person or the log (standard error, always)."""
        print(clean(text, single_line=False), file=self.err, flush=True)

    def error(self, text: str) -> None:
        """``c66tui: <text>`` on standard error."""
        self.say(f"c66tui: {text}")
