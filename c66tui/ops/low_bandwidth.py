"""Suggesting low-bandwidth mode to someone working over SSH.

Low-bandwidth mode (``--low-bandwidth`` or the preference) turns animations and mouse
capture off, polls less and redraws less. It is never switched on behind the user's
back: when ``SSH_CONNECTION`` says the app runs on the far end of an SSH link and the
mode is off, a notice says how to turn it on, once per machine (a marker in the state
directory remembers it was shown).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from c66tui.config import paths

HINT_MARKER = "low-bandwidth-hint-shown"
"""File in the state directory that records the SSH notice was shown."""

SSH_HINT = (
    "You are connected over SSH. On a slow link, start c66tui with --low-bandwidth, or "
    "turn on Low-bandwidth mode under Settings (3) > Preferences: fewer redraws, slower "
    "polling, no animations, no mouse capture. This note is shown once."
)


def over_ssh(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the environment says this runs in an SSH session."""
    environ = os.environ if environ is None else environ
    return bool(environ.get("SSH_CONNECTION", "").strip())


def marker_path() -> Path:
    return paths.state_dir() / HINT_MARKER


def ssh_hint_due(preferences: Any, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to show :data:`SSH_HINT` now (reads the file system: call off the loop)."""
    if getattr(preferences, "low_bandwidth", False) or not over_ssh(environ):
        return False
    return not marker_path().exists()


def remember_hint_shown() -> None:
    """Record that the notice was shown (best effort: at worst it shows again)."""
    try:
        paths.ensure_private_dir(paths.state_dir())
        marker_path().touch(mode=0o600, exist_ok=True)
    except OSError:
        pass
