"""Discord JSON shapes for the playground's records."""

from __future__ import annotations

from typing import Any

from playground.model import (
    DM,
    FORUM,
    PRIVATE_THREAD,
    VOICE,
    Channel,
    Message,
    Webhook,
    iso,
)
from playground.world import World


def overwrite_payload(channel: Channel) -> list[dict[str, Any]]:
    """Permission overwrites with Discord's string bitfields."""
    return [
        {"id": str(o.id), "type": o.type, "allow": str(o.allow), "deny": str(o.deny)}
        for o in channel.overwrites
    ]


def _last_message_id(world: World, channel: Channel) -> str | None:
    ids = [m.id for m in world.messages.values() if m.channel_id == channel.id and not m.ephemeral]
    return str(max(ids)) if ids else None


def channel_payload(world: World, channel: Channel) -> dict[str, Any]:
    """A text channel, thread or DM object."""
    if channel.is_thread:
        return thread_payload(world, channel)
    if channel.type == DM:
        user = world.users[channel.recipient_id or 0]
        return {
            "id": str(channel.id),
            "type": DM,
            "last_message_id": _last_message_id(world, channel),
            "flags": 0,
            "recipients": [user.payload()],
        }
    data: dict[str, Any] = {
        "id": str(channel.id),
        "type": channel.type,
        "guild_id": str(world.guild_id),
        "name": channel.name,
        "position": channel.position,
        "parent_id": None,
        "permission_overwrites": overwrite_payload(channel),
        "topic": None,
        "nsfw": False,
        "last_message_id": _last_message_id(world, channel),
        "rate_limit_per_user": 0,
        "flags": 0,
    }
    if channel.type == VOICE:
        data.update(bitrate=64000, user_limit=0, rtc_region=None)
    if channel.type == FORUM:
        data.update(available_tags=[], default_reaction_emoji=None, default_sort_order=None)
        data.update(default_forum_layout=0, default_auto_archive_duration=4320)
    return data


def thread_payload(world: World, thread: Channel) -> dict[str, Any]:
    """A thread object with its metadata."""
    metadata: dict[str, Any] = {
        "archived": thread.archived,
        "auto_archive_duration": 1440,
        "archive_timestamp": iso(thread.created_at),
        "locked": thread.locked,
        "create_timestamp": iso(thread.created_at),
    }
    if thread.type == PRIVATE_THREAD:
        metadata["invitable"] = thread.invitable
    return {
        "id": str(thread.id),
        "type": thread.type,
        "guild_id": str(world.guild_id),
        "parent_id": str(thread.parent_id),
        "owner_id": str(thread.owner_id),
        "name": thread.name,
        "last_message_id": _last_message_id(world, thread),
        "message_count": thread.message_count,
        "member_count": min(len(thread.members), 50),
        "total_message_sent": thread.message_count,
        "rate_limit_per_user": 0,
        "flags": 0,
        "thread_metadata": metadata,
    }


def thread_member_payload(world: World, thread: Channel, user_id: int) -> dict[str, Any]:
    """A thread member object."""
    return {
        "id": str(thread.id),
        "user_id": str(user_id),
        "join_timestamp": iso(thread.members.get(user_id) or world.now()),
        "flags": 0,
    }


def guild_payload(world: World) -> dict[str, Any]:
    """The full GUILD_CREATE payload: roles, members, channels and threads."""
    channels = [c for c in world.channels.values() if c.type != DM]
    return {
        "id": str(world.guild_id),
        "name": world.guild_name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(world.owner.id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "features": [],
        "roles": [r.payload() for r in world.roles.values()],
        "emojis": [],
        "stickers": [],
        "soundboard_sounds": [],
        "joined_at": iso(world.members[world.bot_user.id].joined_at),
        "large": False,
        "unavailable": False,
        "member_count": len(world.members),
        "members": [m.payload() for m in world.members.values()],
        "channels": [channel_payload(world, c) for c in channels if not c.is_thread],
        "threads": [thread_payload(world, c) for c in channels if c.is_thread and not c.archived],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "application_id": None,
    }


def _author(world: World, message: Message) -> dict[str, Any]:
    if message.webhook_id is None or message.interaction is not None:
        return message.author.payload()
    data = message.author.payload()
    data.update(id=str(message.webhook_id), discriminator="0000", bot=True, global_name=None)
    return data


def message_payload(
    world: World, message: Message, *, for_bot: bool = False, gateway: bool = False
) -> dict[str, Any]:
    """A message object; content is blanked for a bot without the message-content intent."""
    data: dict[str, Any] = {
        "id": str(message.id),
        "channel_id": str(message.channel_id),
        "type": message.type,
        "author": _author(world, message),
        "content": message.content,
        "timestamp": iso(message.created_at),
        "edited_timestamp": iso(message.edited_at),
        "tts": False,
        "mention_everyone": False,
        "mentions": [u.payload() for u in message.mentions],
        "mention_roles": [],
        "attachments": [a.payload() for a in message.attachments],
        "embeds": message.embeds,
        "pinned": False,
        "flags": message.flags,
        "components": message.components,
    }
    if message.webhook_id is not None:
        data["webhook_id"] = str(message.webhook_id)
    if message.application_id is not None:
        data["application_id"] = str(message.application_id)
    if message.interaction is not None:
        data["interaction_metadata"] = message.interaction
    if message.reference is not None:
        data["message_reference"] = message.reference
    channel = world.channels.get(message.channel_id)
    if gateway and channel is not None and channel.type != DM:
        data["guild_id"] = str(world.guild_id)
        if message.webhook_id is None and message.author.id in world.members:
            data["member"] = world.members[message.author.id].payload(with_user=False)
    if for_bot and not _bot_may_read(world, message):
        data.update(content="", embeds=[], attachments=[], components=[])
    return data


def _bot_may_read(world: World, message: Message) -> bool:
    if world.bot_reads_content or message.author.id == world.bot_user.id:
        return True
    channel = world.channels.get(message.channel_id)
    mentioned = any(u.id == world.bot_user.id for u in message.mentions)
    return mentioned or (channel is not None and channel.type == DM)


def webhook_payload(world: World, hook: Webhook, *, with_token: bool = True) -> dict[str, Any]:
    """An incoming webhook object."""
    creator = world.users.get(hook.creator_id)
    data: dict[str, Any] = {
        "id": str(hook.id),
        "type": 1,
        "name": hook.name,
        "avatar": hook.avatar,
        "channel_id": str(hook.channel_id),
        "guild_id": str(world.guild_id),
        "application_id": str(hook.application_id) if hook.application_id else None,
    }
    if creator is not None:
        data["user"] = creator.payload()
    if with_token:
        data["token"] = hook.token
        data["url"] = f"{world.base_url}/api/webhooks/{hook.id}/{hook.token}"
    return data
