"""The simulated guild: who and what exists, who may do what, and event fan-out."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import UTC, datetime
from typing import Any

from playground import permissions as perms
from playground.events import Event
from playground.model import (
    DM,
    PRIVATE_THREAD,
    TEXT,
    Attachment,
    Channel,
    Interaction,
    Member,
    Message,
    Role,
    User,
    Webhook,
)
from playground.previews import LinkPreviews

DISCORD_EPOCH_MS = 1420070400000
Dispatch = Callable[[str, dict[str, Any]], None]


class Snowflakes:
    """Deterministic snowflakes: the clock's milliseconds and a counter."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self._now = now
        self._last = 0

    def next(self) -> int:
        """A new snowflake, strictly greater than the previous one."""
        ms = int(self._now().timestamp() * 1000) - DISCORD_EPOCH_MS
        self._last = max((ms << 22), self._last + 1)
        return self._last

    def next_on_shard(self, shard_id: int, shard_count: int) -> int:
        """A new snowflake whose timestamp puts it on `shard_id` (a guild id for that shard)."""
        candidate = self.next()
        while (candidate >> 22) % shard_count != shard_id:
            candidate = ((candidate >> 22) + 1) << 22
        self._last = candidate
        return candidate


GUILD_MEMBERS_INTENT, GUILD_PRESENCES_INTENT, MESSAGE_CONTENT_INTENT = 1 << 1, 1 << 8, 1 << 15
PRIVILEGED_INTENTS = GUILD_MEMBERS_INTENT | GUILD_PRESENCES_INTENT | MESSAGE_CONTENT_INTENT
INTENT_NAMES = {
    "members": GUILD_MEMBERS_INTENT,
    "presences": GUILD_PRESENCES_INTENT,
    "message_content": MESSAGE_CONTENT_INTENT,
}
INITIAL_RESPONSE_SECONDS = 3.0  # Discord's deadline for an interaction's first response
FOLLOWUP_SECONDS = 15 * 60.0  # how long an interaction token works for followups


def intent_bits(names: Collection[str]) -> int:
    """Privileged intents by name (members, presences, message_content) as gateway bits."""
    unknown = set(names) - set(INTENT_NAMES)
    if unknown:
        raise ValueError(f"unknown privileged intent(s): {', '.join(sorted(unknown))}")
    return sum(INTENT_NAMES[name] for name in set(names))


