"""End-to-end: gateway drops, rate limits, server errors and slow responses."""

from __future__ import annotations

import time

from playground import Playground


def _statuses(pg: Playground, fragment: str) -> list[int]:
    assert pg.server is not None
    return [status for _m, path, status in pg.server.requests if fragment in path]


async def test_gateway_drop_resumes_without_losing_or_repeating_events(pg: Playground) -> None:
    assert pg.server is not None
    gateway = pg.server.gateway
    await pg.send("alice", "ballard", "before")
    await gateway.drop()
    await pg.send("alice", "ballard", "while disconnected 1")
    await pg.send("bob", "ballard", "while disconnected 2")
    await pg.drop_gateway()
    await pg.send("carol", "ballard", "after")
    sent = [m.id for m in pg.world.messages.values() if not m.author.bot]
    assert pg.bot.get_cog("Sample").seen == sent
    assert gateway.sessions == 1
    assert gateway.resumes == 2


async def test_commands_still_work_after_a_resume(pg: Playground) -> None:
    await pg.drop_gateway()
    events = await pg.command("alice", "ballard", '/echo text:"still here"')
    assert events[0].content == "still here"


async def test_rate_limited_interaction_callback_is_retried(pg: Playground) -> None:
    pg.faults.rate_limit("POST", "/interactions/{id}/{token}/callback", retry_after=0.05)
    events = await pg.command("alice", "ballard", "/echo text:hi")
    assert events[0].content == "hi"
    assert _statuses(pg, "/callback") == [429, 200]


async def test_rate_limited_bot_route_is_retried(pg: Playground) -> None:
    pg.faults.rate_limit("POST", "/channels/{id}/webhooks", retry_after=0.05, times=2)
    events = await pg.send("alice", "ballard", "spoiler: x")
    assert [e.type for e in events] == ["message", "message", "delete"]
    assert _statuses(pg, "/webhooks")[:3] == [200, 429, 429]


async def test_server_error_is_retried(pg: Playground) -> None:
    pg.faults.fail("POST", "/webhooks/{id}/{token}", status=500, times=1)
    events = await pg.send("alice", "ballard", "spoiler: retried")
    assert [e.content for e in events][1] == "||retried||"
    assert 500 in _statuses(pg, "/webhooks/")


async def test_slow_responses_are_waited_for(pg: Playground) -> None:
    pg.faults.slow("POST", "/interactions/*", delay=0.3)
    started = time.perf_counter()
    events = await pg.command("alice", "ballard", "/echo text:slowly")
    assert time.perf_counter() - started >= 0.3
    assert events[0].content == "slowly"
    pg.faults.clear()
