"""Application commands as Discord keeps them: what is stored, and who may see each one.

Discord reads `default_member_permissions` on top-level commands (and groups) only; on a
subcommand or subcommand group it is ignored, so the playground strips it when a command is
registered. A member sees a top-level command only with every permission it names (the
Administrator permission counts as all of them) or when a server admin allowed their role for
it (Server Settings → Integrations); a hidden command can be neither listed, autocompleted
nor run.
"""

from __future__ import annotations

from typing import Any

from playground.model import Channel, User
from playground.permissions import P as Perm
from playground.world import World

IGNORED_ON_SUBCOMMANDS = ("default_member_permissions", "dm_permission")


def stored_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A registered command without what Discord ignores on its subcommands and groups."""
    options = spec.get("options")
    if not options:
        return dict(spec)
    return {**spec, "options": [_strip_option(option) for option in options]}


def _strip_option(option: dict[str, Any]) -> dict[str, Any]:
    if option.get("type") not in (1, 2):
        return option
    kept = {k: v for k, v in option.items() if k not in IGNORED_ON_SUBCOMMANDS}
    if option.get("options"):
        kept["options"] = [_strip_option(child) for child in option["options"]]
    return kept


def required_permissions(command: dict[str, Any]) -> int | None:
    """The permissions a member needs to see the command (None: everyone)."""
    needed = command.get("default_member_permissions")
    return None if needed is None else int(needed)


def allowed_by_server(world: World, user: User, command: dict[str, Any]) -> bool:
    """A server admin let this member's role (or the member) use the command (Integrations)."""
    allowed = world.command_overrides.get(command["name"], set())
    member = world.members.get(user.id)
    return user.id in allowed or bool(member and allowed & set(member.role_ids))


def can_see(world: World, user: User, channel: Channel, command: dict[str, Any]) -> bool:
    """Whether Discord's client would offer this command to the member here."""
    have = world.permissions(user.id, channel)
    if not have & Perm.USE_APPLICATION_COMMANDS:
        return False
    needed = required_permissions(command)
    if needed is None or have & needed == needed:
        return True
    return allowed_by_server(world, user, command)


def visible_commands(
    world: World, user: User, channel: Channel, kind: int = 1
) -> list[dict[str, Any]]:
    """Commands of this type the member can see here (guild ones first), sorted by name."""
    found = [
        command
        for command in world.commands.values()
        if command.get("type", 1) == kind and can_see(world, user, channel, command)
    ]
    return sorted(found, key=lambda c: (c["name"], c["_guild"] is None))
