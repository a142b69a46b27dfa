"""The spoiler guard end to end: repost, Reveal, failure paths, modes, moderation."""

from __future__ import annotations

from pathlib import Path

import pytest

from playground import Playground

pytestmark = pytest.mark.e2e

SPOILER = "cant believe the captain walks free lol"


async def _tie_ballard(playground: Playground, line: str = "S01E05") -> None:
    await playground.command(
        "admin", "ballard", f"/channel-show set show:Ballard open_up_to:{line}"
    )


async def test_spoiler_is_reposted_labelled_then_original_deleted(playground: Playground) -> None:
    await _tie_ballard(playground)
    events = await playground.send("alice", "ballard", SPOILER)
    kinds = [(e.type, e.webhook) for e in events]
    assert kinds == [("message", False), ("message", True), ("delete", False)]
    repost = events[1]
    assert repost.author == "alice"
    assert repost.content == f"⚠ **Spoiler · Ballard S01E10**\n||{SPOILER}||"
    assert repost.components == ["Reveal", "Delete", "Not a spoiler"]
    assert events[2].author == "alice"
    assert not any(m.content == SPOILER for m in playground.visible_messages("bob", "ballard"))


async def test_talk_within_the_line_and_chatter_are_left_alone(playground: Playground) -> None:
    await _tie_ballard(playground)
    for text in [
        "theo was cleared by the ferry footage",
        "who's watching tonight?",
        "pizza after ep 3?",
    ]:
        events = await playground.send("alice", "ballard", text)
        assert [e.type for e in events] == ["message"], text


async def test_reveal_answers_by_the_clickers_progress(playground: Playground) -> None:
    await _tie_ballard(playground)
    await playground.send("alice", "ballard", SPOILER)
    await playground.command("bob", "ballard", "/progress set show:Ballard episode:finale")
    (answer,) = await playground.click("bob", "Reveal")
    assert answer.visible_to == ["bob"] and SPOILER in answer.content
    (warning,) = await playground.click("carol", "Reveal")
    assert warning.visible_to == ["carol"] and SPOILER not in warning.content
    assert warning.components == ["Show anyway"]
    (shown,) = await playground.click("carol", "Show anyway")
    assert SPOILER in shown.content


async def test_failed_repost_keeps_the_original_and_warns(playground: Playground) -> None:
    await _tie_ballard(playground)
    playground.set_bot_permissions(
        ["view_channel", "send_messages", "read_message_history", "manage_messages", "embed_links"]
    )
    events = await playground.send("alice", "ballard", SPOILER)
    assert [e.type for e in events] == ["message", "message"]
    warning = events[1]
    assert warning.author == "Cliffhanger"
    assert (
        "may spoil **Ballard S01E10**" in warning.content and "Manage Webhooks" in warning.content
    )
    assert any(m.content == SPOILER for m in playground.visible_messages("bob", "ballard"))


async def test_discord_outage_during_repost_keeps_the_original(playground: Playground) -> None:
    await _tie_ballard(playground)
    playground.faults.fail("POST", "/webhooks/{id}/{token}", status=403, times=1)
    events = await playground.send("alice", "ballard", SPOILER)
    assert "delete" not in [e.type for e in events]
    assert any(m.content == SPOILER for m in playground.visible_messages("bob", "ballard"))


async def test_mass_mentions_and_pipes_cannot_escape_the_tag(playground: Playground) -> None:
    await _tie_ballard(playground)
    text = "rawls doesnt make it || @everyone **lol** ||| `x`"
    events = await playground.send("bob", "ballard", text)
    repost = next(e for e in events if e.webhook)
    body = repost.content.split("\n", 1)[1]
    assert body.replace("\\|", "").count("||") == 2
    assert body.startswith("||") and body.endswith("||")
    assert "@everyone" not in repost.content


async def test_edits_are_checked_again(playground: Playground) -> None:
    await _tie_ballard(playground)
    (original,) = await playground.send("alice", "ballard", "what a week")
    events = await playground.edit("alice", original, SPOILER)
    assert any(e.webhook and "Ballard S01E10" in e.content for e in events)


async def test_channel_without_a_show_checks_named_shows(playground: Playground) -> None:
    events = await playground.send("alice", "general", "omg in ballard the dad did it")
    assert any(e.webhook and "Spoiler · Ballard S01E08" in e.content for e in events)
    assert [e.type for e in await playground.send("alice", "general", "good morning")] == [
        "message"
    ]


