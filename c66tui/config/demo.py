"""The demo's own profile, token and folders (``c66tui --demo``).

The demo runs the bundled sandbox in-process and logs in to it with :data:`DEMO_TOKEN`,
which every sandbox world accepts (:mod:`c66tui.sandbox` takes it from here). What the
demo changes lives under :func:`demo_home`, never in the user's real files.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from c66tui.config import paths

DEMO_PROFILE = "demo"
DEMO_API_URL = "http://sandbox.c66tui.invalid/api/3"
"""Placeholder address of the demo's in-process sandbox (never resolved)."""
DEMO_TOKEN = "sandbox-demo-token"
"""The well-known token every sandbox world accepts with all scopes (``c66tui --demo``)."""

ENV_DEMO_DIR = "C66TUI_DEMO_DIR"
DEMO_SANDBOX_STATE = "sandbox-state.jsonl"
"""The file in :func:`demo_home` where the demo's sandbox keeps its changes."""
DEMO_DIRS = ("config", "cache", "state")
"""The demo's own folders in :func:`demo_home` (they stand in for ``C66TUI_*_DIR``)."""


def demo_home() -> Path:
    """Where ``--demo`` keeps what it changes: ``C66TUI_DEMO_DIR`` (``~`` expanded), else
    ``demo/`` in the state directory. Nothing there is the user's real configuration."""
    return paths.dir_from_env(ENV_DEMO_DIR, paths.state_dir() / "demo")


def forget_demo(home: Path) -> None:
    """Delete what demos kept in ``home``: their folders and the sandbox's state file.

    Only the demo's own entries go: ``C66TUI_DEMO_DIR`` may name a folder that holds
    other files too, and those are left alone.
    """
    for name in DEMO_DIRS:
        shutil.rmtree(home / name, ignore_errors=True)
    (home / DEMO_SANDBOX_STATE).unlink(missing_ok=True)


def use_demo_dirs(*, fresh: bool = False) -> tuple[Path, list[str]]:
    """Point ``C66TUI_{CONFIG,CACHE,STATE}_DIR`` at the demo's own folders.

    Returns the demo's home and the warnings about it (a home other users can write
    to), for the start-up warnings. The demo's preferences, login, journal, cache and its
    sandbox's changes (stack settings, environment variables, maintenance mode) then live
    in :func:`demo_home`, so a restarted demo shows what was changed, and the real files
    are never touched. ``fresh`` forgets all of it first (:func:`forget_demo`). The home
    is remembered in ``C66TUI_DEMO_DIR`` for the rest of the process (the state
    directory itself is redirected).
    """
    home = demo_home()
    os.environ[ENV_DEMO_DIR] = str(home)
    if fresh:
        forget_demo(home)
    warnings = paths.ensure_private_dir(home)
    for name in DEMO_DIRS:
        os.environ[f"C66TUI_{name.upper()}_DIR"] = str(home / name)
    return home, warnings
