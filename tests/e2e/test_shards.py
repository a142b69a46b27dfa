"""Two shard processes, one playground, one PostgreSQL: each guild is heard by one process,
and a change made through one process holds in the other within a second."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from playground.harness import DEFAULT_CORPUS
from playground.shards import ShardedPlayground
from tests.conftest import POSTGRES_URL, reset_postgres

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="needs TEST_DATABASE_URL (a PostgreSQL server)"),
]

SPOILER = "cant believe the captain walks free lol"


def _two_shards(url: str, tmp_path: Path, **options: Any) -> ShardedPlayground:
    """The bot as two processes, shard 0 and shard 1 of 2."""
    return ShardedPlayground(
        database_url=url,
        shard_count=2,
        processes=[[0], [1]],
        corpus=[DEFAULT_CORPUS],
        log_dir=tmp_path,
        **options,
    )


@pytest.fixture
async def shards(
    postgres_session_url: str | None, tmp_path: Path
) -> AsyncIterator[ShardedPlayground]:
    """Two shard processes on a fresh PostgreSQL database."""
    assert postgres_session_url is not None
    await reset_postgres(postgres_session_url)
    async with _two_shards(postgres_session_url, tmp_path) as playground:
        yield playground


def _hidden(events: list) -> bool:
    return [e.type for e in events] == ["message", "message", "delete"]


async def test_each_guild_is_heard_by_exactly_one_process(shards: ShardedPlayground) -> None:
    gateway = shards.server.gateway
    owner = gateway.guild_shard
    assert list(gateway.idle_shards) == [1 - owner]
    await shards.command("admin", "ballard", "/channel-show set show:Ballard open_up_to:S01E05")
    events = await shards.send("alice", "ballard", SPOILER)
    assert _hidden(events), events
    reposts = [m for m in shards.world.messages.values() if m.webhook_id and SPOILER in m.content]
    assert len(reposts) == 1
    assert f"serving shard(s) {owner} of 2, 1 server(s)" in shards.process_log(owner)
    assert f"serving shard(s) {1 - owner} of 2, 0 server(s)" in shards.process_log(1 - owner)


async def test_a_line_changed_through_one_process_holds_in_the_other(
    shards: ShardedPlayground,
) -> None:
    gateway = shards.server.gateway
    first = gateway.guild_shard
    await shards.command("admin", "ballard", "/channel-show set show:Ballard open_up_to:S01E05")
    assert _hidden(await shards.send("alice", "ballard", SPOILER))  # `first` caches the line
    gateway.move_guild(1 - first)
    await shards.settle()
    await shards.command("admin", "ballard", "/channel-show set show:Ballard open_up_to:S01E10")
    gateway.move_guild(first)
    await shards.settle()
    await asyncio.sleep(1.0)
    events = await shards.send("alice", "ballard", SPOILER)
    assert [e.type for e in events] == ["message"], events


async def test_a_watch_party_fires_once_from_the_owning_process(
    postgres_session_url: str | None, tmp_path: Path
) -> None:
    from sqlalchemy import update

    from bot.catalog.store import CatalogStore
    from bot.clock import SystemClock
    from bot.progress.service import ProgressService
    from bot.recaps.service import RecapService
    from bot.watchparty.service import NewSchedule, WatchPartyService
    from db.models import Schedule

    assert postgres_session_url is not None
    await reset_postgres(postgres_session_url)
    due = datetime.now(UTC) + timedelta(seconds=6)
    playground: ShardedPlayground

    async def schedule_soon(sessions: Any) -> None:
        world = playground.world
        channel = world.ensure_channel("ballard")
        catalog, clock = CatalogStore(sessions), SystemClock()
        await catalog.refresh()
        recaps = RecapService(sessions, catalog, ProgressService(sessions, catalog, clock))
        party = WatchPartyService(sessions, catalog, recaps, clock, None, lambda: 6.0)  # type: ignore[arg-type]
        request = NewSchedule(
            world.guild_id, channel.id, world.owner.id, "Ballard", "daily 20:00", "UTC"
        )
        view = await party.add(request)
        async with sessions.begin() as session:
            await session.execute(
                update(Schedule).where(Schedule.id == view.row.id).values(next_fire_at=due)
            )

    playground = _two_shards(postgres_session_url, tmp_path, prepare=schedule_soon)
    async with playground:
        channel = playground.world.ensure_channel("ballard")
        for _ in range(200):
            if datetime.now(UTC) > due + timedelta(seconds=3):
                break
            await asyncio.sleep(0.1)
        await playground.settle()
        recaps = [
            m for m in playground.world.messages.values()
            if m.channel_id == channel.id and "S01E01" in m.content
        ]  # fmt: skip
        assert len(recaps) == 1, [m.content for m in recaps]


async def test_two_processes_each_hide_spoilers_in_the_guilds_of_their_shard(
    postgres_session_url: str | None, tmp_path: Path
) -> None:
    from bot.catalog.episodes import EpisodeRef
    from db.channels import set_channel_show
    from db.shows import find_show_by_title
    from playground import ops
    from playground.gateway import shard_of

    assert postgres_session_url is not None
    await reset_postgres(postgres_session_url)
    playground: ShardedPlayground

    async def tie_channels(sessions: Any) -> None:
        async with sessions.begin() as session:
            show = await find_show_by_title(session, "Ballard")
            for world in playground.guilds:
                await set_channel_show(
                    session, guild_id=world.guild_id, channel_id=world.ensure_channel("talk").id,
                    show_id=show.id, line=EpisodeRef(1, 5), follow_watchers=False,
                )  # fmt: skip

    playground = _two_shards(
        postgres_session_url, tmp_path, prepare=tie_channels, guilds=[0, 1, 0, 1]
    )
    async with playground:
        for world in playground.guilds:
            author = world.ensure_user("alice")
            ops.post_message(world, world.ensure_channel("talk"), author, {"content": SPOILER})
        hidden = [("message", False), ("message", True), ("delete", False)]
        for _ in range(400):  # the processes' first check in a guild sends no request to wait on
            seen = [
                [(e.type, e.webhook) for e in world.events if e.type in ("message", "delete")]
                for world in playground.guilds
            ]
            if all(kinds == hidden for kinds in seen):
                break
            await asyncio.sleep(0.05)
        assert all(kinds == hidden for kinds in seen), seen
        first = shard_of(playground.world.guild_id, 2)
        for shard in (0, 1):
            servers = 2 + (shard == first)  # the first guild, besides two added ones
            log = playground.process_log(shard)
            assert f"serving shard(s) {shard} of 2, {servers} server(s)" in log
