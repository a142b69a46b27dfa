"""End-to-end: what the bot does when it starts (command sync, privileged intents)."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

import pytest

from bot.app.client import EXTENSIONS
from bot.app.intents import MissingIntentsError
from bot.clock import ManualClock
from playground import Playground
from playground.gateway import TOKEN
from playground.harness import DEFAULT_CORPUS, all_routes
from playground.server import Server
from playground.world import World, intent_bits

pytestmark = pytest.mark.e2e


def _syncs(pg: Playground) -> int:
    """Requests to the bulk-overwrite endpoint (what `tree.sync()` sends)."""
    assert pg.server is not None
    return sum(
        1
        for method, path, _status in pg.server.requests
        if method == "PUT" and path.endswith("/commands")
    )


async def test_a_restart_with_the_same_commands_does_not_sync(
    playground: Playground, caplog: pytest.LogCaptureFixture
) -> None:
    assert _syncs(playground) == 1
    caplog.set_level(logging.INFO, logger="bot.app.sync")
    await playground.restart_bot()
    assert _syncs(playground) == 1
    assert "unchanged since the last sync; not syncing" in caplog.text
    (reply,) = await playground.command("alice", "general", "/progress list")
    assert reply.visible_to == ["alice"]  # the commands registered before still work


async def test_a_changed_tree_or_the_sync_flag_syncs_again(
    playground: Playground, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.app.sync")
    without_recommend = tuple(e for e in EXTENSIONS if e != "cogs.recommend")
    await playground.restart_bot(extensions=without_recommend)
    assert _syncs(playground) == 2 and "the command tree changed" in caplog.text
    assert not playground.has_command("rate")
    await playground.restart_bot(force_sync=True)
    assert _syncs(playground) == 3 and "forced by --sync" in caplog.text


async def test_missing_privileged_intents_stop_the_bot_before_any_sync(
    playground_database: str | None,
) -> None:
    pg = Playground(
        database_url=playground_database,
        corpus=[DEFAULT_CORPUS],
        privileged_intents={"members", "presences"},  # Message Content is off in the portal
    )
    with pytest.raises(MissingIntentsError) as refused:
        await pg.open()
    try:
        assert pg.server is not None and pg.server.gateway.disallowed == 1
        assert pg.world.command_syncs == [] and _syncs(pg) == 0
        assert str(refused.value) == (
            "Discord refused the gateway connection because the Message Content Intent is not "
            "enabled for this bot: turn it on at https://discord.com/developers/applications "
            "→ your application → Bot → Privileged Gateway Intents, then start again."
        )
    finally:
        await pg.close(check=False)


async def test_run_exits_with_one_line_when_intents_are_missing(tmp_path: Path) -> None:
    world = World(ManualClock().now, "Cliffhanger Playground")
    world.portal_intents = intent_bits({"message_content"})  # Server Members is off
    server = Server(world, all_routes(), contract=None)
    await server.start()
    env = {
        **os.environ,
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_API_BASE": server.api_base,
        "DISCORD_GATEWAY_URL": server.gateway_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
        "CACHE_DIR": "off",
        "LOG_LEVEL": "ERROR",  # no start-up warnings: stderr holds only the exit line
    }
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    finally:
        await server.stop()
    lines = err.decode().strip().splitlines()
    assert process.returncode == 2, err.decode()
    assert lines == [
        "configuration error: Discord refused the gateway connection because the Server Members "
        "Intent is not enabled for this bot: turn it on at "
        "https://discord.com/developers/applications → your application → Bot → Privileged "
        "Gateway Intents, then start again."
    ]
    assert world.command_syncs == [] and server.gateway.disallowed == 1
