"""The playground's global rate limit (50 requests/s per token) and invalid-request count."""

from __future__ import annotations

import asyncio

import aiohttp

from playground import Playground
from playground.gateway import TOKEN
from playground.global_limit import GlobalLimit, InvalidRequestLog, caller_key, counts_globally


class FakeTime:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def test_fifty_a_second_per_caller_then_the_wait() -> None:
    clock = FakeTime()
    limit = GlobalLimit(50, now=clock)
    assert all(limit.admit("Bot a") is None for _ in range(50))
    assert limit.admit("ip:127.0.0.1") is None  # another caller has its own budget
    clock.now += 0.25
    assert limit.admit("Bot a") == 0.75
    clock.now += 0.75  # the first fifty are a second old now
    assert limit.admit("Bot a") is None
    assert limit.refused == 1
    assert GlobalLimit(0).admit("Bot a") is None


def test_callers_and_paths() -> None:
    assert caller_key("Bot xyz", "127.0.0.1") == "Bot xyz"
    assert caller_key(None, "127.0.0.1") == "ip:127.0.0.1"
    assert counts_globally("/channels/1/messages")
    assert not counts_globally("/interactions/1/tok/callback")


def test_invalid_requests_in_a_ten_minute_window() -> None:
    clock = FakeTime()
    log = InvalidRequestLog(now=clock)
    for status, scope in [(200, None), (404, None), (401, None), (403, None), (429, "global")]:
        log.record("Bot a", status, scope)
    log.record("Bot a", 429, "shared")  # Discord does not count these
    log.record("ip:1", 429, "user")
    assert (log.count("Bot a"), log.count("ip:1"), log.count()) == (3, 1, 4)
    clock.now += 600
    assert log.count() == 0


async def _get(session: aiohttp.ClientSession, url: str) -> tuple[int, dict[str, str], object]:
    async with session.get(url, headers={"Authorization": f"Bot {TOKEN}"}) as response:
        return response.status, dict(response.headers), await response.json()


async def test_a_flood_draws_discords_global_429(pg: Playground) -> None:
    assert pg.server is not None
    url = f"{pg.server.api_base}/users/@me"
    before = pg.server.invalid_requests.count(f"Bot {TOKEN}")
    async with aiohttp.ClientSession() as session:
        answers = await asyncio.gather(*(_get(session, url) for _ in range(80)))
    limited = [(headers, body) for status, headers, body in answers if status == 429]
    assert 30 <= len(limited) <= 80 - 40  # the bot's own start-up may have used a few
    headers, body = limited[0]
    assert headers["X-RateLimit-Global"] == "true"
    assert headers["X-RateLimit-Scope"] == "global"
    assert int(headers["Retry-After"]) >= 1
    assert isinstance(body, dict) and body["global"] is True
    assert 0 < body["retry_after"] <= 1.0
    assert pg.server.rate_limited() == len(limited)
    assert pg.server.invalid_requests.count(f"Bot {TOKEN}") - before == len(limited)
