"""Channel webhooks (create, list, execute), interaction callbacks, and followups."""

from __future__ import annotations

from typing import Any

from playground import ops
from playground.deadlines import check_initial_response, check_token
from playground.hook_rules import check_forum_target, check_name, check_webhook_count
from playground.limits import check_choices
from playground.model import (
    EPHEMERAL,
    FORUM,
    LOADING,
    TEXT,
    VOICE,
    Channel,
    Interaction,
    Message,
    User,
    Webhook,
)
from playground.payloads import message_payload, webhook_payload
from playground.permissions import P as Perm
from playground.routes_channels import (
    bot_id,
    check_limits,
    get_channel,
    require_content,
    store_uploads,
)
from playground.routing import (
    ApiError,
    Ctx,
    LimitExceeded,
    Reply,
    Routes,
    missing_permissions,
    not_found,
)
from playground.world import World

routes = Routes()
WEBHOOK_CHANNELS = (TEXT, VOICE, FORUM)
MODAL, AUTOCOMPLETE, UPDATE, DEFERRED_UPDATE, DEFERRED, MESSAGE = 9, 8, 7, 6, 5, 4


def interaction_by_token(world: World, token: str) -> Interaction | None:
    """The interaction whose token this is."""
    return next((i for i in world.interactions.values() if i.token == token), None)


def _webhook(ctx: Ctx) -> Webhook:
    hook = ctx.world.webhooks.get(ctx.snowflake("webhook_id"))
    if hook is None:
        raise not_found("Webhook", 10015)
    if "webhook_token" in ctx.params and ctx.params["webhook_token"] != hook.token:
        raise ApiError(401, 50027, "Invalid Webhook Token")
    return hook


def _metadata(world: World, interaction: Interaction) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(interaction.id),
        "type": interaction.type,
        "user": world.users[interaction.user_id].payload(),
        "authorizing_integration_owners": {"0": str(world.guild_id)},
    }
    if interaction.type == 3 and interaction.message_id is not None:
        data["interacted_message_id"] = str(interaction.message_id)
    trigger = world.interactions.get(interaction.trigger_id or 0)
    if interaction.type == 5 and trigger is not None:
        data["triggering_interaction_metadata"] = _metadata(world, trigger)
    return data


def _post_for(
    world: World, interaction: Interaction, body: dict[str, Any], ctx: Ctx, *, extra_flags: int = 0
) -> Message:
    channel = world.channels[interaction.channel_id]
    flags = int(body.get("flags") or 0) | extra_flags
    ephemeral = bool(flags & EPHEMERAL)
    return ops.post_message(
        world,
        channel,
        world.bot_user,
        {**body, "flags": flags & ~LOADING},
        webhook_id=world.application_id,
        attachments=store_uploads(world, ctx.files, body),
        interaction=_metadata(world, interaction),
        visible_to=interaction.user_id if ephemeral else None,
        flags=flags & (EPHEMERAL | LOADING),
    )


# ---- interaction callbacks ---------------------------------------------------------------


@routes.add("POST", "/interactions/{interaction_id}/{interaction_token}/callback")
async def callback(ctx: Ctx) -> Reply:
    """The bot's first answer to an interaction."""
    world = ctx.world
    interaction = world.interactions.get(ctx.snowflake("interaction_id"))
    if interaction is None or interaction.token != ctx.params["interaction_token"]:
        raise ApiError(404, 10062, "Unknown interaction")
    if interaction.response_type is not None:
        raise ApiError(400, 40060, "Interaction has already been acknowledged.")
    check_initial_response(world, interaction)
    body = ctx.body or {}
    kind, data = int(body.get("type", 0)), body.get("data") or {}
    message = _respond(ctx, interaction, kind, data)
    interaction.response_type = kind
    if ctx.query.get("with_response") not in ("1", "true", "True"):
        return Reply(None)
    return Reply(_callback_body(world, interaction, kind, message))


