"""End-to-end: every interaction kind through the real discord.py client."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import discord
import pytest

from playground import Playground, PlaygroundError


async def test_user_message_is_seen_by_the_bot(pg: Playground) -> None:
    events = await pg.send("alice", "ballard", "hello there")
    assert [(e.type, e.author, e.content) for e in events] == [("message", "alice", "hello there")]
    assert len(pg.bot.get_cog("Sample").seen) == 1


async def test_ephemeral_reply_is_visible_to_the_invoker_only(pg: Playground) -> None:
    events = await pg.command("alice", "ballard", "/secret text:psst")
    assert [(e.type, e.visible_to, e.content) for e in events] == [
        ("ephemeral", ["alice"], "only you: psst")
    ]
    assert [m.content for m in pg.visible_messages("alice", "ballard")] == ["only you: psst"]
    assert pg.visible_messages("bob", "ballard") == []


async def test_deferred_reply_followups_and_edit(pg: Playground) -> None:
    events = await pg.command("alice", "ballard", "/slow")
    assert [(e.type, e.content) for e in events] == [
        ("message", "done thinking"),
        ("message", "and one more thing"),
        ("edit", "done thinking (edited)"),
    ]


async def test_deferred_ephemeral(pg: Playground) -> None:
    events = await pg.command("alice", "ballard", "/slow hidden:true")
    assert {e.type for e in events} == {"ephemeral", "edit"}
    assert all(e.visible_to == ["alice"] for e in events)


async def test_subcommands_groups_and_typed_options(pg: Playground) -> None:
    await pg.command("alice", "ballard", '/notes add text:"first note"')
    events = await pg.command("alice", "ballard", "/notes list")
    assert events[0].embeds == [
        {
            "title": "Notes",
            "description": "1 note(s)",
            "fields": [{"name": "#1", "value": "first note"}],
        }
    ]
    events = await pg.command("bob", "ballard", "/deep inner value amount:3 ratio:0.5 flag:true")
    assert events[0].content == "amount=3 ratio=0.5 flag=True"
    pg.channel("general")
    events = await pg.command("bob", "ballard", "/whois member:@carol channel:#general")
    assert events[0].content == "carol in #general"


async def test_bad_commands_are_refused_before_reaching_the_bot(pg: Playground) -> None:
    with pytest.raises(PlaygroundError, match="no command"):
        await pg.command("alice", "ballard", "/nope")
    with pytest.raises(PlaygroundError, match="missing required"):
        await pg.command("alice", "ballard", "/echo")
    with pytest.raises(PlaygroundError, match="no option"):
        await pg.command("alice", "ballard", "/echo text:a colour:red")
    with pytest.raises(PlaygroundError, match="not a valid value"):
        await pg.command("alice", "ballard", "/echo text:a times:many")


async def test_autocomplete(pg: Playground) -> None:
    choices = await pg.autocomplete("alice", "ballard", "/pick", "show", "balard")
    assert choices == [{"name": "Ballard", "value": "Ballard"}]
    events = await pg.command("alice", "ballard", "/pick show:Ballard")
    assert events[0].content == "picked Ballard"


async def test_autocomplete_limit_is_enforced(pg: Playground) -> None:
    choices = await pg.autocomplete("alice", "ballard", "/many", "item", "")
    assert choices == []
    assert pg.server is not None
    assert ("POST", 400) in [(m, s) for m, p, s in pg.server.requests if "callback" in p]
    assert "maxItems" in str(pg.contract_violations) or "25" in str(pg.contract_violations)
    pg.server.violations.clear()


async def test_buttons_on_a_persistent_view(pg: Playground) -> None:
    await pg.command("alice", "ballard", "/reveal")
    events = await pg.click("bob", "Reveal")
    assert [(e.type, e.visible_to, e.spoilers) for e in events] == [
        ("ephemeral", ["bob"], ["the butler"])
    ]
    events = await pg.click("carol", "Count")
    assert [(e.type, e.content) for e in events] == [("edit", "clicked by carol")]
    await pg.restart_bot()
    events = await pg.click("dave", "Reveal")
    assert events[0].visible_to == ["dave"]
    with pytest.raises(PlaygroundError, match="no button"):
        await pg.click("bob", "Nothing")


async def test_webhook_repost_and_delete(pg: Playground) -> None:
    events = await pg.send("alice", "ballard", "spoiler: Ballard dies")
    assert [(e.type, e.author, e.webhook, e.content) for e in events] == [
        ("message", "alice", False, "spoiler: Ballard dies"),
        ("message", "alice", True, "||Ballard dies||"),
        ("delete", "alice", False, ""),
    ]
    assert events[1].spoilers == ["Ballard dies"]
    await pg.send("bob", "ballard", "spoiler: again")
    assert len(pg.world.webhooks) == 1


async def test_threads_and_members(pg: Playground) -> None:
    events = await pg.command("alice", "ballard", '/discuss title:"S01E05 talk" member:@bob')
    kinds = [(e.type, e.thread, e.author) for e in events]
    assert kinds[:3] == [
        ("thread", "S01E05 talk", "Cliffhanger"),
        ("thread_member", "S01E05 talk", "bob"),
        ("message", "S01E05 talk", "Cliffhanger"),
    ]
    assert events[-1].type == "ephemeral"
    thread = pg.thread("S01E05 talk")
    assert pg.bot.get_channel(thread.id) is not None
    events = await pg.send("bob", "S01E05 talk", "in the thread")
    assert events[0].thread == "S01E05 talk" and events[0].channel == "ballard"


async def test_private_thread_visibility(pg: Playground) -> None:
    await pg.command("alice", "ballard", "/discuss title:secret member:@bob private:true")
    assert [m.content for m in pg.visible_messages("bob", "secret")] == ["Welcome bob"]
    assert pg.visible_messages("carol", "secret") == []
    assert pg.visible_messages("modsy", "secret") != []  # Manage Threads sees private threads
    with pytest.raises(PlaygroundError):
        await pg.send("carol", "secret", "let me in")


async def test_permission_checked_command(pg: Playground) -> None:
    await pg.send("alice", "ballard", "one")
    await pg.send("alice", "ballard", "two")
    events = await pg.command("alice", "ballard", "/purge")
    assert events[0].type == "ephemeral" and "Manage Messages" in events[0].content
    events = await pg.command("mod", "ballard", "/purge count:2")
    assert [e.type for e in events] == ["delete", "delete", "ephemeral"]
    assert events[-1].content == "deleted 2"


async def test_default_member_permissions_hide_commands(pg: Playground) -> None:
    with pytest.raises(PlaygroundError, match="cannot see /setup"):
        await pg.command("alice", "ballard", "/setup")
    events = await pg.command("admin", "ballard", "/setup")
    assert events[0].content == "configured"


async def test_context_menu_and_modal(pg: Playground) -> None:
    [event] = await pg.send("alice", "ballard", "the twist is near")
    message = pg.world.messages[event.message_id or 0]
    [form] = await pg.context_menu("mod", "Mark as spoiler", message)
    assert form.type == "modal" and form.visible_to == ["mod"]
    assert form.content.splitlines()[1:] == ["Reason (required):"]
    events = await pg.submit_modal("mod", {"Reason": "names the killer"})
    assert events[0].content == f"Marked message {message.id} as a spoiler: names the killer"
    assert events[0].visible_to == ["mod"]


async def test_limits_are_enforced(pg: Playground) -> None:
    events = await pg.command("alice", "ballard", "/toolong")
    assert events[0].type == "ephemeral"
    assert "Something went wrong" in events[0].content
    assert pg.server is not None
    assert "content" in str(pg.contract_violations)
    pg.server.violations.clear()


async def test_attachment_option_and_file_followup(pg: Playground, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("abc")
    events = await pg.command("alice", "ballard", f"/upload file:{path}")
    assert events[0].content == "notes.txt: 3 bytes"
    message = pg.world.messages[events[0].message_id or 0]
    assert message.attachments[0].data == b"cba"


async def test_clock_advance_fires_due_work_in_order(pg: Playground) -> None:
    await pg.command("alice", "ballard", "/remind minutes:30 text:second")
    await pg.command("alice", "ballard", "/remind minutes:10 text:first")
    assert await pg.advance(timedelta(minutes=5)) == []
    events = await pg.advance(timedelta(hours=1))
    assert [e.content for e in events] == ["reminder: first", "reminder: second"]


async def test_message_content_intent_is_respected(pg: Playground) -> None:
    assert pg.server is not None
    assert pg.server.gateway.intents & (1 << 15)
    pg.world.bot_reads_content = False
    await pg.send("alice", "ballard", "spoiler: hidden from the bot")
    assert len(pg.world.webhooks) == 0


async def test_thread_member_removal_and_user_edits(pg: Playground) -> None:
    await pg.command("alice", "ballard", "/discuss title:talk member:@bob")
    thread = pg.bot.get_channel(pg.thread("talk").id)
    bob = pg.user("bob")
    await thread.remove_user(discord.Object(bob.id))
    await pg.settle()
    assert pg.events[-1].type == "thread_member" and pg.events[-1].content == "removed"
    [sent] = await pg.send("alice", "ballard", "tpyo")
    [edited] = await pg.edit("alice", sent, "typo")
    assert (edited.type, edited.content) == ("edit", "typo")
    with pytest.raises(PlaygroundError):
        await pg.edit("bob", sent, "not mine")
    [deleted] = await pg.delete("alice", sent)
    assert deleted.type == "delete"


async def test_channel_overwrites_and_role_changes(pg: Playground) -> None:
    pg.overwrite("staff", "@everyone", deny=["view_channel"])
    pg.overwrite("staff", "Moderator", allow=["view_channel"])
    with pytest.raises(PlaygroundError, match="cannot send"):
        await pg.send("alice", "staff", "let me in")
    assert (await pg.send("mod", "staff", "hi team"))[0].content == "hi team"
    pg.set_member_permissions("alice", ["manage_messages"])
    await pg.settle()
    member = pg.bot.get_guild(pg.world.guild_id).get_member(pg.user("alice").id)
    assert member.guild_permissions.manage_messages
    events = await pg.command("alice", "ballard", "/purge count:2")
    assert events[-1].content.startswith("deleted")
