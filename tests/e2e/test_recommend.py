"""/rate, /recommend, /watchnext and /party suggest end to end through the playground."""

from __future__ import annotations

import pytest

from playground import Playground

pytestmark = pytest.mark.e2e

LATER_BALLARD_NAMES = ("Marchetti", "Strand", "Ackerly", "Deb Rawls")


async def test_recommend_explains_and_never_spoils(playground: Playground) -> None:
    await playground.command("alice", "general", "/rate show:Ballard score:9")
    await playground.command("alice", "general", "/progress set show:Ballard episode:finale")
    (reply,) = await playground.command("alice", "general", "/recommend count:5")
    assert reply.visible_to == ["alice"]
    lines = reply.content.splitlines()
    assert lines[0] == "**You might like**"
    assert "you rated Ballard 9" in reply.content
    assert "**Ballard**" not in reply.content  # already started
    assert not any(name in reply.content for name in LATER_BALLARD_NAMES)


async def test_rate_rejects_out_of_range_and_unknown_shows(playground: Playground) -> None:
    (reply,) = await playground.command("alice", "general", '/rate show:"nope nope" score:5')
    assert "don't know a show" in reply.content


async def test_watchnext_counts_peers_by_code_only(playground: Playground) -> None:
    await playground.command("alice", "general", "/progress set show:Ballard episode:S01E05")
    await playground.command("bob", "general", "/progress set show:Ballard episode:S01E03")
    (reply,) = await playground.command("bob", "general", "/watchnext")
    assert reply.visible_to == ["bob"]
    assert "**Ballard** next S01E04 · 1 member here is level or ahead" in reply.content
    assert "Alibi" not in reply.content  # S01E04's title is never shown


async def test_party_suggest_is_public_and_finds_the_common_episode(
    playground: Playground,
) -> None:
    for user, episode in (("alice", "S01E06"), ("bob", "S01E03")):
        await playground.command(user, "watchclub", f"/progress set show:Ballard episode:{episode}")
    events = await playground.command("alice", "watchclub", "/party suggest")
    public = [e for e in events if e.visible_to is None]
    assert public and "**Start together**" in public[-1].content
