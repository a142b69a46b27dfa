"""/recap view, /post-recap, /catchup and Reveal end to end through the playground."""

from __future__ import annotations

import pytest

from playground import Playground, PlaygroundError

pytestmark = pytest.mark.e2e


async def test_recap_defaults_to_last_watched_and_is_private(playground: Playground) -> None:
    await playground.command("alice", "ballard", "/progress set show:Ballard episode:S01E04")
    events = await playground.command("alice", "ballard", "/recap view show:Ballard")
    assert all(e.type == "ephemeral" and e.visible_to == ["alice"] for e in events)
    assert events[0].content.startswith("📺 **Ballard S01E04**")
    assert "Theo" in events[0].content


async def test_recap_past_progress_warns_by_code_then_shows_anyway(playground: Playground) -> None:
    await playground.command("alice", "ballard", "/progress set show:Ballard episode:S01E04")
    (warning,) = await playground.command(
        "alice", "ballard", "/recap view show:Ballard episode:S01E09"
    )
    assert (
        warning.content
        == "⚠ **Ballard S01E09** is past your progress (you are at S01E04). Show the recap anyway?"
    )
    assert warning.components == ["Show anyway"]
    assert "Pearlman" not in warning.content
    events = await playground.click("alice", "Show anyway")
    assert events[0].visible_to == ["alice"]
    assert events[0].content.startswith("📺 **Ballard S01E09**")


async def test_catchup_stops_at_progress(playground: Playground) -> None:
    await playground.command("bob", "ballard", "/progress set show:Ballard episode:S01E03")
    events = await playground.command("bob", "ballard", "/catchup show:Ballard")
    text = "\n".join(e.content for e in events)
    assert all(e.visible_to == ["bob"] for e in events)
    assert "**S01E03**" in text and "**S01E04**" not in text
    assert "second phone" not in text  # found in S01E04


async def test_posted_recap_is_tagged_labelled_and_revealed_by_progress(
    playground: Playground,
) -> None:
    posted = await playground.command("admin", "ballard", "/post-recap show:Ballard episode:S01E07")
    public = [e for e in posted if e.type == "message" and e.visible_to is None]
    assert public, posted
    first = public[0]
    assert first.content.startswith("📺 **Recap · Ballard S01E07 · spoilers for S01E07** · Rating")
    assert first.components == ["Reveal"]
    visible = first.content.split("\n", 1)[1]
    assert visible.startswith("||") and visible.endswith("||")
    assert "Rawls" in first.spoilers[0]
    await playground.command("bob", "ballard", "/progress set show:Ballard episode:S01E08")
    (answer,) = await playground.click("bob", "Reveal")
    assert answer.visible_to == ["bob"] and answer.content.startswith("**Ballard S01E07**")
    (warning,) = await playground.click("carol", "Reveal")
    assert warning.visible_to == ["carol"]
    assert "spoils **Ballard S01E07**" in warning.content and "Rawls" not in warning.content
    anyway = await playground.click("carol", "Show anyway")
    assert anyway[0].content.startswith("**Ballard S01E07**")


async def test_recap_post_needs_manage_messages(playground: Playground) -> None:
    post = "/post-recap show:Ballard episode:S01E02"
    with pytest.raises(PlaygroundError, match="cannot see /post-recap"):
        await playground.command("carol", "ballard", post)  # Discord hides it from members
    playground.allow_command("post-recap", "carol")  # an admin's override, and still checked
    events = await playground.command("carol", "ballard", post)
    assert [e.type for e in events] == ["ephemeral"]
    assert "Manage Messages" in events[0].content


async def test_reveal_still_works_after_a_restart(playground: Playground) -> None:
    await playground.command("admin", "ballard", "/post-recap show:Ballard episode:S01E01")
    await playground.restart_bot()
    await playground.command("alice", "ballard", "/progress set show:Ballard episode:S01E02")
    (answer,) = await playground.click("alice", "Reveal")
    assert answer.content.startswith("**Ballard S01E01**")
