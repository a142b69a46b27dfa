"""Faults from Discord and the database: the bot retries, recovers, or explains; nothing is lost."""

from __future__ import annotations

import pytest

from playground import Playground
from tests.conftest import POSTGRES_URL, _admin

pytestmark = pytest.mark.e2e

CALLBACK = "/interactions/{id}/{token}/callback"


async def test_rate_limited_reply_is_retried(playground: Playground) -> None:
    playground.faults.rate_limit("POST", CALLBACK, retry_after=0.05, times=1)
    (reply,) = await playground.command("alice", "general", "/progress set show:Ballard episode:3")
    assert reply.content.startswith("Saved: **Ballard**")


async def test_server_error_on_repost_is_retried_and_nothing_is_lost(
    playground: Playground,
) -> None:
    await playground.command("admin", "ballard", "/channel-show set show:Ballard open_up_to:S01E02")
    playground.faults.fail("POST", "/webhooks/{id}/{token}", status=502, times=1)
    events = await playground.send("alice", "ballard", "rawls doesnt make it")
    assert [e.type for e in events] == ["message", "message", "delete"]
    assert events[1].webhook and "Ballard S01E07" in events[1].content


async def test_commands_and_guard_work_after_a_gateway_drop(playground: Playground) -> None:
    await playground.command("alice", "ballard", "/progress set show:Ballard episode:2")
    await playground.drop_gateway()
    (reply,) = await playground.command("alice", "ballard", "/progress next show:Ballard")
    assert reply.content.startswith("Marked S01E03 as watched.")
    await playground.command("admin", "ballard", "/channel-show set show:Ballard open_up_to:S01E02")
    events = await playground.send("bob", "ballard", "cant believe the captain walks free lol")
    assert sum(1 for e in events if e.webhook) == 1  # handled once, not twice


async def test_slow_discord_still_gets_an_answer(playground: Playground) -> None:
    playground.faults.slow("POST", CALLBACK, delay=0.3, times=2)
    (reply,) = await playground.command("alice", "general", "/progress list")
    assert "haven't recorded any progress" in reply.content


@pytest.mark.skipif(not POSTGRES_URL, reason="needs TEST_DATABASE_URL (a PostgreSQL server)")
@pytest.mark.parametrize("playground", ["postgresql"], indirect=True)
async def test_database_outage_gets_a_friendly_error(playground: Playground) -> None:
    await playground.command("alice", "general", "/progress set show:Ballard episode:2")
    database = playground.database_url.rsplit("/", 1)[1]
    await playground.bot.engine.dispose()
    await _admin(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS false')
    await _admin(
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'"
    )
    try:
        (reply,) = await playground.command("alice", "general", "/progress next show:Ballard")
        assert reply.visible_to == ["alice"]
        assert reply.content.startswith("I can't reach my database right now")
    finally:
        await _admin(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS true')
    (reply,) = await playground.command("alice", "general", "/progress list")
    assert "S01E02" in reply.content  # the failed step changed nothing