def _respond(ctx: Ctx, interaction: Interaction, kind: int, data: dict[str, Any]) -> Message | None:
    world = ctx.world
    if kind == MESSAGE:
        require_content(data, ctx.files)
        check_limits(data)
        message = _post_for(world, interaction, data, ctx)
        interaction.original_id = message.id
        return message
    if kind == DEFERRED:
        message = _post_for(
            world, interaction, {"flags": data.get("flags", 0)}, ctx, extra_flags=LOADING
        )
        interaction.original_id = message.id
        return message
    if kind in (UPDATE, DEFERRED_UPDATE):
        target = world.messages.get(interaction.message_id or 0)
        if target is None and kind == DEFERRED_UPDATE and interaction.type == 5:
            return None  # a modal opened by a command: a plain acknowledgement
        if target is None:
            raise ApiError(400, 50035, "Invalid Form Body: no message to update")
        interaction.original_id = target.id
        if kind == UPDATE:
            check_limits(data)
            ops.edit_message(world, target, data)
        return target
    if kind == AUTOCOMPLETE:
        _autocomplete(interaction, data)
        return None
    if kind == MODAL:
        interaction.modal = data
        world.record(ops.modal_event(world, interaction.user_id, interaction.channel_id, data))
        return None
    raise ApiError(400, 50035, f"Invalid Form Body: unsupported callback type {kind}")


def _autocomplete(interaction: Interaction, data: dict[str, Any]) -> None:
    if interaction.type != 4:
        raise ApiError(400, 50035, "Invalid Form Body: not an autocomplete interaction")
    choices = data.get("choices") or []
    errors = check_choices(choices)
    if errors:
        raise LimitExceeded.from_errors(errors)
    interaction.choices = list(choices)


def _callback_body(
    world: World, interaction: Interaction, kind: int, message: Message | None
) -> dict[str, Any]:
    info: dict[str, Any] = {"id": str(interaction.id), "type": interaction.type}
    body: dict[str, Any] = {"interaction": info}
    if message is not None:
        info["response_message_id"] = str(message.id)
        info["response_message_loading"] = kind == DEFERRED
        info["response_message_ephemeral"] = message.ephemeral
        if kind in (MESSAGE, UPDATE):
            body["resource"] = {"type": kind, "message": message_payload(world, message)}
    return body


# ---- interaction followups and channel webhook messages ------------------------------------


def _sender(ctx: Ctx) -> Interaction | Webhook:
    token = ctx.params["webhook_token"]
    interaction = interaction_by_token(ctx.world, token)
    if interaction is not None and ctx.snowflake("webhook_id") == ctx.world.application_id:
        check_token(ctx.world, interaction)
        return interaction
    return _webhook(ctx)


def _owned_message(ctx: Ctx, sender: Interaction | Webhook) -> Message:
    world = ctx.world
    if isinstance(sender, Interaction):
        if ctx.params.get("message_id") == "@original":
            message = world.messages.get(sender.original_id or 0)
        else:
            message = world.messages.get(ctx.snowflake("message_id"))
            if message and (message.interaction or {}).get("id") != str(sender.id):
                message = None
    else:
        message = world.messages.get(ctx.snowflake("message_id"))
        if message and message.webhook_id != sender.id:
            message = None
    if message is None or message.deleted:
        raise not_found("Message", 10008)
    return message


@routes.add("POST", "/webhooks/{webhook_id}/{webhook_token}")
async def execute(ctx: Ctx) -> Reply:
    """Execute a channel webhook, or send an interaction followup."""
    sender = _sender(ctx)
    body = ctx.body or {}
    require_content(body, ctx.files)
    check_limits(body)
    if isinstance(sender, Interaction):
        message = _followup(ctx, sender, body)
    else:
        message = _execute_webhook(ctx, sender, body)
    wait = ctx.query.get("wait") in ("true", "True", "1") or isinstance(sender, Interaction)
    return Reply(message_payload(ctx.world, message)) if wait else Reply(None)


def _followup(ctx: Ctx, interaction: Interaction, body: dict[str, Any]) -> Message:
    if interaction.response_type is None:
        raise not_found("Webhook", 10015)
    original = ctx.world.messages.get(interaction.original_id or 0)
    if original is not None and original.flags & LOADING:
        original.attachments += store_uploads(ctx.world, ctx.files, body)
        return ops.edit_message(ctx.world, original, {**body, "attachments": None})
    return _post_for(ctx.world, interaction, body, ctx)


def _execute_webhook(ctx: Ctx, hook: Webhook, body: dict[str, Any]) -> Message:
    world = ctx.world
    if body.get("username") is not None:
        check_name("username", body["username"])
    channel: Channel = world.channels[hook.channel_id]
    check_forum_target(channel.type == FORUM, ctx.query.get("thread_id"))
    if "thread_id" in ctx.query:
        thread = world.channels.get(int(ctx.query["thread_id"]))
        if thread is None or thread.parent_id != hook.channel_id:
            raise not_found("Channel", 10003)
        channel = thread
    author = User(hook.id, body.get("username") or hook.name, bot=True)
    message = ops.post_message(
        world,
        channel,
        author,
        body,
        webhook_id=hook.id,
        attachments=store_uploads(world, ctx.files, body),
    )
    return message


