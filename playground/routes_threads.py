"""Thread, thread-member and DM routes (channel webhooks are in routes_hooks)."""

from __future__ import annotations

from typing import Any

from playground import ops
from playground.model import DM, PRIVATE_THREAD, PUBLIC_THREAD, TEXT, Channel
from playground.payloads import channel_payload, thread_member_payload
from playground.permissions import P as Perm
from playground.routes_channels import bot_id, get_channel, get_message
from playground.routing import ApiError, Ctx, Reply, Routes, missing_permissions, not_found

routes = Routes()


# ---- threads -------------------------------------------------------------------------


def _thread_name(body: dict[str, Any]) -> str:
    name = (body.get("name") or "").strip()
    if not 1 <= len(name) <= 100:
        raise ApiError(
            400,
            50035,
            "Invalid Form Body",
            errors={
                "name": {
                    "_errors": [
                        {
                            "code": "BASE_TYPE_BAD_LENGTH",
                            "message": "Must be between 1 and 100 in length.",
                        }
                    ]
                }
            },
        )
    return name


@routes.add("POST", "/channels/{channel_id}/threads")
async def create_thread(ctx: Ctx) -> Reply:
    """Start a thread without a message (public or private)."""
    body = ctx.body or {}
    kind = int(body.get("type") or PRIVATE_THREAD)
    needed = Perm.CREATE_PRIVATE_THREADS if kind == PRIVATE_THREAD else Perm.CREATE_PUBLIC_THREADS
    parent = get_channel(ctx, needed)
    if parent.type != TEXT:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    thread = ops.create_thread(
        ctx.world,
        parent,
        _thread_name(body),
        ctx.world.bot_user,
        kind=kind,
        invitable=bool(body.get("invitable", True)),
    )
    return Reply(channel_payload(ctx.world, thread), 201)


@routes.add("POST", "/channels/{channel_id}/messages/{message_id}/threads")
async def thread_from_message(ctx: Ctx) -> Reply:
    """Start a public thread from a message (the thread's id is the message's)."""
    parent = get_channel(ctx, Perm.CREATE_PUBLIC_THREADS)
    message = get_message(ctx, parent)
    if message.id in ctx.world.channels:
        raise ApiError(400, 160004, "A thread has already been created for this message")
    body = ctx.body or {}
    thread = ops.create_thread(
        ctx.world,
        parent,
        _thread_name(body),
        ctx.world.bot_user,
        kind=PUBLIC_THREAD,
        from_message=message,
    )
    return Reply(channel_payload(ctx.world, thread), 201)


def _thread(ctx: Ctx) -> Channel:
    thread = get_channel(ctx)
    if not thread.is_thread:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    return thread


def _member_user(ctx: Ctx) -> int:
    user_id = bot_id(ctx) if ctx.params["user_id"] == "@me" else ctx.snowflake("user_id")
    if user_id not in ctx.world.members:
        raise not_found("Member", 10007)
    return user_id


@routes.add("PUT", "/channels/{channel_id}/thread-members/{user_id}")
async def add_thread_member(ctx: Ctx) -> Reply:
    """Add a member to a thread (the bot must be able to send there)."""
    thread = _thread(ctx)
    user_id = _member_user(ctx)
    world = ctx.world
    if thread.archived:
        raise ApiError(400, 50083, "Thread is archived")
    if not world.has(bot_id(ctx), thread, Perm.SEND_MESSAGES_IN_THREADS):
        raise missing_permissions()
    uninvitable = thread.type == PRIVATE_THREAD and not thread.invitable
    if (
        uninvitable
        and user_id != bot_id(ctx)
        and not world.has(bot_id(ctx), thread, Perm.MANAGE_THREADS)
    ):
        raise missing_permissions()
    ops.add_thread_member(world, thread, world.users[user_id])
    return Reply(None)


@routes.add("DELETE", "/channels/{channel_id}/thread-members/{user_id}")
async def remove_thread_member(ctx: Ctx) -> Reply:
    """Remove a member from a thread (Manage Threads, or leaving yourself)."""
    thread = _thread(ctx)
    user_id = _member_user(ctx)
    allowed = user_id == bot_id(ctx) or ctx.world.has(bot_id(ctx), thread, Perm.MANAGE_THREADS)
    if thread.type == PRIVATE_THREAD and thread.owner_id == bot_id(ctx):
        allowed = True
    if not allowed:
        raise missing_permissions()
    ops.remove_thread_member(ctx.world, thread, ctx.world.users[user_id])
    return Reply(None)


@routes.add("GET", "/channels/{channel_id}/thread-members/{user_id}")
async def get_thread_member(ctx: Ctx) -> Reply:
    """One thread member."""
    thread = _thread(ctx)
    user_id = _member_user(ctx)
    if user_id not in thread.members:
        raise not_found("Member", 10007)
    return Reply(thread_member_payload(ctx.world, thread, user_id))


@routes.add("GET", "/channels/{channel_id}/thread-members")
async def list_thread_members(ctx: Ctx) -> Reply:
    """Everyone in a thread."""
    thread = _thread(ctx)
    return Reply([thread_member_payload(ctx.world, thread, u) for u in thread.members])


# ---- DMs ------------------------------------------------------------------------------


@routes.add("POST", "/users/@me/channels")
async def open_dm(ctx: Ctx) -> Reply:
    """Open (or reuse) a DM channel with a member."""
    world = ctx.world
    user_id = int((ctx.body or {}).get("recipient_id") or 0)
    if user_id not in world.users:
        raise not_found("User", 10013)
    for channel in world.channels.values():
        if channel.type == DM and channel.recipient_id == user_id:
            return Reply(channel_payload(world, channel))
    channel = Channel(
        world.ids.next(),
        f"@{world.users[user_id].name}",
        DM,
        recipient_id=user_id,
        created_at=world.timestamp(),
    )
    world.channels[channel.id] = channel
    return Reply(channel_payload(world, channel))