async def test_warn_mode_only_warns_and_log_mode_records(playground: Playground) -> None:
    await _tie_ballard(playground)
    await playground.command("admin", "ballard", "/spoilers log channel:#modlog")
    await playground.command("admin", "ballard", "/spoilers mode mode:warn")
    events = await playground.send("alice", "ballard", SPOILER)
    types = [(e.type, e.channel) for e in events]
    assert ("delete", "ballard") not in types
    assert any(e.channel == "ballard" and "Heads-up" in e.content for e in events)
    log_entry = next(e for e in events if e.channel == "modlog")
    assert log_entry.embeds[0]["title"] == "Spoiler · Ballard S01E10"


async def test_author_can_delete_their_repost_but_others_cannot(playground: Playground) -> None:
    await _tie_ballard(playground)
    await playground.send("alice", "ballard", SPOILER)
    (refusal,) = await playground.click("bob", "Delete")
    assert "Only the author" in refusal.content
    events = await playground.click("alice", "Delete")
    assert any(e.type == "delete" for e in events)


async def test_own_spoiler_command_posts_a_labelled_tag(playground: Playground) -> None:
    events = await playground.command(
        "alice", "general", '/spoiler show:Coldwake episode:S01E03 text:"the captain dies!!"'
    )
    repost, confirmation = events
    assert repost.webhook and repost.author == "alice"
    assert repost.content == "⚠ **Spoiler · Coldwake S01E03**\n||the captain dies!!||"
    assert confirmation.visible_to == ["alice"]
    assert confirmation.content == "Posted, labelled Coldwake S01E03."


async def test_watchers_mode_follows_the_slowest_member(playground: Playground) -> None:
    await playground.command(
        "admin", "ballard", "/channel-show set show:Ballard open_up_to:S01E10 follow_watchers:true"
    )
    (carol,) = await playground.command("carol", "ballard", "/channel watchers join")
    assert carol.content.endswith(
        "You haven't recorded progress in Ballard: record it with `/progress set` so the line "
        "can follow you."
    )
    await playground.command("carol", "ballard", "/progress set show:Ballard episode:S01E05")
    await playground.command("bob", "ballard", "/progress set show:Ballard episode:S01E03")
    (bob,) = await playground.command("bob", "ballard", "/channel watchers join")
    assert bob.content == (
        "You joined the watchers. **Ballard** · talk is open up to S01E03 "
        "(following the slowest watcher)."
    )
    events = await playground.send("alice", "ballard", "rawls doesnt make it")
    assert any(e.webhook and "Ballard S01E07" in e.content for e in events)


async def test_moderator_mark_as_spoiler_hides_and_teaches(playground: Playground) -> None:
    await _tie_ballard(playground, "S01E10")
    (message,) = await playground.send("alice", "ballard", "the lighthouse scene in the finale omg")
    await playground.context_menu("mod", "Mark as spoiler", message)
    events = await playground.submit_modal("mod", {"episode": "S01E10"})
    assert any(e.webhook and "Ballard S01E10" in e.content for e in events)
    listed = await playground.command("mod", "ballard", "/phrases list")
    assert "lighthouse scene" in listed[0].content


async def test_marking_an_already_hidden_post_changes_nothing(playground: Playground) -> None:
    await _tie_ballard(playground)
    events = await playground.send("alice", "ballard", SPOILER)
    (repost,) = [e for e in events if e.webhook]
    for who in ("mod", "bob"):  # a moderator would otherwise wrap it twice and teach the label
        (reply,) = await playground.context_menu(who, "Mark as spoiler", repost)
        assert reply.visible_to == [who]
        assert reply.content == "That message is already behind spoiler tags."
    (notice,) = await playground.command("admin", "ballard", "/phrases list")
    assert notice.content == "No phrases have been taught here yet."
    (own,) = await playground.command("admin", "ballard", "/channel show info")
    (reply,) = await playground.context_menu("mod", "Mark as spoiler", own)
    assert reply.content == "That message is already behind spoiler tags."


async def test_attachments_are_reuploaded_as_spoilers(
    playground: Playground, tmp_path: Path
) -> None:
    await _tie_ballard(playground)
    picture = tmp_path / "finale.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n fake image")
    await playground.send("alice", "ballard", SPOILER, files=[picture])
    (repost,) = [m for m in playground.visible_messages("bob", "ballard") if m.webhook_id]
    assert [a.filename for a in repost.attachments] == ["SPOILER_finale.png"]
    assert repost.attachments[0].data == picture.read_bytes()


async def test_default_line_and_missing_threads_read_plainly(playground: Playground) -> None:
    (tied,) = await playground.command("admin", "ballard", "/channel-show set show:Ballard")
    assert tied.content == "This channel is now about **Ballard** · talk is kept to the premise."
    (missing,) = await playground.command("alice", "ballard", "/discuss show:Ballard episode:3")
    assert missing.content == (
        "There is no Ballard S01E03 discussion thread in this server yet. "
        "Watch parties (`/schedule add`) open one for each episode they post."
    )
