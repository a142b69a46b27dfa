"""Issue 17 end to end: nothing shown to members reveals a private member's progress, one
watcher cannot open a follow-watchers channel, and members can export or forget their data."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from playground import Playground, PlaygroundError

pytestmark = pytest.mark.e2e
PRIVATE = "/privacy progress visible_to:private"


async def _public_reply(pg: Playground, who: str, channel: str, command: str) -> str:
    events = await pg.command(who, channel, command)
    public = [event for event in events if event.visible_to is None and not event.webhook]
    assert public, events
    return public[-1].content


async def _alice_records_things(pg: Playground) -> None:
    await pg.command("admin", "ballard", "/channel-show set show:Ballard follow_watchers:true")
    await pg.command("alice", "ballard", "/progress set show:Ballard episode:S01E05")
    await pg.command("alice", "ballard", "/rate show:Coldwake score:8")
    await pg.command("alice", "ballard", "/channel watchers join")


async def test_party_suggest_leaves_out_a_private_members_position(playground: Playground) -> None:
    everyone = (
        ("alice", "S01E06"),
        ("bob", "S01E02"),
        ("carol", "S01E04"),
        ("admin", "S01E05"),
        ("owner", "S01E07"),  # the playground's server owner is a channel member too
    )
    for user, episode in everyone:
        await playground.command(user, "watchclub", f"/progress set show:Ballard episode:{episode}")
    await playground.command("bob", "watchclub", PRIVATE)
    text = await _public_reply(playground, "bob", "watchclub", "/party suggest")
    assert "S01E02" not in text and "S01E03" not in text  # bob's place, or the one after it
    assert "**Ballard** everyone has reached S01E04 · next together S01E05" in text
    assert text.endswith("_1 member here keeps progress private and isn't counted._")


async def test_watchnext_never_counts_a_private_member(playground: Playground) -> None:
    await playground.command("alice", "general", "/progress set show:Ballard episode:S01E08")
    await playground.command("alice", "general", PRIVATE)
    await playground.command("bob", "general", "/progress set show:Ballard episode:S01E03")
    (reply,) = await playground.command("bob", "general", "/watchnext")
    assert "**Ballard** next S01E04 · nobody here has got this far yet" in reply.content


async def test_a_lone_watcher_cannot_open_the_channel_to_their_place(
    playground: Playground,
) -> None:
    await playground.command(
        "admin", "ballard", "/channel-show set show:Ballard open_up_to:S01E03 follow_watchers:true"
    )
    await playground.command("bob", "ballard", "/progress set show:Ballard episode:finale")
    (joined,) = await playground.command("bob", "ballard", "/channel watchers join")
    assert "talk is open up to S01E03" in joined.content
    events = await playground.send("alice", "ballard", "rawls doesnt make it")
    assert any(e.webhook and "Ballard S01E07" in e.content for e in events)  # still hidden
    await playground.command("carol", "ballard", "/progress set show:Ballard episode:S01E08")
    (joined,) = await playground.command("carol", "ballard", "/channel watchers join")
    assert "talk is open up to S01E08 (following the slowest watcher)" in joined.content
    await playground.command("bob", "ballard", "/progress set show:Ballard episode:S01E02")
    (info,) = await playground.command("alice", "ballard", "/channel show info")
    assert "talk is open up to S01E02" in info.content  # anyone may lower it


async def test_export_sends_a_private_json_file_of_everything(playground: Playground) -> None:
    await _alice_records_things(playground)
    await playground.command("alice", "ballard", PRIVATE)
    (reply,) = await playground.command("alice", "ballard", "/privacy export")
    assert reply.visible_to == ["alice"]
    alice = playground.user("alice").id
    assert reply.attachments == [f"cliffhanger-data-{alice}.json"]
    (attachment,) = playground.message(reply).attachments
    data = json.loads(attachment.data)
    assert data["member_id"] == str(alice)
    assert data["exported_at"] == "2026-01-02T12:00:00+00:00"
    (progress,) = data["progress"]
    assert (progress["show"], progress["season"], progress["episode"]) == ("Ballard", 1, 5)
    assert progress["updated_at"].endswith("+00:00")
    assert [(r["show"], r["score"]) for r in data["ratings"]] == [("Coldwake", 8)]
    assert data["preferences"] == [{"progress_public": False}]
    assert [w["channel_id"] for w in data["watcher_memberships"]] == [
        str(playground.channel("ballard").id)
    ]
    assert data["hidden_posts"] == [] and data["taught_phrases"] == []
    assert list(data) == sorted(data)  # deterministic keys
    (bobs,) = await playground.command("bob", "general", "/privacy export")
    assert json.loads(playground.message(bobs).attachments[0].data)["progress"] == []


async def test_forget_needs_the_members_own_confirmation_and_deletes_everything(
    playground: Playground,
) -> None:
    await _alice_records_things(playground)
    (ask,) = await playground.command("alice", "ballard", "/privacy forget")
    assert ask.visible_to == ["alice"] and ask.components == ["Forget everything"]
    with pytest.raises(PlaygroundError):
        await playground.click("bob", "Forget everything")  # not his to press
    (done,) = await playground.click("alice", "Forget everything")
    assert done.type == "edit" and done.components == []
    assert done.content.startswith("Forgotten. Deleted: 1 progress, 1 ratings, 1 watcher")
    assert "Discord holds them" in done.content
    (listing,) = await playground.command("alice", "ballard", "/progress list")
    assert listing.content.startswith("You haven't recorded any progress yet.")
    (export,) = await playground.command("alice", "ballard", "/privacy export")
    data = json.loads(playground.message(export).attachments[0].data)
    assert all(data[section] == [] for section in ("progress", "ratings", "watcher_memberships"))


async def test_a_forget_confirmation_expires(playground: Playground) -> None:
    await playground.command("alice", "general", "/progress set show:Ballard episode:S01E05")
    await playground.command("alice", "general", "/privacy forget")
    await playground.advance(timedelta(minutes=6))
    (late,) = await playground.click("alice", "Forget everything")
    assert late.content == "That confirmation has expired: run `/privacy forget` again."
    (listing,) = await playground.command("alice", "general", "/progress list")
    assert "S01E05" in listing.content
