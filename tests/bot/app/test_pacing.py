"""Global pacing: the invalid-response window, backoff steps, the budget and the aiohttp hook."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from bot.app.pacing import (
    BACKOFF_STEPS,
    Backoff,
    InvalidRequests,
    RequestPace,
    pacing_trace,
)

STEPS = (Backoff(0, 1, "full"), Backoff(3, 1, "warn"), Backoff(5, 2, "half"))


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_only_401_403_and_unshared_429_count() -> None:
    invalid = InvalidRequests()
    for status in (200, 204, 400, 404, 500):
        assert not invalid.record(status)
    assert not invalid.record(429, "shared")
    assert invalid.record(401) and invalid.record(403) and invalid.record(429, "global")
    assert invalid.record(429, "user") and invalid.record(429)
    assert invalid.count == 5


def test_the_window_slides() -> None:
    clock = FakeTime()
    invalid = InvalidRequests(window=600, now=clock)
    invalid.record(403)
    clock.now += 300
    invalid.record(403)
    assert invalid.count == 2
    clock.now += 300  # the first is exactly 10 minutes old: out
    assert invalid.count == 1
    clock.now += 301
    assert invalid.count == 0
    assert invalid.total == 2


def test_default_steps_back_off_long_before_the_ban() -> None:
    clock = FakeTime()
    invalid = InvalidRequests(now=clock)
    names = []
    for number in range(1, 9_001):
        invalid.record(429)
        if number in (999, 1_000, 4_999, 5_000, 8_000, 9_000):
            names.append((number, invalid.step.name, invalid.step.cost))
    assert names == [
        (999, "full budget", 1),
        (1_000, "warning", 1),
        (4_999, "warning", 1),
        (5_000, "half budget", 2),
        (8_000, "quarter budget", 4),
        (9_000, "quarter budget", 4),
    ]
    assert max(step.at for step in BACKOFF_STEPS) < 10_000
    clock.now += 601
    assert invalid.step.name == "full budget"


async def _time_acquires(pace: RequestPace, count: int) -> float:
    started = time.monotonic()
    for _ in range(count):
        await pace.acquire()
    return time.monotonic() - started


async def test_the_budget_paces_a_burst() -> None:
    pace = RequestPace(100, 5)
    elapsed = await _time_acquires(pace, 25)
    assert elapsed >= (25 - 5) / 100 * 0.95  # the burst goes at once, the rest at 100/s
    assert elapsed < 1.0
    assert pace.requests == 25 and pace.waited > 0


async def test_pacing_off_never_waits() -> None:
    pace = RequestPace(0, 5)
    assert not pace.enabled
    assert await _time_acquires(pace, 200) < 0.1
    assert pace.requests == 200


async def test_many_invalid_responses_slow_the_budget_and_are_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeTime()
    # 10/s: a busy machine's few milliseconds of lag per wait stay small beside 100 ms
    pace = RequestPace(10, 4, InvalidRequests(steps=STEPS, now=clock))
    await _time_acquires(pace, 4)  # empty the burst
    full = await _time_acquires(pace, 5)  # 100 ms apart
    with caplog.at_level(logging.WARNING, "bot.app.pacing"):
        for _ in range(5):
            pace.observe(429, "global")
    assert [r.getMessage().split(": ")[-1] for r in caplog.records] == ["warn", "half"]
    halved = await _time_acquires(pace, 5)  # 200 ms apart
    assert halved > full * 1.6
    clock.now += 601  # the window empties: back to the full budget at the next request
    with caplog.at_level(logging.INFO, "bot.app.pacing"):
        await pace.acquire()
    assert caplog.records[-1].getMessage() == "invalid Discord responses down to 0: full"
    assert await _time_acquires(pace, 5) < halved * 0.8


@pytest.fixture
async def fake_api() -> AsyncIterator[str]:
    async def ok(_request: web.Request) -> web.Response:
        return web.json_response({})

    async def forbidden(_request: web.Request) -> web.Response:
        return web.json_response({"code": 50013}, status=403)

    app = web.Application()
    app.router.add_get("/api/v10/ok", ok)
    app.router.add_get("/api/v10/no", forbidden)
    app.router.add_get("/cdn/file", ok)
    app.router.add_post("/api/v10/interactions/1/x/callback", ok)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_the_trace_paces_api_requests_and_counts_invalid(fake_api: str) -> None:
    pace = RequestPace(50, 5)
    trace = pacing_trace(pace, lambda: f"{fake_api}/api/v10")
    async with aiohttp.ClientSession(trace_configs=[trace]) as session:
        started = time.monotonic()
        statuses = await asyncio.gather(
            *(_status(session, f"{fake_api}/api/v10/ok") for _ in range(20))
        )
        elapsed = time.monotonic() - started
        await _status(session, f"{fake_api}/api/v10/no")
        for _ in range(10):  # neither the CDN nor interaction responses are paced
            await _status(session, f"{fake_api}/cdn/file")
            await _status(session, f"{fake_api}/api/v10/interactions/1/x/callback", "POST")
    assert statuses == [200] * 20
    assert elapsed >= (20 - 5) / 50 * 0.95
    assert pace.requests == 21
    assert pace.invalid.count == 1


async def _status(session: aiohttp.ClientSession, url: str, method: str = "GET") -> int:
    async with session.request(method, url) as response:
        return response.status
