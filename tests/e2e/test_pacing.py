"""Global pacing end to end: a burst of spoilers queues inside the bot and draws no 429."""

from __future__ import annotations

import time

import pytest

from playground import Playground, ops
from playground.gateway import TOKEN
from playground.harness import DEFAULT_CORPUS

pytestmark = pytest.mark.e2e

SPOILER = "cant believe the captain walks free lol"
CHANNELS = ("ballard", "harbour", "cannery", "ferry", "docks")


async def _burst(pg: Playground, spoilers: int) -> tuple[int, int, float]:
    """Post `spoilers` spoilers across channels at once; (reposts, deletes, seconds) when done."""
    for name in CHANNELS:
        await pg.command("admin", name, "/channel-show set show:Ballard open_up_to:S01E05")
    mark = len(pg.events)
    started = time.monotonic()
    for number in range(spoilers):
        channel = pg.channel(CHANNELS[number % len(CHANNELS)])
        author = pg.user(f"member{number % 7}")
        ops.post_message(pg.world, channel, author, {"content": f"{SPOILER} ({number})"})
    pg.settle_timeout = 180
    await pg.settle()
    events = pg.events[mark:]
    reposts = sum(1 for e in events if e.type == "message" and e.webhook)
    deletes = sum(1 for e in events if e.type == "delete")
    return reposts, deletes, time.monotonic() - started


async def test_a_burst_of_500_spoilers_is_paced_and_draws_no_429(playground: Playground) -> None:
    assert playground.server is not None
    reposts, deletes, seconds = await _burst(playground, 500)
    assert (reposts, deletes) == (500, 500)
    assert playground.server.rate_limited() == 0
    assert playground.server.invalid_requests.count() == 0
    assert playground.bot.pace.requests >= 1000
    assert seconds >= 1000 / 50  # the global limit's own floor: nothing was let through early


async def test_without_pacing_the_same_burst_draws_global_429s() -> None:
    pg = Playground(corpus=[DEFAULT_CORPUS], bot_settings={"requests_per_second": 0.0})
    await pg.open()
    try:
        assert pg.server is not None
        # a lower limit than Discord's, so even a slow machine's unpaced bot goes over it
        pg.server.global_limit.per_second = 10
        reposts, deletes, _seconds = await _burst(pg, 150)
        assert reposts > 0 and deletes > 0
        # discord.py retries after a 429 (up to 5 times, then some spoilers stay up), but each
        # 429 counts towards Discord's ban
        assert pg.server.rate_limited() > 0
        assert pg.server.invalid_requests.count(f"Bot {TOKEN}") > 0
    finally:
        await pg.close(check=False)
