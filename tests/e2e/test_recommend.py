"""/rate, /recommend, /watchnext and /party suggest end to end through the playground."""

from __future__ import annotations

import pytest

from playground import Playground

pytestmark = pytest.mark.e2e

LATER_BALLARD_NAMES = ("Marchetti", "Strand", "Ackerly", "Deb Rawls")


async def _recommend(playground: Playground, user: str, count: int = 10) -> str:
    """The whole private /recommend reply (long ones come in several messages)."""
    events = await playground.command(user, "general", f"/recommend count:{count}")
    assert all(event.visible_to == [user] for event in events)
    return "\n".join(event.content for event in events)


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


async def test_not_interested_removes_the_show_even_after_a_restart(
    playground: Playground,
) -> None:
    assert "**Coldwake**" in await _recommend(playground, "alice")
    await playground.restart_bot()  # the buttons are persistent: they answer after a restart
    (done,) = await playground.click("alice", "Not interested: Coldwake")
    assert done.visible_to == ["alice"]
    assert done.content == "Got it: I won't suggest **Coldwake** to you again."
    assert "**Coldwake**" not in await _recommend(playground, "alice")
    assert "**Coldwake**" in await _recommend(playground, "bob")  # only Alice's list


async def test_add_to_my_list_shows_in_progress_list_as_not_started(
    playground: Playground,
) -> None:
    await playground.command("alice", "general", "/progress set show:Ballard episode:S01E02")
    await _recommend(playground, "alice")
    (added,) = await playground.click("alice", "Add to my list: Permit Pending")
    assert (
        added.visible_to == ["alice"] and "Added **Permit Pending** to your list" in added.content
    )
    (listing,) = await playground.command("alice", "general", "/progress list")
    lines = listing.content.splitlines()
    assert lines[1].startswith("**Ballard** ")
    assert lines[2].startswith("**Permit Pending** ▱▱▱▱▱▱▱▱▱▱ not started · 0/")
    assert "**Permit Pending**" not in await _recommend(playground, "alice")


async def test_reasons_name_the_members_own_ratings(playground: Playground) -> None:
    await playground.command("alice", "general", "/rate show:Ballard score:9")
    await playground.command("alice", "general", '/rate show:"The Lantern Keeper" score:8')
    (reply,) = await playground.command("alice", "general", "/recommend count:3")
    lines = [line for line in reply.content.splitlines() if line.startswith("**")]
    assert lines[1] == "**Coldwake** — you rated Ballard 9"
    assert lines[2].endswith("— you rated The Lantern Keeper 8")
    assert all("critics" not in line for line in lines[1:3])


async def test_a_similar_members_2_of_10_pushes_coldwake_down(playground: Playground) -> None:
    for user in ("alice", "bob"):
        await playground.command(user, "general", "/rate show:Ballard score:9")
        await playground.command(user, "general", '/rate show:"The Lantern Keeper" score:8')
    (before,) = await playground.command("alice", "general", "/recommend count:3")
    assert before.content.splitlines()[1].startswith("**Coldwake**")
    await playground.command("bob", "general", "/rate show:Coldwake score:2")
    after = await _recommend(playground, "alice", count=5)
    lines = [line for line in after.splitlines()[1:] if line.startswith("**")]
    (coldwake,) = [index for index, line in enumerate(lines) if line.startswith("**Coldwake**")]
    assert coldwake > 0
    assert lines[coldwake].endswith(
        "you rated Ballard 9 · but 1 member with your taste disliked it"
    )


async def test_clearing_progress_early_is_a_drop_and_the_show_stays_away(
    playground: Playground,
) -> None:
    await playground.command(
        "alice", "general", '/progress set show:"Low Tide Motel" episode:S01E02'
    )
    (cleared,) = await playground.command(
        "alice", "general", '/progress clear show:"Low Tide Motel"'
    )
    assert "Cleared your progress in **Low Tide Motel**" in cleared.content
    assert "**Low Tide Motel**" not in await _recommend(playground, "alice")


async def test_party_suggest_group_pick_with_started_counts_and_the_shared_episode(
    playground: Playground,
) -> None:
    for user, episode in (("alice", "S01E06"), ("bob", "S01E03"), ("carol", "S01E04")):
        await playground.command(user, "watchclub", f"/progress set show:Ballard episode:{episode}")
    await playground.command("owner", "watchclub", "/progress set show:Ballard episode:S01E05")
    for user, episode in (("alice", "S01E02"), ("bob", "S01E04")):
        await playground.command(
            user, "watchclub", f'/progress set show:"The Lantern Keeper" episode:{episode}'
        )
    await playground.command("carol", "watchclub", "/rate show:Coldwake score:2")
    events = await playground.command("alice", "watchclub", "/party suggest count:10")
    (post,) = [e for e in events if e.visible_to is None]
    text = post.content
    assert text.startswith(
        "**Start together** (ranked by the group's average, leaving out anything one of you "
        "rated low, dropped, or is predicted to dislike)"
    )
    assert "**The Lantern Keeper** — 2 of 4 here have started it · both have reached S01E02" in text
    assert "nobody here has started it" in text
    assert "**Coldwake**" not in text  # Carol rated it 2: no misery
    assert "**Already shared**\n**Ballard** everyone has reached S01E03 · next together S01E04" in (
        text
    )


async def test_a_long_party_plan_comes_in_several_public_messages(playground: Playground) -> None:
    events = await playground.command("alice", "watchclub", "/party suggest count:10")
    public = [e for e in events if e.visible_to is None]
    assert len(public) >= 2 and all(len(e.content) <= 2000 for e in public)
    assert public[0].content.startswith("**Start together**")
    assert sum(e.content.count("nobody here has started it") for e in public) == 8
