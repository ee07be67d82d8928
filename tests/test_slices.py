"""Long work in slices lets a key through at once (:func:`c66tui.slices.yield_to_input`).

A key reaches its handler through a chain of tasks, one turn of the event loop each. Here a
chain of twelve such hops runs while a worker does slices of busy work: between two
slices the worker hands the loop back with :func:`yield_to_input`, and the whole chain must
get through within a slice or two (with ``asyncio.sleep(0)`` it took one slice a hop).
"""

from __future__ import annotations

import asyncio
import time

from c66tui.slices import yield_to_input

HOPS = 12
SLICE_SECONDS = 0.004


async def slices_until_a_chain_is_through(hand_back) -> int:
    """How many slices of busy work ran while a chain of :data:`HOPS` hops got through."""
    events = [asyncio.Event() for _ in range(HOPS + 1)]
    slices = 0
    stop = False

    async def hop(index: int) -> None:
        await events[index].wait()
        events[index + 1].set()

    async def worker() -> None:
        nonlocal slices
        while not stop:
            end = time.perf_counter() + SLICE_SECONDS
            while time.perf_counter() < end:  # a slice of work that holds the loop
                pass
            slices += 1
            await hand_back()

    hops = [asyncio.create_task(hop(i)) for i in range(HOPS)]
    busy = asyncio.create_task(worker())
    await asyncio.sleep(0)  # the worker is under way
    before = slices
    events[0].set()  # the key arrives
    await events[HOPS].wait()
    through = slices - before
    stop = True
    await asyncio.gather(busy, *hops)
    return through


async def test_a_chain_of_hops_gets_through_within_a_slice_or_two():
    assert await slices_until_a_chain_is_through(yield_to_input) <= 2


async def test_handing_back_a_single_turn_costs_a_slice_a_hop():
    """The measure above can tell: ``sleep(0)`` lets the chain move one hop a slice."""
    assert await slices_until_a_chain_is_through(lambda: asyncio.sleep(0)) >= HOPS - 1
