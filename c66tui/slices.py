"""Handing the event loop back between slices of long work, long enough for a key.

Long work on the event loop (parsing thousands of stacks, filling a table with them) is
cut into slices of a few milliseconds. Between two slices it must let a pressed key
through, and a key travels through several tasks before its handler runs (the terminal
driver posts it, the app's queue wakes, the screen and the bindings get it), each a turn
of the event loop. ``asyncio.sleep(0)`` gives the other tasks a single turn, so each hop
of the key waited for a whole slice: about twelve slices, 100 ms, before a key pressed
while 5,000 rows went into the stack list was handled. :func:`yield_to_input` sleeps for
:data:`YIELD_SECONDS` instead: every turn that is ready runs first (the whole hop chain
of a key takes well under a millisecond), for about a millisecond per slice of the work.
"""

from __future__ import annotations

import asyncio

YIELD_SECONDS = 0.001
"""How long a slice of long work hands the event loop back for."""


async def yield_to_input() -> None:
    """Let every task that is ready run (a key on its way included) before going on."""
    await asyncio.sleep(YIELD_SECONDS)
