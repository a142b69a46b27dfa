"""Labels name the last episode a message reveals; Reveal gates on it (issue 17).

Each test is a leak the earliest-episode label allowed: a member whose progress reached the
earliest spoiled episode, but not the last one, clicked Reveal and read it.
"""

from __future__ import annotations

import pytest

from playground import Event, Playground

pytestmark = pytest.mark.e2e

SHOOTING = "bo strand shot him twice, brutal"
LEDGER = "the ledger gets ruled inadmissible and brannigan recants"
GHOST = "in lantern keeper aldous is a ghost the whole time?!"
RAID = "rawls dies in the cannery raid, bo strand shoots him"


async def _open_ballard_to(playground: Playground, line: str) -> None:
    await playground.command(
        "admin", "ballard", f"/channel-show set show:Ballard open_up_to:{line}"
    )


async def _progress(playground: Playground, member: str, show: str, episode: str) -> None:
    await playground.command(member, "general", f'/progress set show:"{show}" episode:{episode}')


def _repost(events: list[Event]) -> Event:
    (repost,) = [event for event in events if event.webhook]
    return repost


async def _reveal_is_withheld(playground: Playground, member: str, channel: str, text: str) -> None:
    (answer,) = await playground.click(member, "Reveal", channel=channel)
    assert answer.visible_to == [member]
    assert text not in answer.content and answer.components == ["Show anyway"]


async def test_a_shooting_is_labelled_with_its_own_episode(playground: Playground) -> None:
    await _open_ballard_to(playground, "S01E04")
    events = await playground.send("bob", "ballard", SHOOTING)
    assert _repost(events).content == f"⚠ **Spoiler · Ballard S01E07**\n||{SHOOTING}||"
    await _progress(playground, "alice", "Ballard", "S01E06")  # past the first name, not the shot
    await _reveal_is_withheld(playground, "alice", "ballard", SHOOTING)
    await _progress(playground, "carol", "Ballard", "S01E07")
    (shown,) = await playground.click("carol", "Reveal", channel="ballard")
    assert shown.content == f"**Ballard S01E07**\n{SHOOTING}"


async def test_the_label_follows_the_latest_fact_not_the_best_scored(
    playground: Playground,
) -> None:
    await _open_ballard_to(playground, "S01E04")
    await playground.command("admin", "ballard", "/spoilers log channel:#modlog")
    events = await playground.send("bob", "ballard", LEDGER)
    assert _repost(events).content.startswith("⚠ **Spoiler · Ballard S01E10**\n")
    log_entry = next(event for event in events if event.channel == "modlog")
    embed = log_entry.embeds[0]
    assert embed["title"] == "Spoiler · Ballard S01E10"
    fields = {field["name"]: field["value"] for field in embed["fields"]}
    assert fields["First spoils"] == "S01E09"
    assert any(name.endswith("· S01E10") for name in fields)  # the evidence dating the label
    await _progress(playground, "alice", "Ballard", "S01E09")
    await _reveal_is_withheld(playground, "alice", "ballard", LEDGER)


async def test_a_bare_name_errs_late_in_a_channel_without_a_show(playground: Playground) -> None:
    events = await playground.send("bob", "general", GHOST)
    label = _repost(events).content.split("\n", 1)[0]
    assert label == "⚠ **Spoiler · The Lantern Keeper S01E07**"  # the twist is in S01E05
    await _progress(playground, "alice", "The Lantern Keeper", "S01E04")
    await _reveal_is_withheld(playground, "alice", "general", GHOST)


async def test_own_spoiler_is_labelled_no_earlier_than_what_it_reveals(
    playground: Playground,
) -> None:
    events = await playground.command(
        "alice", "general", f'/spoiler show:ballard episode:s1e1 text:"{RAID}"'
    )
    repost, confirmation = events
    assert repost.content == f"⚠ **Spoiler · Ballard S01E07**\n||{RAID}||"
    assert confirmation.visible_to == ["alice"]
    assert confirmation.content == "Posted, labelled Ballard S01E07 (it reveals more than S01E01)."
    await _progress(playground, "bob", "Ballard", "S01E02")
    await _reveal_is_withheld(playground, "bob", "general", RAID)


async def test_own_spoiler_keeps_a_later_episode_the_author_chose(playground: Playground) -> None:
    events = await playground.command(
        "alice", "general", f'/spoiler show:ballard episode:s1e9 text:"{RAID}"'
    )
    assert events[-1].content == "Posted, labelled Ballard S01E09."