@routes.add("GET", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
async def get_hook_message(ctx: Ctx) -> Reply:
    """A message sent by this webhook or interaction (`@original` for the response)."""
    message = _owned_message(ctx, _sender(ctx))
    return Reply(message_payload(ctx.world, message))


@routes.add("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
async def edit_hook_message(ctx: Ctx) -> Reply:
    """Edit a webhook or interaction message (`@original` for the response)."""
    message = _owned_message(ctx, _sender(ctx))
    body = ctx.body or {}
    check_limits(body)
    new = store_uploads(ctx.world, ctx.files, body)
    ops.edit_message(ctx.world, message, body)
    message.attachments += new
    return Reply(message_payload(ctx.world, message))


@routes.add("DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
async def delete_hook_message(ctx: Ctx) -> Reply:
    """Delete a webhook or interaction message."""
    ops.delete_message(ctx.world, _owned_message(ctx, _sender(ctx)))
    return Reply(None)


@routes.add("GET", "/webhooks/{webhook_id}/{webhook_token}")
@routes.add("GET", "/webhooks/{webhook_id}")
async def get_webhook(ctx: Ctx) -> Reply:
    """A webhook."""
    hook = _webhook(ctx)
    return Reply(webhook_payload(ctx.world, hook, with_token="webhook_token" not in ctx.params))


@routes.add("DELETE", "/webhooks/{webhook_id}/{webhook_token}")
@routes.add("DELETE", "/webhooks/{webhook_id}")
async def delete_webhook(ctx: Ctx) -> Reply:
    """Delete a webhook (with its token, or with Manage Webhooks)."""
    hook = _webhook(ctx)
    world = ctx.world
    channel = world.channels[hook.channel_id]
    if "webhook_token" not in ctx.params and not world.has(
        world.bot_user.id, channel, Perm.MANAGE_WEBHOOKS
    ):
        raise missing_permissions()
    del world.webhooks[hook.id]
    world.dispatch(
        "WEBHOOKS_UPDATE", {"guild_id": str(world.guild_id), "channel_id": str(channel.id)}
    )
    return Reply(None)


@routes.add("GET", "/guilds/{guild_id}/webhooks")
async def guild_webhooks(ctx: Ctx) -> Reply:
    """Every webhook in the guild (needs Manage Webhooks)."""
    world = ctx.world
    if not world.guild_permissions(world.bot_user.id) & Perm.MANAGE_WEBHOOKS:
        raise missing_permissions()
    return Reply([webhook_payload(world, h) for h in world.webhooks.values()])


@routes.add("POST", "/channels/{channel_id}/webhooks")
async def create_webhook(ctx: Ctx) -> Reply:
    """Create a webhook on a text, voice or forum channel (needs Manage Webhooks)."""
    channel = get_channel(ctx, Perm.MANAGE_WEBHOOKS)
    if channel.type not in WEBHOOK_CHANNELS:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    world = ctx.world
    body = ctx.body or {}
    check_name("name", body.get("name") or "")
    check_webhook_count(sum(h.channel_id == channel.id for h in world.webhooks.values()))
    hook_id = world.ids.next()
    hook = Webhook(
        hook_id,
        f"webhook-token-{hook_id}",
        channel.id,
        body["name"],
        bot_id(ctx),
        application_id=world.application_id,
    )
    world.webhooks[hook.id] = hook
    world.dispatch(
        "WEBHOOKS_UPDATE", {"guild_id": str(world.guild_id), "channel_id": str(channel.id)}
    )
    return Reply(webhook_payload(world, hook))


@routes.add("GET", "/channels/{channel_id}/webhooks")
async def channel_webhooks(ctx: Ctx) -> Reply:
    """A channel's webhooks (needs Manage Webhooks)."""
    channel = get_channel(ctx, Perm.MANAGE_WEBHOOKS)
    hooks = [h for h in ctx.world.webhooks.values() if h.channel_id == channel.id]
    return Reply([webhook_payload(ctx.world, h) for h in hooks])
