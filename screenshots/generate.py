"""Render every main screen of the demo into ``screenshots/*.svg``.

Usage: ``python screenshots/generate.py [--size 120x40] [--only stacks,jobs]``

Each picture is taken from a fresh demo app (``c66tui.ui.demo.make_demo_app``) run
headless with ``App.run_test``, driven with the same keys a user would press, and saved
with ``App.save_screenshot``. Everything that varies between runs is pinned: the demo
sandbox's clock starts at :data:`FROZEN` and only moves when told to, the UI clock is
frozen at the same instant (``C66TUI_FROZEN_NOW``), local time is UTC, and the API budget
counter is fixed, so regenerating without a UI change gives the same files.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

OUT = Path(__file__).resolve().parent
ROOT = OUT.parent
FROZEN = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
"""The instant the pictures are taken at (a Thursday afternoon, UTC)."""
RATE_TEXT = "API 3590/3600"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pin_the_world() -> None:
    """Freeze both clocks and the time zone before any c66tui module is imported."""
    os.environ["C66TUI_FROZEN_NOW"] = FROZEN.isoformat()
    os.environ["C66TUI_TEST_OAUTH_VERIFIER"] = "screenshot-verifier-" + "0" * 40
    os.environ["TZ"] = "UTC"
    os.environ.pop("NO_COLOR", None)
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    time.tzset()
    from c66tui.config.demo import ENV_DEMO_DIR  # only once the clocks are pinned

    # A demo folder of its own, started fresh for every picture: never the user's demo.
    home = tempfile.mkdtemp(prefix="c66tui-screenshots-")
    atexit.register(shutil.rmtree, home, True)
    os.environ[ENV_DEMO_DIR] = home
    # The demo's world follows the frozen clock by itself (see c66tui.ui.demo).


# -- waiting on the app ----------------------------------------------------------------


async def wait_until(pilot, predicate: Callable[[], object], what: str, timeout=15.0) -> None:
    """Let the app run until ``predicate()`` holds."""
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise TimeoutError(f"screenshot: gave up waiting for {what}")
        await pilot.pause(0.02)


async def quiet(pilot, node=None, timeout: float = 10.0) -> None:
    """Wait until no worker of ``node`` (default: the current screen) is running."""
    target = node or pilot.app.screen
    await pilot.pause()
    await wait_until(
        pilot,
        lambda: not any(not w.is_finished for w in target.workers),
        f"the workers of {type(target).__name__}",
        timeout,
    )
    await pilot.pause()


async def stacks_ready(pilot):
    """The stack list, loaded and with its background polls stopped."""
    from c66tui.ui.screens.stacks import StacksScreen

    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, StacksScreen), "the stack list")
    screen = app.screen
    await wait_until(pilot, lambda: screen.loaded and not screen.refreshing, "stacks loaded")
    await quiet(pilot)
    screen.schedule_polls = lambda: None
    for name in ("_list_timer", "_fast_timer"):
        timer = getattr(screen, name, None)
        if timer is not None:
            timer.stop()
    return screen


async def cursor_to(pilot, screen, name: str) -> None:
    """Put the list cursor on the stack called ``name``."""
    table = screen.table
    uid = next(uid for uid, stack in table.stacks.items() if stack.name == name)
    assert table.move_to(uid), name
    await pilot.pause()


# -- the pictures ----------------------------------------------------------------------


async def shot_stacks(pilot) -> None:
    await stacks_ready(pilot)


async def shot_detail(pilot) -> None:
    from c66tui.sandbox.seed import HISTORY_STACK
    from c66tui.ui.screens.stack_detail import StackDetailScreen

    screen = await stacks_ready(pilot)
    await cursor_to(pilot, screen, HISTORY_STACK)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, StackDetailScreen), "detail")
    detail = pilot.app.screen
    await wait_until(pilot, lambda: detail.loaded, "the detail loaded")
    await quiet(pilot)


async def shot_redeploy(pilot) -> None:
    from c66tui.sandbox.seed import HISTORY_STACK
    from c66tui.ui.dialogs.redeploy import RedeployDialog

    screen = await stacks_ready(pilot)
    await cursor_to(pilot, screen, HISTORY_STACK)
    await pilot.press("r")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RedeployDialog), "dialog")
    await pilot.press(*HISTORY_STACK[:6])  # production: the name field has the focus
    await pilot.pause()


async def shot_watch(pilot) -> None:
    from c66tui.sandbox.seed import DEPLOYING_STACK

    screen = await stacks_ready(pilot)
    await cursor_to(pilot, screen, DEPLOYING_STACK)
    await pilot.press("w")
    book = screen.book
    await wait_until(
        pilot,
        lambda: any(getattr(w, "deployment_id", None) is not None for w in book),
        "the deploy watch",
    )
    await quiet(pilot)


async def shot_jobs(pilot) -> None:
    from c66tui.sandbox.seed import HISTORY_STACK
    from c66tui.ui.screens.jobs import JobsScreen

    screen = await stacks_ready(pilot)
    await cursor_to(pilot, screen, HISTORY_STACK)
    await pilot.press("2")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "jobs screen")
    jobs = pilot.app.screen
    await wait_until(pilot, lambda: jobs.table.row_count > 0, "the jobs")
    await quiet(pilot)


async def shot_settings(pilot) -> None:
    from c66tui.sandbox.seed import HISTORY_STACK
    from c66tui.ui.screens.settings import SettingsScreen

    screen = await stacks_ready(pilot)
    await cursor_to(pilot, screen, HISTORY_STACK)
    await pilot.press("3")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen), "settings")
    await quiet(pilot)
    await pilot.pause(0.3)
    await quiet(pilot)


async def shot_login(pilot) -> None:
    from c66tui.ui.screens.login import LoginScreen

    await stacks_ready(pilot)
    pilot.app.push_screen(LoginScreen(cancellable=True, state="screenshot"))
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen), "login")
    await quiet(pilot)


async def shot_help(pilot) -> None:
    from c66tui.ui.screens.help import HelpScreen

    await stacks_ready(pilot)
    await pilot.press("question_mark")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "help")
    await pilot.pause()


SHOTS: dict[str, Callable[..., Awaitable[None]]] = {
    "stacks": shot_stacks,
    "detail": shot_detail,
    "redeploy": shot_redeploy,
    "watch": shot_watch,
    "jobs": shot_jobs,
    "settings": shot_settings,
    "login": shot_login,
    "help": shot_help,
}
"""File stem -> how to get there from a freshly started demo."""


async def render(name: str, size: tuple[int, int], out: Path) -> Path:
    """Start a demo app, drive it to the screen ``name`` and save it as SVG."""
    from textual.widgets import Input

    from c66tui.ui.demo import make_demo_app

    Input.cursor_blink = False  # a blinking cursor would make every run differ
    app = make_demo_app(SimpleNamespace(fresh=True))
    app.RATE_REPAINT_SECONDS = 0.0  # no late budget update over the pinned RATE_TEXT
    async with app.run_test(size=size) as pilot:
        await SHOTS[name](pilot)
        app.rate_text = RATE_TEXT
        await pilot.pause()
        path = app.save_screenshot(filename=f"{name}.svg", path=str(out))
    return Path(path)


def main(argv: list[str] | None = None) -> int:
    """Render the selected screens (all by default)."""
    parser = argparse.ArgumentParser(description="Render the demo's screens as SVG.")
    parser.add_argument("--size", default="120x40", help="terminal size, WxH")
    parser.add_argument("--only", default="", help="comma-separated names: " + ",".join(SHOTS))
    parser.add_argument("--out", default=str(OUT), help="output directory")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    names = [n for n in args.only.split(",") if n] or list(SHOTS)
    unknown = sorted(set(names) - set(SHOTS))
    if unknown:
        parser.error(f"unknown screens: {', '.join(unknown)}")
    pin_the_world()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        path = asyncio.run(render(name, (width, height), out))
        print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
