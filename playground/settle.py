"""Waiting until the bot is idle: no request in flight, no handler task pending."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

BUSY_TASK_PREFIXES: tuple[str, ...] = (
    "discord.py: ",
    "CommandTree-invoker",
    "discord-ui-view-dispatch",
    "discord-ui-modal-dispatch",
    "discord-ui-dynamic-item",
    "playground-drop",
    "cliffhanger-outbox",  # the bot's hidings and their writes (not its retry timers)
)


class SettleTimeout(TimeoutError):
    """The bot did not become idle in time."""


def busy_tasks(prefixes: tuple[str, ...] = BUSY_TASK_PREFIXES) -> list[str]:
    """Names of pending tasks that discord.py created to handle events or interactions."""
    current = asyncio.current_task()
    return sorted(
        task.get_name()
        for task in asyncio.all_tasks()
        if task is not current and not task.done() and task.get_name().startswith(prefixes)
    )


async def wait_until_idle(
    busy: Callable[[], str | None],
    *,
    limit: float = 10.0,
    quiet_rounds: int = 3,
) -> None:
    """Return once `busy()` has reported nothing for `quiet_rounds` loop iterations in a row."""
    deadline = time.monotonic() + limit
    quiet = 0
    spins = 0
    while quiet < quiet_rounds:
        reason = busy()
        if reason is None:
            quiet += 1
            await asyncio.sleep(0)
            continue
        quiet = 0
        if time.monotonic() > deadline:
            raise SettleTimeout(f"the bot is still busy after {limit:.1f}s: {reason}")
        spins += 1
        await asyncio.sleep(0 if spins < 50 else 0.002)
