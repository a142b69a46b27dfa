"""/progress and /privacy end to end: the real discord.py client through the playground."""

from __future__ import annotations

import pytest

from playground import Playground

pytestmark = pytest.mark.e2e


def _only(events: list, user: str) -> str:
    (event,) = events
    assert event.type == "ephemeral" and event.visible_to == [user]
    return event.content


async def test_set_next_list_and_clear(playground: Playground) -> None:
    reply = _only(
        await playground.command("alice", "ballard", "/progress set show:balard episode:s1e5"),
        "alice",
    )
    assert reply == "Saved: **Ballard** ▰▰▰▰▰▱▱▱▱▱ S01E05 · 5/10"
    reply = _only(
        await playground.command("alice", "ballard", "/progress next show:Ballard"), "alice"
    )
    assert reply.startswith("Marked S01E06 as watched.")
    await playground.command(
        "alice", "ballard", '/progress set show:"the lantern keeper" episode:2x03'
    )
    reply = _only(await playground.command("alice", "general", "/progress list"), "alice")
    assert reply.splitlines() == [
        "Your progress:",
        "**Ballard** ▰▰▰▰▰▰▱▱▱▱ S01E06 · 6/10",
        "**The Lantern Keeper** ▰▰▰▰▰▰▰▰▱▱ S02E03 · 11/14",
    ]
    reply = _only(
        await playground.command("alice", "general", "/progress clear show:ballard"), "alice"
    )
    assert reply == "Cleared your progress in **Ballard**."


async def test_next_names_the_episode_by_code_only(playground: Playground) -> None:
    reply = _only(await playground.command("bob", "ballard", "/progress next show:Ballard"), "bob")
    assert "S01E01" in reply
    titles = ["Low Tide", "Pier Nine"]  # Ballard's episode titles never appear
    assert not any(title in reply for title in titles)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/progress set show:Ballard episode:S01E11", "Ballard has 10 episodes in season 1"),
        ('/progress set show:"xyz harbor" episode:1', "Did you mean **Ballard**?"),
        ("/progress set show:Ballard episode:banana", "can't read “banana” as an episode"),
        ('/progress set show:"lantern keeper" episode:5', "several seasons"),
        ("/progress clear show:Coldwake", "no progress recorded for Coldwake"),
    ],
)
async def test_bad_input_gets_a_short_private_error(
    playground: Playground, command: str, expected: str
) -> None:
    reply = _only(await playground.command("carol", "general", command), "carol")
    assert expected in reply
    assert "Traceback" not in reply


async def test_progress_of_honours_privacy(playground: Playground) -> None:
    await playground.command("bob", "general", "/progress set show:Coldwake episode:S01E04")
    reply = _only(await playground.command("alice", "general", "/progress of member:@bob"), "alice")
    assert "bob's progress:" in reply and "S01E04 · 4/8" in reply
    reply = _only(
        await playground.command("bob", "general", "/privacy progress visible_to:private"), "bob"
    )
    assert reply.startswith("Only **you** can see")
    reply = _only(await playground.command("alice", "general", "/progress of member:@bob"), "alice")
    assert reply == "That member keeps their progress private."


async def test_autocomplete_is_typo_tolerant_and_starts_at_your_place(
    playground: Playground,
) -> None:
    shows = await playground.autocomplete("alice", "general", "/progress set", "show", "balard")
    assert shows[0]["value"] == "Ballard"
    shows = await playground.autocomplete(
        "alice", "general", "/progress set", "show", "the lantern keeper"
    )
    assert shows[0]["value"] == "The Lantern Keeper"
    await playground.command("alice", "general", "/progress set show:Ballard episode:S01E07")
    episodes = await playground.autocomplete(
        "alice", "general", "/progress set show:Ballard", "episode", ""
    )
    assert [choice["value"] for choice in episodes][:2] == ["S01E07", "S01E08"]
    assert len(episodes) <= 25
