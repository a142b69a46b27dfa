"""Issue 17, moderation: sealed reposts, undoing a false flag, and members' reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from playground import Playground, PlaygroundError

pytestmark = pytest.mark.e2e

SPOILER = "cant believe the captain walks free lol"
SEALED = "⚠ **Spoiler · Ballard S01E10** · sealed: press Reveal to read it"
MARKED = "the lighthouse scene in the finale omg"


async def _tie_ballard(playground: Playground, line: str = "S01E05") -> None:
    await playground.command(
        "admin", "ballard", f"/channel-show set show:Ballard open_up_to:{line}"
    )


async def test_sealed_style_reposts_no_text_and_reveal_checks_progress(
    playground: Playground,
) -> None:
    await _tie_ballard(playground)
    (set_style,) = await playground.command("admin", "ballard", "/spoilers style style:sealed")
    assert set_style.visible_to == ["admin"] and "**sealed**" in set_style.content
    events = await playground.send("alice", "ballard", SPOILER)
    (repost,) = [e for e in events if e.webhook]
    assert repost.author == "alice" and repost.content == SEALED
    assert repost.spoilers == [] and "captain" not in repost.content
    assert repost.components == ["Reveal", "Delete", "Not a spoiler"]
    (warning,) = await playground.click("carol", "Reveal")
    assert SPOILER not in warning.content and warning.components == ["Show anyway"]
    await playground.command("bob", "ballard", "/progress set show:Ballard episode:finale")
    (answer,) = await playground.click("bob", "Reveal")
    assert SPOILER in answer.content


async def test_sealed_style_covers_own_spoilers_and_needs_manage_server(
    playground: Playground,
) -> None:
    with pytest.raises(PlaygroundError, match="cannot see /spoilers"):
        await playground.command("mod", "ballard", "/spoilers style style:sealed")
    playground.allow_command("spoilers", "Moderator")  # an admin's override in Integrations
    (refusal,) = await playground.command("mod", "ballard", "/spoilers style style:sealed")
    assert refusal.content == "You need the **Manage Server** permission to do that."
    await playground.command("admin", "general", "/spoilers style style:sealed")
    events = await playground.command(
        "alice", "general", '/spoiler show:Coldwake episode:S01E03 text:"the captain dies!!"'
    )
    (repost,) = [e for e in events if e.webhook]
    assert repost.content.startswith("⚠ **Spoiler · Coldwake S01E03** · sealed")
    assert "captain" not in repost.content
    await playground.command("admin", "general", "/spoilers style style:tags")
    events = await playground.send("alice", "general", "omg in ballard the dad did it")
    assert any(e.webhook and "||omg in ballard the dad did it||" in e.content for e in events)


async def test_not_a_spoiler_restores_in_the_open_teaches_and_logs(playground: Playground) -> None:
    await _tie_ballard(playground)
    await playground.command("admin", "ballard", "/spoilers log channel:#modlog")
    await playground.send("alice", "ballard", SPOILER)
    (refusal,) = await playground.click("alice", "Not a spoiler")
    assert refusal.visible_to == ["alice"] and "moderators" in refusal.content
    (repost,) = [m for m in playground.visible_messages("bob", "ballard") if m.webhook_id]
    events = await playground.click("mod", "Not a spoiler")
    kinds = [(e.type, e.channel, e.webhook) for e in events]
    restored = next(e for e in events if e.type == "message" and e.channel == "ballard")
    assert restored.webhook and restored.author == "alice" and restored.content == SPOILER
    deleted = next(i for i, e in enumerate(events) if e.type == "delete")
    assert kinds.index(("message", "ballard", True)) < deleted  # open copy first
    assert not any(m.id == repost.id for m in playground.visible_messages("bob", "ballard"))
    (confirmation,) = [e for e in events if e.visible_to == ["mod"]]
    assert confirmation.content.startswith("Restored in the open.")
    (logged,) = [e for e in events if e.channel == "modlog"]
    mod, alice = playground.user("mod").id, playground.user("alice").id
    assert f"<@{mod}>" in logged.content and f"<@{alice}>" in logged.content
    assert "not a spoiler" in logged.content
    # the exact message is now safe for Ballard here; anything more is still checked
    assert [e.type for e in await playground.send("carol", "ballard", SPOILER)] == ["message"]
    events = await playground.send("carol", "ballard", f"{SPOILER}, the finale")
    assert any(e.webhook and "Ballard S01E10" in e.content for e in events)
    (listed,) = await playground.command("mod", "ballard", "/phrases list")
    assert "not a spoiler" in listed.content


async def test_not_a_spoiler_neutralises_mentions(playground: Playground) -> None:
    await _tie_ballard(playground)
    alice = playground.user("alice").id
    await playground.send("bob", "ballard", f"rawls doesnt make it @everyone <@{alice}>")
    events = await playground.click("mod", "Not a spoiler")
    restored = next(e for e in events if e.type == "message" and e.webhook)
    assert "@everyone" not in restored.content and f"<@{alice}>" not in restored.content
    assert restored.content.startswith("rawls doesnt make it @\u200beveryone")
    assert playground.message(restored).mentions == []


async def test_members_marks_hide_at_the_threshold_once_each(playground: Playground) -> None:
    await _tie_ballard(playground, "S01E10")
    (message,) = await playground.send("alice", "ballard", MARKED)
    (own,) = await playground.context_menu("alice", "Mark as spoiler", message)
    assert own.visible_to == ["alice"] and "your own message" in own.content
    for who in ("bob", "bob", "carol"):
        (form,) = await playground.context_menu(who, "Mark as spoiler", message)
        assert form.type == "modal" and MARKED not in str(form.content)
        (reply,) = await playground.submit_modal(who, {"episode": "S01E10"})
        assert MARKED not in reply.content
    assert reply.content.startswith("Thanks, your mark was counted. This server has no")
    assert any(m.id == message.message_id for m in playground.visible_messages("bob", "ballard"))
    await playground.context_menu("dave", "Mark as spoiler", message)
    events = await playground.submit_modal("dave", {"episode": ""})
    repost = next(e for e in events if e.webhook)
    assert repost.author == "alice" and "Ballard S01E10" in repost.content
    visible = playground.visible_messages("bob", "ballard")
    assert not any(m.id == message.message_id for m in visible)
    assert events[-1].content.endswith("so it's hidden now.")
    (notice,) = await playground.command("admin", "ballard", "/phrases list")
    assert notice.content == "No phrases have been taught here yet."


async def test_a_double_mark_says_so(playground: Playground) -> None:
    await _tie_ballard(playground, "S01E10")
    (message,) = await playground.send("alice", "ballard", MARKED)
    for expected in ("Thanks, your mark was counted.", "You already marked this message."):
        await playground.context_menu("bob", "Mark as spoiler", message)
        (reply,) = await playground.submit_modal("bob", {})
        assert reply.content.startswith(expected)


async def test_reports_off_and_a_lower_count(playground: Playground) -> None:
    await _tie_ballard(playground, "S01E10")
    (off,) = await playground.command("admin", "ballard", "/spoilers reports count:0")
    assert "no longer hide" in off.content
    (message,) = await playground.send("alice", "ballard", MARKED)
    for who in ("bob", "carol", "dave", "erin"):
        await playground.context_menu(who, "Mark as spoiler", message)
        await playground.submit_modal(who, {})
    assert any(m.id == message.message_id for m in playground.visible_messages("bob", "ballard"))
    await playground.command("admin", "ballard", "/spoilers reports count:1")
    (second,) = await playground.send("alice", "ballard", MARKED + "!!")
    await playground.context_menu("bob", "Mark as spoiler", second)
    events = await playground.submit_modal("bob", {})
    repost = next(e for e in events if e.webhook)
    assert "Ballard S01E10" in repost.content  # no episode named: labelled as the finale


async def test_attachment_only_messages_can_be_marked_and_hidden(
    playground: Playground, tmp_path: Path
) -> None:
    await _tie_ballard(playground)
    picture = tmp_path / "finale.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n fake image")
    (message,) = await playground.send("alice", "ballard", "", files=[picture])
    await playground.context_menu("mod", "Mark as spoiler", message)
    events = await playground.submit_modal("mod", {"episode": "S01E10"})
    assert any(e.type == "delete" for e in events)
    assert events[-1].content == "Hidden under spoiler tags. No text, so nothing to teach."
    (repost,) = [m for m in playground.visible_messages("bob", "ballard") if m.webhook_id]
    assert [a.filename for a in repost.attachments] == ["SPOILER_finale.png"]
    await playground.command("admin", "ballard", "/spoilers reports count:2")
    (second,) = await playground.send("bob", "ballard", "", files=[picture])
    for who in ("alice", "carol"):
        await playground.context_menu(who, "Mark as spoiler", second)
        events = await playground.submit_modal(who, {"episode": "S01E10"})
    assert any(e.type == "delete" for e in events)
