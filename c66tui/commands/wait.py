"""``--wait`` (alias ``--listen``): follow a deploy to its outcome, showing progress.

Progress goes to standard error: on a terminal one line redrawn in place (phase, a bar
of the elapsed time against the stack's typical deploy time), otherwise a plain line
each time the phase changes. The stack and its deployments are polled with the same
:class:`~c66tui.ops.deploy_state.DeployWatch` the app uses; waits grow from two seconds
to ten. A poll that fails is tried again; three failures in a row end the wait with
exit 5 (the deploy carries on at Cloud 66). Imported when a command runs (it loads
``asyncio``), not when the parser is built.
"""

from __future__ import annotations

import asyncio
from typing import Any

from c66tui.api.errors import Cloud66Error
from c66tui.commands.exit_codes import UNREACHABLE, CommandError
from c66tui.commands.output import Output, sanitize
from c66tui.ops import clock

POLL_FIRST = 2.0
POLL_MAX = 10.0
POLL_GROWTH = 1.5
MAX_POLL_FAILURES = 3
BAR_WIDTH = 20


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """Progress lines (or one redrawn line on a terminal) on standard error."""

    def __init__(self, output: Output, label: str) -> None:
        self.output = output
        self.label = sanitize(label)
        self.redraw = bool(getattr(output.err, "isatty", lambda: False)())
        self._last: tuple | None = None
        self._drawn = False

    def bar(self, elapsed: float | None, typical: float | None) -> str:
        if elapsed is None or not typical:
            return ""
        filled = min(BAR_WIDTH, int(BAR_WIDTH * elapsed / typical))
        return "[" + "#" * filled + "." * (BAR_WIDTH - filled) + "] "

    def update(self, phase: str, *, elapsed=None, typical=None, detail: str = "") -> None:
        """Show the current phase (a plain line only when it changed)."""
        detail = sanitize(detail)
        if self.redraw:
            took = f" {_duration(elapsed)}" if elapsed is not None else ""
            usual = f" (usually {_duration(typical)})" if typical else ""
            text = f"{self.label}: {self.bar(elapsed, typical)}{phase}{took}{usual} {detail}"
            self.output.err.write("\r\x1b[K" + text.rstrip()[:200])
            self.output.err.flush()
            self._drawn = True
            return
        key = (phase, detail)
        if key != self._last:
            self._last = key
            self.output.say(f"{self.label}: {phase}" + (f" ({detail})" if detail else ""))

    def done(self) -> None:
        """End the redrawn line."""
        if self._drawn:
            self.output.err.write("\n")
            self.output.err.flush()
            self._drawn = False


async def follow_deploy(context: Any, watch: Any, progress: Progress) -> Any:
    """Poll until ``watch`` (a :class:`DeployWatch`) reaches an outcome; returns it."""
    wait, failures = POLL_FIRST, 0
    try:
        while True:
            try:
                stack = await context.read(lambda api: api.get_stack(watch.uid))
                deployments = await context.read(lambda api: api.list_deployments(watch.uid))
            except Cloud66Error as error:
                failures += 1
                if failures >= MAX_POLL_FAILURES:
                    raise CommandError(
                        UNREACHABLE,
                        f"stopped following the deploy: {sanitize(error.message)}. It carries "
                        "on at Cloud 66; see c66tui deployments list.",
                    ) from error
            else:
                failures = 0
                watch.update(stack, deployments)
                detail = f"deployment #{watch.deployment_id}" if watch.deployment_id else watch.note
                progress.update(
                    watch.phase,
                    elapsed=watch.elapsed(clock.now()),
                    typical=watch.typical,
                    detail=detail,
                )
                if watch.done:
                    return watch
            await asyncio.sleep(wait)
            wait = min(POLL_MAX, wait * POLL_GROWTH)
    finally:
        progress.done()


class Followed:
    """A deploy followed in the background (:func:`follow_deploy` from now on), for a
    caller that waits for it later: the redeploy queue's ``watch``."""

    def __init__(self, context: Any, watch: Any, progress: Progress) -> None:
        self.watch = watch
        self.task = asyncio.ensure_future(follow_deploy(context, watch, progress))

    @property
    def phase(self) -> str:
        return self.watch.phase

    async def wait(self) -> Any:
        """The watch once it reached an outcome (or the error that ended the wait)."""
        return await self.task
