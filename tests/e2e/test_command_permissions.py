"""End-to-end: moderator commands are hidden by Discord itself, from the payload it received.

Discord reads `default_member_permissions` on top-level commands and groups only, so these
tests look at what the bot's sync sent to the playground, not at discord.py's objects.
"""

from __future__ import annotations

from typing import Any

import pytest

from playground import Playground, PlaygroundError
from playground.permissions import P

pytestmark = pytest.mark.e2e

MODERATOR_COMMANDS = {
    "channel-show": P.MANAGE_CHANNELS,
    "spoilers": P.MANAGE_GUILD,
    "phrases": P.MANAGE_MESSAGES,
    "post-recap": P.MANAGE_MESSAGES,
    "corpus": P.MANAGE_GUILD,
    "schedule": P.MANAGE_GUILD,
}
MEMBER_COMMANDS = {"channel", "progress", "recap", "spoiler", "help", "discuss", "privacy"}


def _synced(pg: Playground) -> dict[str, dict[str, Any]]:
    (scope, payload), *_ = pg.world.command_syncs
    assert scope is None  # no DEV_GUILD_ID: global commands
    return {command["name"]: command for command in payload}


def _subcommands(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [o for o in options if o.get("type") in (1, 2)]
    return found + [c for o in found for c in _subcommands(o.get("options") or [])]


async def test_the_synced_payload_puts_every_moderator_permission_on_a_top_level_command(
    playground: Playground,
) -> None:
    synced = _synced(playground)
    for name, permission in MODERATOR_COMMANDS.items():
        needed = synced[name].get("default_member_permissions")
        assert needed is not None and int(needed) & permission, name
    for name in MEMBER_COMMANDS:
        assert synced[name].get("default_member_permissions") is None, name
    for command in synced.values():
        for sub in _subcommands(command.get("options") or []):
            assert "default_member_permissions" not in sub, (command["name"], sub["name"])


async def test_members_are_not_offered_moderator_commands(playground: Playground) -> None:
    assert set(playground.commands_for("alice", "ballard")).isdisjoint(MODERATOR_COMMANDS)
    assert set(playground.commands_for("alice", "ballard")) >= MEMBER_COMMANDS
    for text in ("/channel-show set show:Ballard", "/post-recap show:Ballard episode:S01E01"):
        with pytest.raises(PlaygroundError, match="cannot see"):
            await playground.command("alice", "ballard", text)
    with pytest.raises(PlaygroundError, match="cannot see"):
        await playground.autocomplete("alice", "ballard", "/channel-show set", "show", "bal")
    offered = set(playground.commands_for("mod", "ballard"))
    assert {"phrases", "post-recap"} <= offered and "spoilers" not in offered
    assert set(MODERATOR_COMMANDS) <= set(playground.commands_for("admin", "ballard"))


async def test_a_member_still_uses_the_channel_commands_left_to_everyone(
    playground: Playground,
) -> None:
    await playground.command("admin", "ballard", "/channel-show set show:Ballard")
    (info,) = await playground.command("alice", "ballard", "/channel show info")
    assert info.content.startswith("This channel is about **Ballard**")
    (joined,) = await playground.command("alice", "ballard", "/channel watchers join")
    assert joined.content.startswith("You joined the watchers.")


async def test_help_hides_what_discord_hides(playground: Playground) -> None:
    (member,) = await playground.command("alice", "general", "/help")
    listed = " ".join(field["value"] for field in member.embeds[0]["fields"])
    for name in MODERATOR_COMMANDS:
        assert f"`/{name} " not in listed and f"`/{name}`" not in listed, name
    (admin,) = await playground.command("admin", "general", "/help")
    listed = " ".join(field["value"] for field in admin.embeds[0]["fields"])
    for name in MODERATOR_COMMANDS:
        assert f"`/{name}" in listed, name
