"""Several guilds on one playground server, spread over the bot's shards."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import discord
import pytest
import yarl

from playground import ops
from playground.gateway import TOKEN, shard_of
from playground.harness import all_routes
from playground.server import Server
from playground.world import Snowflakes, World


class Echo(discord.AutoShardedClient):
    """Answers every member's message in its channel with the shard that heard it."""

    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(intents=intents, shard_count=2, shard_ids=[0, 1])
        self.heard: list[tuple[int, int]] = []  # (guild id, shard id)

    async def on_message(self, message: discord.Message) -> None:
        """Note who heard it and answer in the same channel."""
        if message.author.bot or message.guild is None:
            return
        self.heard.append((message.guild.id, message.guild.shard_id))
        await message.channel.send(f"heard on shard {message.guild.shard_id}")


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    """A server for two shards: the first guild, then one more guild on each shard."""
    world = World(lambda: datetime(2026, 1, 1, tzinfo=UTC), "First")
    server = Server(world, all_routes(), contract=None, shard_count=2)
    server.add_guild("Zero", shard_id=0)
    server.add_guild("One", shard_id=1)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def echo(server: Server) -> AsyncIterator[Echo]:
    """A sharded discord.py client connected to the server, every guild loaded."""
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = server.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(server.gateway_url)
    client = Echo()
    await client.login(TOKEN)
    task = asyncio.create_task(client.connect(reconnect=False))
    try:
        await asyncio.wait_for(client.wait_until_ready(), 20)
        yield client
    finally:
        await client.close()
        await asyncio.gather(task, return_exceptions=True)
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


def test_a_snowflake_can_be_drawn_for_a_chosen_shard() -> None:
    ids = Snowflakes(lambda: datetime(2026, 1, 1, tzinfo=UTC))
    drawn = [ids.next(), ids.next_on_shard(1, 2), ids.next(), ids.next_on_shard(0, 2)]
    assert drawn == sorted(set(drawn))  # unique and increasing
    assert [shard_of(drawn[1], 2), shard_of(drawn[3], 2)] == [1, 0]


async def test_each_shard_gets_the_guilds_it_owns(server: Server, echo: Echo) -> None:
    by_id = {guild.id: guild.shard_id for guild in echo.guilds}
    expected = {w.guild_id: shard_of(w.guild_id, 2) for w in server.worlds}
    assert by_id == expected
    assert sorted(expected.values()).count(0) >= 1 and sorted(expected.values()).count(1) >= 1


async def test_a_message_in_an_added_guild_is_heard_and_answered_there(
    server: Server, echo: Echo
) -> None:
    first, zero, one = server.worlds
    for world in (zero, one):
        channel = world.ensure_channel("talk")
        ops.post_message(world, channel, world.ensure_user("alice"), {"content": "hello"})
    for _ in range(200):
        if len(echo.heard) == 2:
            break
        await asyncio.sleep(0.02)
    assert sorted(echo.heard) == sorted([(zero.guild_id, 0), (one.guild_id, 1)])
    for _ in range(200):
        answers = [
            (w.guild_id, m.content)
            for w in (first, zero, one)
            for m in w.messages.values()
            if m.author.bot
        ]
        if len(answers) == 2:
            break
        await asyncio.sleep(0.02)
    assert sorted(answers) == sorted(
        [(zero.guild_id, "heard on shard 0"), (one.guild_id, "heard on shard 1")]
    )
    assert server.violations == []


async def test_a_request_naming_an_added_guild_reaches_it(server: Server, echo: Echo) -> None:
    first, _zero, one = server.worlds
    talk = one.ensure_channel("talk")
    channel = await echo.fetch_channel(talk.id)
    assert isinstance(channel, discord.TextChannel) and channel.guild.id == one.guild_id
    hook = await channel.create_webhook(name="Hook")
    assert hook.id in one.webhooks and hook.id not in first.webhooks
    await hook.send("through the hook", wait=True)
    assert [m.content for m in one.messages.values()] == ["through the hook"]
    guild = echo.get_guild(one.guild_id)
    assert guild is not None
    assert [h.id for h in await guild.webhooks()] == [hook.id]
