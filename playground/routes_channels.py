"""Channel, message, thread, thread-member, DM and channel-webhook routes."""

from __future__ import annotations

from typing import Any

from playground import ops
from playground.hook_rules import check_uploads
from playground.limits import check_message
from playground.model import (
    DM,
    Attachment,
    Channel,
    Message,
)
from playground.payloads import (
    channel_payload,
    message_payload,
)
from playground.permissions import Overwrite
from playground.permissions import P as Perm
from playground.routing import (
    ApiError,
    Ctx,
    LimitExceeded,
    Reply,
    Routes,
    Upload,
    missing_permissions,
    not_found,
)
from playground.world import World

routes = Routes()


def bot_id(ctx: Ctx) -> int:
    """The bot user's id."""
    return ctx.world.bot_user.id


def get_channel(ctx: Ctx, needed: int = Perm.VIEW_CHANNEL) -> Channel:
    """The path's channel, checking the bot may see it and has `needed` there."""
    channel = ctx.world.channels.get(ctx.snowflake("channel_id"))
    if channel is None:
        raise not_found("Channel", 10003)
    if not ctx.world.has(bot_id(ctx), channel, Perm.VIEW_CHANNEL):
        raise ApiError(403, 50001, "Missing Access")
    if not ctx.world.has(bot_id(ctx), channel, needed):
        raise missing_permissions()
    return channel


def get_message(ctx: Ctx, channel: Channel) -> Message:
    """The path's message in that channel (ephemeral and deleted ones are unknown)."""
    message = ctx.world.messages.get(ctx.snowflake("message_id"))
    if message is None or message.deleted or message.channel_id != channel.id or message.ephemeral:
        raise not_found("Message", 10008)
    return message


def check_limits(body: dict[str, Any]) -> None:
    """Raise Discord's 400 Invalid Form Body when a documented limit is broken."""
    errors = check_message(body)
    if errors:
        raise LimitExceeded.from_errors(errors)


def store_uploads(world: World, uploads: list[Upload], body: dict[str, Any]) -> list[Attachment]:
    """Keep uploaded files and give each a URL the playground serves (413 past the limit)."""
    check_uploads(uploads)
    described = {int(a.get("id", -1)): a for a in body.get("attachments") or [] if "id" in a}
    stored = []
    for upload in sorted(uploads, key=lambda u: u.index):
        name = described.get(upload.index, {}).get("filename") or upload.filename
        attachment_id = world.ids.next()
        url = f"{world.base_url}/attachments/{attachment_id}/{name}"
        attachment = Attachment(attachment_id, name, upload.data, upload.content_type, url)
        world.attachments[attachment_id] = attachment
        stored.append(attachment)
    return stored


def send_permissions(channel: Channel, body: dict[str, Any], uploads: list[Upload]) -> int:
    """What the sender needs to post this body in this channel."""
    needed = Perm.VIEW_CHANNEL | (
        Perm.SEND_MESSAGES_IN_THREADS if channel.is_thread else Perm.SEND_MESSAGES
    )
    if body.get("embeds"):
        needed |= Perm.EMBED_LINKS
    if uploads:
        needed |= Perm.ATTACH_FILES
    return int(needed)


def require_content(body: dict[str, Any], uploads: list[Upload]) -> None:
    """Discord refuses an empty message (50006)."""
    if not (
        body.get("content")
        or body.get("embeds")
        or uploads
        or body.get("components")
        or body.get("poll")
        or body.get("sticker_ids")
    ):
        raise ApiError(400, 50006, "Cannot send an empty message")


@routes.add("GET", "/channels/{channel_id}")
async def get_channel_route(ctx: Ctx) -> Reply:
    """A channel or thread."""
    return Reply(channel_payload(ctx.world, get_channel(ctx)))


@routes.add("PATCH", "/channels/{channel_id}")
async def edit_channel(ctx: Ctx) -> Reply:
    """Rename a channel, or rename/archive/lock a thread."""
    channel = get_channel(ctx)
    body = ctx.body or {}
    if channel.is_thread:
        if channel.owner_id != bot_id(ctx) and not ctx.world.has(
            bot_id(ctx), channel, Perm.MANAGE_THREADS
        ):
            raise missing_permissions()
        return Reply(channel_payload(ctx.world, ops.update_thread(ctx.world, channel, body)))
    if not ctx.world.has(bot_id(ctx), channel, Perm.MANAGE_CHANNELS):
        raise missing_permissions()
    channel.name = body.get("name") or channel.name
    ops.update_channel(ctx.world, channel)
    return Reply(channel_payload(ctx.world, channel))


@routes.add("PUT", "/channels/{channel_id}/permissions/{overwrite_id}")
async def put_overwrite(ctx: Ctx) -> Reply:
    """Set a permission overwrite (needs Manage Roles)."""
    channel = get_channel(ctx, Perm.MANAGE_ROLES)
    body = ctx.body or {}
    target = ctx.snowflake("overwrite_id")
    channel.overwrites = [o for o in channel.overwrites if o.id != target]
    channel.overwrites.append(
        Overwrite(
            target,
            int(body.get("type", 0)),
            int(body.get("allow") or 0),
            int(body.get("deny") or 0),
        )
    )
    ops.update_channel(ctx.world, channel)
    return Reply(None)


