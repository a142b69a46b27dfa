"""Discord permission bits and the permission computation Discord performs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntFlag


class P(IntFlag):
    """Discord permission bits (the subset the playground knows by name)."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CHANGE_NICKNAME = 1 << 26
    MANAGE_ROLES = 1 << 28
    MANAGE_WEBHOOKS = 1 << 29
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    CREATE_PRIVATE_THREADS = 1 << 36
    SEND_MESSAGES_IN_THREADS = 1 << 38


ALL = (1 << 53) - 1

EVERYONE_DEFAULT = (
    P.VIEW_CHANNEL
    | P.SEND_MESSAGES
    | P.READ_MESSAGE_HISTORY
    | P.EMBED_LINKS
    | P.ATTACH_FILES
    | P.ADD_REACTIONS
    | P.USE_APPLICATION_COMMANDS
    | P.CREATE_PUBLIC_THREADS
    | P.SEND_MESSAGES_IN_THREADS
    | P.USE_EXTERNAL_EMOJIS
    | P.CHANGE_NICKNAME
    | P.CREATE_INSTANT_INVITE
)
ADMIN_ROLE = P.MANAGE_GUILD | P.MANAGE_CHANNELS | P.MANAGE_MESSAGES | P.MANAGE_THREADS
MODERATOR_ROLE = P.MANAGE_MESSAGES | P.MANAGE_THREADS
BOT_ROLE = (
    P.VIEW_CHANNEL
    | P.SEND_MESSAGES
    | P.SEND_MESSAGES_IN_THREADS
    | P.MANAGE_MESSAGES
    | P.MANAGE_WEBHOOKS
    | P.MANAGE_THREADS
    | P.CREATE_PUBLIC_THREADS
    | P.CREATE_PRIVATE_THREADS
    | P.EMBED_LINKS
    | P.ATTACH_FILES
    | P.READ_MESSAGE_HISTORY
)

# Lost implicitly by a member who cannot send messages where they are.
_NEEDS_SEND = P.MENTION_EVERYONE | P.EMBED_LINKS | P.ATTACH_FILES


@dataclass(frozen=True, slots=True)
class Overwrite:
    """A channel permission overwrite for a role (type 0) or a member (type 1)."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0


def parse_permissions(names: Iterable[str] | int) -> int:
    """Turn permission names (`manage_messages`, `MANAGE_MESSAGES`) or an int into bits."""
    if isinstance(names, int):
        return names
    value = 0
    for name in names:
        value |= P[name.strip().upper().replace(" ", "_")]
    return int(value)


def base_permissions(*, is_owner: bool, everyone: int, role_permissions: Iterable[int]) -> int:
    """Guild-level permissions: owner and Administrator get everything."""
    if is_owner:
        return ALL
    value = everyone
    for perms in role_permissions:
        value |= perms
    if value & P.ADMINISTRATOR:
        return ALL
    return value


def apply_overwrites(
    base: int,
    *,
    guild_id: int,
    member_id: int,
    member_role_ids: Iterable[int],
    overwrites: Iterable[Overwrite],
    in_thread: bool = False,
) -> int:
    """Apply channel overwrites in Discord's order: @everyone, roles, then the member."""
    if base & P.ADMINISTRATOR or base == ALL:
        return ALL
    by_key = {(ow.type, ow.id): ow for ow in overwrites}
    value = base
    everyone = by_key.get((0, guild_id))
    if everyone:
        value = (value & ~everyone.deny) | everyone.allow
    allow = deny = 0
    for role_id in member_role_ids:
        ow = by_key.get((0, role_id))
        if ow and role_id != guild_id:
            allow |= ow.allow
            deny |= ow.deny
    value = (value & ~deny) | allow
    member = by_key.get((1, member_id))
    if member:
        value = (value & ~member.deny) | member.allow
    return _implicit(value, P.SEND_MESSAGES_IN_THREADS if in_thread else P.SEND_MESSAGES)


def _implicit(value: int, send_bit: int) -> int:
    """Discord's implicit denials: no View means nothing; no Send removes text extras."""
    if not value & P.VIEW_CHANNEL:
        return 0
    if not value & send_bit:
        value &= ~_NEEDS_SEND
    return value


def names_of(value: int) -> list[str]:
    """Names of the known permission bits set in `value`, lowercased."""
    return [flag.name.lower() for flag in P if value & flag and flag.name]
