"""Per-route rate-limit buckets: Discord's headers, and 429s with retry_after."""

from __future__ import annotations

import aiohttp

from playground import Playground
from playground.gateway import TOKEN
from playground.ratelimits import DEFAULT_LIMIT, RateLimits, bucket_id

ROUTE = "/channels/{channel_id}/messages"


class Ticks:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_counts_down_per_channel_and_refuses_past_its_limit() -> None:
    ticks = Ticks()
    limits = RateLimits(ticks)
    limits.set("POST", ROUTE, limit=2, window=5.0)
    first = limits.take("POST", ROUTE, {"channel_id": "1"})
    ticks.now += 1.0
    second = limits.take("POST", ROUTE, {"channel_id": "1"})
    assert [first.headers["X-RateLimit-Remaining"], second.headers["X-RateLimit-Remaining"]] == [
        "1",
        "0",
    ]
    assert first.headers["X-RateLimit-Limit"] == "2"
    assert second.headers["X-RateLimit-Reset-After"] == "4.000"
    assert first.headers["X-RateLimit-Bucket"] == bucket_id("POST", ROUTE)
    over = limits.take("POST", ROUTE, {"channel_id": "1"})
    assert over.limited and over.retry_after == 4.0
    assert over.headers["X-RateLimit-Scope"] == "user" and over.headers["Retry-After"] == "4"
    assert over.body() == {
        "message": "You are being rate limited.",
        "retry_after": 4.0,
        "global": False,
    }
    assert not limits.take("POST", ROUTE, {"channel_id": "2"}).limited  # another channel
    ticks.now += 4.0
    again = limits.take("POST", ROUTE, {"channel_id": "1"})
    assert not again.limited and again.headers["X-RateLimit-Remaining"] == "1"


def test_routes_without_a_rule_get_the_generous_default() -> None:
    outcome = RateLimits(Ticks()).take("GET", "/users/@me", {})
    assert outcome.headers["X-RateLimit-Limit"] == str(DEFAULT_LIMIT)
    assert outcome.headers["X-RateLimit-Remaining"] == str(DEFAULT_LIMIT - 1)


async def test_the_server_answers_with_bucket_headers_and_429s(pg: Playground) -> None:
    pg.rate_limits.set("POST", ROUTE, limit=1, window=30.0)
    general, other = pg.channel("general").id, pg.channel("other").id
    auth = {"Authorization": f"Bot {TOKEN}"}
    assert pg.server is not None
    async with aiohttp.ClientSession(headers=auth) as http:
        url = f"{pg.server.api_base}/channels/{{}}/messages"
        async with http.post(url.format(general), json={"content": "one"}) as ok:
            assert ok.status == 200 and ok.headers["X-RateLimit-Remaining"] == "0"
        async with http.post(url.format(general), json={"content": "two"}) as refused:
            assert refused.status == 429
            body = await refused.json()
            assert 29 < body["retry_after"] <= 30 and body["global"] is False
            assert refused.headers["X-RateLimit-Bucket"] == ok.headers["X-RateLimit-Bucket"]
        async with http.post(url.format(other), json={"content": "three"}) as elsewhere:
            assert elsewhere.status == 200
    assert [m.content for m in pg.world.messages.values()] == ["one", "three"]