@routes.add("POST", "/channels/{channel_id}/typing")
async def typing(ctx: Ctx) -> Reply:
    """Typing indicator (nothing visible in the playground)."""
    get_channel(ctx)
    return Reply(None)


@routes.add("POST", "/channels/{channel_id}/messages")
async def create_message(ctx: Ctx) -> Reply:
    """The bot posts a message."""
    body = ctx.body or {}
    channel = get_channel(ctx, send_permissions_for(ctx, body))
    if (
        channel.is_thread
        and channel.locked
        and not ctx.world.has(bot_id(ctx), channel, Perm.MANAGE_THREADS)
    ):
        raise ApiError(400, 160005, "Thread is locked")
    require_content(body, ctx.files)
    check_limits(body)
    attachments = store_uploads(ctx.world, ctx.files, body)
    if channel.is_thread and channel.archived:
        ops.update_thread(ctx.world, channel, {"archived": False})
    message = ops.post_message(
        ctx.world, channel, ctx.world.bot_user, body, attachments=attachments
    )
    return Reply(message_payload(ctx.world, message))


def send_permissions_for(ctx: Ctx, body: dict[str, Any]) -> int:
    """The permissions needed to post `body` (with the request's files) in the path's channel."""
    channel = ctx.world.channels.get(ctx.snowflake("channel_id"))
    if channel is None:
        raise not_found("Channel", 10003)
    if channel.type == DM:
        return int(Perm.VIEW_CHANNEL)
    return send_permissions(channel, body, ctx.files)


@routes.add("GET", "/channels/{channel_id}/messages")
async def history(ctx: Ctx) -> Reply:
    """Message history, newest first (`limit`, `before`, `after`, `around`)."""
    channel = get_channel(ctx, Perm.READ_MESSAGE_HISTORY)
    limit = min(int(ctx.query.get("limit", 50)), 100)
    found = [
        m
        for m in ctx.world.messages.values()
        if m.channel_id == channel.id and not m.deleted and not m.ephemeral
    ]
    if "before" in ctx.query:
        found = [m for m in found if m.id < int(ctx.query["before"])]
    if "after" in ctx.query:
        found = [m for m in found if m.id > int(ctx.query["after"])][:limit]
    if "around" in ctx.query:
        pivot = int(ctx.query["around"])
        found.sort(key=lambda m: abs(m.id - pivot))
    found = sorted(
        found[-limit:] if "around" not in ctx.query else found[:limit],
        key=lambda m: m.id,
        reverse=True,
    )
    return Reply([message_payload(ctx.world, m, for_bot=True) for m in found])


@routes.add("GET", "/channels/{channel_id}/messages/{message_id}")
async def read_message(ctx: Ctx) -> Reply:
    """One message."""
    channel = get_channel(ctx, Perm.READ_MESSAGE_HISTORY)
    return Reply(message_payload(ctx.world, get_message(ctx, channel), for_bot=True))


@routes.add("PATCH", "/channels/{channel_id}/messages/{message_id}")
async def edit_message(ctx: Ctx) -> Reply:
    """The bot edits one of its messages."""
    channel = get_channel(ctx)
    message = get_message(ctx, channel)
    if message.author.id != bot_id(ctx) or message.webhook_id is not None:
        raise ApiError(403, 50005, "Cannot edit a message authored by another user")
    body = ctx.body or {}
    check_limits(body)
    ops.edit_message(ctx.world, message, body)
    return Reply(message_payload(ctx.world, message))


@routes.add("DELETE", "/channels/{channel_id}/messages/{message_id}")
async def delete_message(ctx: Ctx) -> Reply:
    """Delete a message (someone else's needs Manage Messages)."""
    channel = get_channel(ctx)
    message = get_message(ctx, channel)
    if message.author.id != bot_id(ctx) and not ctx.world.has(
        bot_id(ctx), channel, Perm.MANAGE_MESSAGES
    ):
        raise missing_permissions()
    ops.delete_message(ctx.world, message)
    return Reply(None)


@routes.add("POST", "/channels/{channel_id}/messages/bulk-delete")
async def bulk_delete(ctx: Ctx) -> Reply:
    """Delete 2-100 messages at once (needs Manage Messages)."""
    channel = get_channel(ctx, Perm.MANAGE_MESSAGES)
    ids = [int(i) for i in (ctx.body or {}).get("messages") or []]
    if not 2 <= len(ids) <= 100:
        raise ApiError(
            400, 50016, "You must provide at least 2 and fewer than 100 messages to delete."
        )
    found = [ctx.world.messages.get(i) for i in ids]
    messages = [m for m in found if m and not m.deleted and m.channel_id == channel.id]
    ops.bulk_delete(ctx.world, channel, messages)
    return Reply(None)


@routes.add("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
@routes.add("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
async def react(ctx: Ctx) -> Reply:
    """Add or remove the bot's reaction (not shown in the playground)."""
    channel = get_channel(ctx, Perm.ADD_REACTIONS | Perm.READ_MESSAGE_HISTORY)
    get_message(ctx, channel)
    return Reply(None)
