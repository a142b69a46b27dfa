"""End-to-end: login, READY, messages and slash commands through real discord.py."""

from __future__ import annotations

from playground import Playground


async def test_ready_is_fast(pg: Playground) -> None:
    assert pg.bot.is_ready()
    # IDENTIFY -> on_ready is the gateway's part (about 25 ms); the whole start includes
    # setup_hook (migrations, cogs, command sync) and is only sanity-checked.
    assert pg.gateway_ready_seconds is not None and pg.gateway_ready_seconds < 1.0
    assert pg.ready_seconds is not None and pg.ready_seconds < 10.0
    guild = pg.bot.get_guild(pg.world.guild_id)
    assert guild is not None and guild.name == "Cliffhanger Playground"


async def test_echo_command(pg: Playground) -> None:
    events = await pg.command("alice", "ballard", "/echo text:hello times:2")
    assert [(e.type, e.author, e.content) for e in events] == [
        ("message", "Cliffhanger", "hello hello")
    ]
    assert pg.contract_violations == []