class World:
    """All state of one simulated guild, shared by the REST API and the gateway."""

    def __init__(
        self,
        now: Callable[[], datetime],
        guild_name: str,
        *,
        ids: Snowflakes | None = None,
        guild_id: int | None = None,
        bot_user: User | None = None,
    ) -> None:
        self.now = now
        self.ids = ids or Snowflakes(now)  # shared by the guilds of one server: ids stay unique
        self.guild_name = guild_name
        self.guild_id = guild_id or self.ids.next()
        self.users: dict[int, User] = {}
        self.members: dict[int, Member] = {}
        self.roles: dict[int, Role] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.webhooks: dict[int, Webhook] = {}
        self.commands: dict[int, dict[str, Any]] = {}
        self.command_syncs: list[tuple[int | None, list[dict[str, Any]]]] = []  # as received
        self.command_overrides: dict[str, set[int]] = {}  # command → roles/users allowed it
        self.interactions: dict[int, Interaction] = {}
        self.attachments: dict[int, Attachment] = {}
        self.events: list[Event] = []
        self.sink: Dispatch = lambda _t, _d: None
        self.base_url = "http://127.0.0.1"
        self.bot_reads_content = True
        self.portal_intents = PRIVILEGED_INTENTS  # enabled in the Developer Portal
        self.interaction_deadline = INITIAL_RESPONSE_SECONDS
        self.previews = LinkPreviews(self)
        self._setup(bot_user)

    def _setup(self, bot_user: User | None) -> None:
        self.roles[self.guild_id] = Role(self.guild_id, "@everyone", int(perms.EVERYONE_DEFAULT))
        self.bot_role = self._add_role("Cliffhanger", int(perms.BOT_ROLE), managed=True)
        self.admin_role = self._add_role("Admin", int(perms.ADMIN_ROLE))
        self.mod_role = self._add_role("Moderator", int(perms.MODERATOR_ROLE))
        self.owner = self._add_member(User(self.ids.next(), "owner"))
        bot = bot_user or User(self.ids.next(), "Cliffhanger", bot=True)
        self.bot_user = self._add_member(bot)
        self.members[self.bot_user.id].role_ids.append(self.bot_role.id)
        self.application_id = self.bot_user.id
        self.ensure_channel("general")

    def _add_role(self, name: str, value: int, *, managed: bool = False) -> Role:
        role = Role(self.ids.next(), name, value, position=len(self.roles), managed=managed)
        self.roles[role.id] = role
        return role

    def _add_member(self, user: User) -> User:
        self.users[user.id] = user
        self.members[user.id] = Member(user, [], self.now())
        return user

    # ---- lookups -------------------------------------------------------------------

    def find_user(self, name: str) -> User | None:
        """The user called `name` (a leading @ is ignored), if any."""
        name = name.removeprefix("@")
        return next((u for u in self.users.values() if u.name == name), None)

    def ensure_user(self, name: str) -> User:
        """The user called `name`, joining the guild on first use with roles by name."""
        found = self.find_user(name)
        if found:
            return found
        user = self._add_member(User(self.ids.next(), name.removeprefix("@")))
        member = self.members[user.id]
        if user.name == "admin":
            member.role_ids.append(self.admin_role.id)
        elif user.name.startswith("mod"):
            member.role_ids.append(self.mod_role.id)
        self.dispatch("GUILD_MEMBER_ADD", {**member.payload(), "guild_id": str(self.guild_id)})
        return user

    def find_channel(self, name: str) -> Channel | None:
        """A text channel by name, else a thread by name."""
        name = name.removeprefix("#")
        found = [c for c in self.channels.values() if c.name == name and c.type != DM]
        found.sort(key=lambda c: (c.type != TEXT, -c.id))
        return found[0] if found else None

    def ensure_channel(self, name: str, kind: int = TEXT) -> Channel:
        """The channel or thread called `name`, created on first use (a text channel unless
        `kind` says voice or forum)."""
        found = self.find_channel(name)
        if found:
            return found
        channel = Channel(self.ids.next(), name.removeprefix("#"), kind, len(self.channels))
        channel.created_at = self.now()
        self.channels[channel.id] = channel
        from playground.payloads import channel_payload

        self.dispatch("CHANNEL_CREATE", channel_payload(self, channel))
        return channel

    def role(self, name: str) -> Role:
        """A role by name (`@everyone`, `Admin`, `Moderator`, `Cliffhanger`)."""
        for role in self.roles.values():
            if role.name.lower() == name.lower().lstrip("@") or role.name.lower() == name.lower():
                return role
        raise KeyError(f"no role called {name!r}")

    def display_channel(self, channel: Channel) -> tuple[str, str | None]:
        """(channel name, thread name or None) for events."""
        if channel.type == DM:
            return f"@{self.users[channel.recipient_id or 0].name}", None
        if channel.is_thread and channel.parent_id in self.channels:
            return self.channels[channel.parent_id].name, channel.name
        return channel.name, None

    # ---- permissions ---------------------------------------------------------------

    def guild_permissions(self, user_id: int) -> int:
        """Guild-level permissions from @everyone, the member's roles, owner, admin."""
        member = self.members.get(user_id)
        if member is None:
            return 0
        return perms.base_permissions(
            is_owner=user_id == self.owner.id,
            everyone=self.roles[self.guild_id].permissions,
            role_permissions=[self.roles[r].permissions for r in member.role_ids],
        )

    def permissions(self, user_id: int, channel: Channel) -> int:
        """Permissions in a channel; threads use the parent's, private ones need membership."""
        if channel.type == DM:
            return (
                int(perms.EVERYONE_DEFAULT)
                if user_id in (channel.recipient_id, self.bot_user.id)
                else 0
            )
        parent = self.channels.get(channel.parent_id or 0) if channel.is_thread else channel
        member = self.members.get(user_id)
        if parent is None or member is None:
            return 0
        value = perms.apply_overwrites(
            self.guild_permissions(user_id),
            guild_id=self.guild_id,
            member_id=user_id,
            member_role_ids=member.role_ids,
            overwrites=parent.overwrites,
            in_thread=channel.is_thread,
        )
        hidden = channel.type == PRIVATE_THREAD and user_id not in channel.members
        if hidden and not value & perms.P.MANAGE_THREADS:
            return 0
        return value

    def has(self, user_id: int, channel: Channel, needed: int) -> bool:
        """Whether the user has every bit of `needed` in the channel."""
        return self.permissions(user_id, channel) & needed == needed

    def can_see(self, user_id: int, message: Message) -> bool:
        """Whether the user can see the message (channel access and ephemeral rules)."""
        if message.deleted:
            return False
        if message.visible_to is not None:
            return message.visible_to == user_id
        channel = self.channels[message.channel_id]
        return self.has(user_id, channel, perms.P.VIEW_CHANNEL)

    # ---- fan-out -------------------------------------------------------------------

    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event to the bot."""
        self.sink(event, data)

    def record(self, event: Event) -> None:
        """Remember something people could see."""
        self.events.append(event)

    def timestamp(self) -> datetime:
        """The simulated current time."""
        moment = self.now()
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
