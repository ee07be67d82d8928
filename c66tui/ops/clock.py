"""The UI's notion of "now", frozen in tests and screenshots.

Relative times ("5m ago") and elapsed deploy times read the clock through :func:`now`, so
snapshot tests and the screenshot script can pin it with ``C66TUI_FROZEN_NOW``.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime


def now() -> datetime:
    """The current UTC time, or the ISO time in ``C66TUI_FROZEN_NOW`` when set."""
    frozen = os.environ.get("C66TUI_FROZEN_NOW")
    if frozen:
        try:
            parsed = datetime.fromisoformat(frozen.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return datetime.now(UTC)
