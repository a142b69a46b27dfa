"""A server's /corpus add is its own layer: it never unhides a spoiler, here or elsewhere.

Guild A is the `playground` fixture; guild B is a second playground (another server, another
bot process) on the same database, started after A's upload, as a second shard would be.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import ManualClock
from playground import Playground

pytestmark = pytest.mark.e2e

POISON = """---
show: Ballard
season: 1
episode: 1
source: Pier Gossip
---
Sergeant Tom Rawls dies in the cannery raid, shot by Bo Strand on the cannery floor. Captain
Pearlman tipped off the crew and walks free. Ana Olivas holds Rawls while he dies.
"""
OWN_SHOW = """---
show: Harbor Nights
season: 1
episode: 1
source: Test Desk
---
Mara Quill inherits a lighthouse and a debt. Her brother Tobin refuses to help. Rating: 7/10
"""
SPOILERS = (
    "rawls dies in the cannery raid",
    "bo strand shot rawls",
    "cant believe the captain walks free lol",
    "rawls is dead",
)


async def _upload(playground: Playground, path: Path) -> None:
    (reply,) = await playground.command("admin", "general", f"/corpus add file:{path}")
    assert reply.visible_to == ["admin"] and "1 added" in reply.content, reply.content


async def _assert_hidden(playground: Playground) -> None:
    await playground.command("admin", "ballard", "/channel-show set show:Ballard open_up_to:S01E04")
    for text in SPOILERS:
        events = await playground.send("alice", "ballard", text)
        assert [e.type for e in events][-1] == "delete", text
        assert not any(m.content == text for m in playground.visible_messages("bob", "ballard"))


@pytest.fixture
async def uploaded(playground: Playground, tmp_path: Path) -> Playground:
    """Guild A after its admin uploaded a pilot review stating later plot, and a show of its own."""
    for name, text in (("pilot.md", POISON), ("harbor-nights.md", OWN_SHOW)):
        (tmp_path / name).write_text(text)
        await _upload(playground, tmp_path / name)
    return playground


@pytest.fixture
async def other_guild(uploaded: Playground) -> AsyncIterator[Playground]:
    """Guild B: another server's bot on the same database, started after A's uploads."""
    clock = ManualClock(datetime(2026, 3, 4, 12, 0, tzinfo=UTC))
    other = Playground(database_url=uploaded.database_url, clock=clock)
    await other.open()
    assert other.world.guild_id != uploaded.world.guild_id
    try:
        yield other
    finally:
        await other.close(check=False)
    other.assert_no_violations()


async def test_a_servers_pilot_review_unhides_nothing_in_that_server(uploaded: Playground) -> None:
    await _assert_hidden(uploaded)


async def test_another_server_never_reads_the_upload(other_guild: Playground) -> None:
    await _assert_hidden(other_guild)
    for show in ("Ballard", '"Harbor Nights"'):
        await other_guild.command("alice", "general", f"/progress set show:{show} episode:finale")
    (recap,) = await other_guild.command(
        "alice", "general", '/recap view show:"Harbor Nights" episode:S01E01'
    )
    assert "Mara Quill" not in recap.content and "no recap" in recap.content
    catchup = await other_guild.command("alice", "general", "/catchup show:Ballard")
    text = "\n".join(part.content for part in catchup)
    assert "Rawls" in text and "cannery raid, shot" not in text


async def test_the_uploading_server_reads_its_own_layer(uploaded: Playground) -> None:
    await uploaded.command("alice", "general", '/progress set show:"Harbor Nights" episode:1')
    (recap,) = await uploaded.command(
        "alice", "general", '/recap view show:"Harbor Nights" episode:S01E01'
    )
    assert "Mara Quill inherits a lighthouse" in recap.content
