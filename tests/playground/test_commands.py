"""The playground keeps commands as Discord does: subcommands carry no permissions of their own."""

from __future__ import annotations

from datetime import UTC, datetime

from playground.commands import can_see, stored_spec
from playground.world import World

SPEC = {
    "name": "channel",
    "description": "x",
    "default_member_permissions": None,
    "options": [
        {
            "type": 2,
            "name": "show",
            "description": "x",
            "options": [
                {
                    "type": 1,
                    "name": "set",
                    "description": "x",
                    "default_member_permissions": "16",
                    "options": [{"type": 3, "name": "show", "description": "x"}],
                }
            ],
        }
    ],
}


def _world() -> World:
    return World(lambda: datetime(2026, 1, 2, tzinfo=UTC), "Test")


def test_a_subcommands_own_permissions_are_dropped_as_discord_ignores_them() -> None:
    stored = stored_spec(SPEC)
    (group,) = stored["options"]
    (sub,) = group["options"]
    assert "default_member_permissions" not in sub
    assert sub["options"] == [{"type": 3, "name": "show", "description": "x"}]
    assert SPEC["options"][0]["options"][0]["default_member_permissions"] == "16"  # not mutated


def test_a_top_level_commands_permissions_hide_it_unless_a_server_admin_allows_it() -> None:
    world = _world()
    alice, channel = world.ensure_user("alice"), world.ensure_channel("general")
    command = {"name": "channel-show", "default_member_permissions": "16", "_guild": None}
    assert not can_see(world, alice, channel, command)
    assert can_see(world, alice, channel, {**command, "default_member_permissions": None})
    world.command_overrides["channel-show"] = {alice.id}
    assert can_see(world, alice, channel, command)
    admin = world.ensure_user("admin")
    assert can_see(world, admin, channel, {**command, "name": "other"})  # has Manage Channels
