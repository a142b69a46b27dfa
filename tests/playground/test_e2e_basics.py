"""End-to-end: login, READY, messages and slash commands through real discord.py."""

from __future__ import annotations

from playground import Playground


async def test_ready_is_fast(pg: Playground) -> None:
    assert pg.bot.is_ready()
    assert pg.ready_seconds is not None and pg.ready_seconds < 1.0
    guild = pg.bot.get_guild(pg.world.guild_id)
    assert guild is not None and guild.name == "Cliffhanger Playground"


async def test_echo_command(pg: Playground) -> None:
    events = await pg.command("alice", "ballard", "/echo text:hello times:2")
    assert [(e.type, e.author, e.content) for e in events] == [
        ("message", "Cliffhanger", "hello hello")
    ]
    assert pg.contract_violations == []
