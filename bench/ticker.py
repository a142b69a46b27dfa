"""A 5 ms ticker on the event loop: how late it wakes is how long the loop was blocked."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

TICK = 0.005


async def stalls_during(
    work: Awaitable[object], on_tick: Callable[[], None] | None = None
) -> list[float]:
    """How late the ticker woke each time while `work` ran, in seconds, sorted."""
    stalls: list[float] = []

    async def ticker() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            stalls.append(now - last - TICK)
            if on_tick is not None:
                on_tick()
            last = now

    task = asyncio.create_task(ticker())
    await asyncio.sleep(TICK * 2)
    try:
        await work
    finally:
        task.cancel()
    return sorted(stalls) or [0.0]
