"""The shared fixture runs the real bot, seeded, and fails tests on contract violations."""

from __future__ import annotations

from playground import Playground


async def test_the_real_bot_is_ready(playground: Playground) -> None:
    assert playground.bot.is_ready()
    names = {c["name"] for c in playground.world.commands.values()}
    assert names, "the bot registered no commands"
    events = await playground.send("alice", "general", "hello")
    assert events[0].content == "hello"


async def test_restart_keeps_the_database(playground: Playground) -> None:
    await playground.restart_bot()
    assert playground.bot.is_ready()
