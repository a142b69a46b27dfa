"""End-to-end: /help through the playground, for a member and for a moderator."""

from __future__ import annotations

import pytest

from playground import Playground

pytestmark = pytest.mark.e2e


def _fields(event: object) -> dict[str, str]:
    (embed,) = event.embeds  # type: ignore[attr-defined]
    return {field["name"]: field["value"] for field in embed["fields"]}


async def test_members_see_their_commands_and_moderators_see_theirs(
    playground: Playground,
) -> None:
    (member,) = await playground.command("alice", "general", "/help")
    assert member.visible_to == ["alice"]
    fields = _fields(member)
    assert "`/progress set show episode` — " in fields["Progress"]
    assert "Apps › Mark as spoiler" in fields["Message menu"]
    assert "Schedules" not in fields and "Spoiler moderation" not in fields
    assert "`/channel show info`" in fields["Channels"]
    assert "/channel-show set" not in fields["Channels"]  # a top-level group members can't see
    (admin,) = await playground.command("admin", "general", "/help")
    fields = _fields(admin)
    assert "`/schedule add show channel when timezone [start_episode]`" in fields["Schedules"]
    assert "`/spoilers mode mode`" in fields["Spoiler moderation"]
    assert "`/channel-show set show [open_up_to] [follow_watchers]`" in fields["Channels"]


async def test_a_moderator_sees_only_the_moderation_their_permissions_allow(
    playground: Playground,
) -> None:
    (mod,) = await playground.command("mod", "general", "/help")
    moderation = _fields(mod)["Spoiler moderation"]
    assert "`/phrases list [show]`" in moderation
    assert "/spoilers mode" not in moderation  # Manage Server, which the role lacks


async def test_one_command_explained_with_typos_tolerated(playground: Playground) -> None:
    (reply,) = await playground.command("bob", "general", '/help command:"progres set"')
    assert reply.visible_to == ["bob"]
    assert reply.content.splitlines()[0] == "`/progress set show episode` · Progress"
    assert "• `episode`: " in reply.content
    (reply,) = await playground.command("bob", "general", '/help command:"channel show set"')
    assert reply.content.splitlines()[0].startswith("`/channel-show set show")
    assert reply.content.splitlines()[-1] == (
        "You can't use it here: it needs the **Manage Channels** permission."
    )
    (reply,) = await playground.command("bob", "general", "/help command:banana")
    assert reply.content == "I have no command called “banana”. Try `/help`."


async def test_autocomplete_offers_only_usable_commands(playground: Playground) -> None:
    member = await playground.autocomplete("alice", "general", "/help", "command", "sched")
    assert member == []
    admin = await playground.autocomplete("admin", "general", "/help", "command", "sched")
    assert [choice["name"] for choice in admin][:2] == ["schedule add", "schedule list"]
