"""Login, application, gateway, guild, member and application-command routes."""

from __future__ import annotations

from typing import Any

from playground.commands import stored_spec
from playground.payloads import channel_payload, guild_payload
from playground.routing import ApiError, Ctx, Reply, Routes, not_found
from playground.world import (
    GUILD_MEMBERS_INTENT,
    GUILD_PRESENCES_INTENT,
    MESSAGE_CONTENT_INTENT,
    World,
)

routes = Routes()


# privileged intent → the application flag a bot in under 100 servers gets when it is enabled
_LIMITED_FLAGS = {
    GUILD_MEMBERS_INTENT: 1 << 15,  # GATEWAY_GUILD_MEMBERS_LIMITED
    GUILD_PRESENCES_INTENT: 1 << 13,  # GATEWAY_PRESENCE_LIMITED
    MESSAGE_CONTENT_INTENT: 1 << 19,  # GATEWAY_MESSAGE_CONTENT_LIMITED
}


def application_flags(world: World) -> int:
    """The application's flags: one per privileged intent enabled in the Developer Portal."""
    return sum(flag for intent, flag in _LIMITED_FLAGS.items() if world.portal_intents & intent)


def application_payload(world: World) -> dict[str, Any]:
    """The bot's application (GET /oauth2/applications/@me)."""
    owner = world.owner.payload()
    return {
        "id": str(world.application_id),
        "name": world.bot_user.name,
        "icon": None,
        "description": "Cliffhanger in the playground",
        "type": None,
        "bot": world.bot_user.payload(),
        "bot_public": False,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": application_flags(world),
        "flags_new": str(application_flags(world)),
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "role_connections_verification_url": None,
        "owner": owner,
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "approximate_user_authorization_count": 0,
        "explicit_content_filter": 0,
        "team": None,
        "eligible_oauth2_scopes": [],
        "summary": "",
        "rpc_origins": [],
    }


@routes.add("GET", "/users/@me")
async def get_me(ctx: Ctx) -> Reply:
    """The bot's own user (login)."""
    if ctx.headers.get("Authorization") != f"Bot {ctx.server.gateway.token}":
        raise ApiError(401, 0, "401: Unauthorized")
    data = ctx.world.bot_user.payload()
    data.update(mfa_enabled=False, locale="en-US", verified=True, email=None, premium_type=0)
    return Reply(data)


@routes.add("GET", "/oauth2/applications/@me")
async def get_application(ctx: Ctx) -> Reply:
    """The bot's application."""
    return Reply(application_payload(ctx.world))


@routes.add("GET", "/applications/@me")
async def get_application_me(ctx: Ctx) -> Reply:
    """The bot's application (newer route)."""
    return Reply(application_payload(ctx.world))


@routes.add("GET", "/gateway")
async def get_gateway(ctx: Ctx) -> Reply:
    """The gateway URL."""
    return Reply({"url": ctx.server.gateway_url})


@routes.add("GET", "/gateway/bot")
async def get_gateway_bot(ctx: Ctx) -> Reply:
    """The gateway URL with sharding information."""
    limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
    return Reply(
        {
            "url": ctx.server.gateway_url,
            "shards": ctx.server.gateway.shard_count,
            "session_start_limit": limit,
        }
    )


@routes.add("GET", "/users/{user_id}")
async def get_user(ctx: Ctx) -> Reply:
    """A user by id."""
    user = ctx.world.users.get(ctx.snowflake("user_id"))
    if user is None:
        raise not_found("User", 10013)
    return Reply(user.payload())


def _guild(ctx: Ctx) -> World:
    if ctx.snowflake("guild_id") != ctx.world.guild_id:
        raise not_found("Guild", 10004)
    return ctx.world


@routes.add("GET", "/guilds/{guild_id}")
async def get_guild(ctx: Ctx) -> Reply:
    """The guild."""
    data = guild_payload(_guild(ctx))
    for key in (
        "members",
        "channels",
        "threads",
        "presences",
        "voice_states",
        "joined_at",
        "large",
        "unavailable",
        "member_count",
        "guild_scheduled_events",
        "stage_instances",
        "soundboard_sounds",
    ):
        data.pop(key, None)
    return Reply(data)


@routes.add("GET", "/guilds/{guild_id}/channels")
async def get_channels(ctx: Ctx) -> Reply:
    """The guild's channels (not threads)."""
    world = _guild(ctx)
    return Reply([channel_payload(world, c) for c in world.channels.values() if c.type == 0])


@routes.add("GET", "/guilds/{guild_id}/roles")
async def get_roles(ctx: Ctx) -> Reply:
    """The guild's roles."""
    return Reply([r.payload() for r in _guild(ctx).roles.values()])


@routes.add("GET", "/guilds/{guild_id}/members/{user_id}")
async def get_member(ctx: Ctx) -> Reply:
    """One member."""
    member = _guild(ctx).members.get(ctx.snowflake("user_id"))
    if member is None:
        raise not_found("Member", 10007)
    return Reply(member.payload())


@routes.add("GET", "/guilds/{guild_id}/members")
async def list_members(ctx: Ctx) -> Reply:
    """Members, by id after `after`, up to `limit`."""
    world = _guild(ctx)
    after = int(ctx.query.get("after", 0))
    limit = int(ctx.query.get("limit", 1))
    found = sorted(
        (m for m in world.members.values() if m.user.id > after), key=lambda m: m.user.id
    )
    return Reply([m.payload() for m in found[:limit]])


@routes.add("GET", "/guilds/{guild_id}/threads/active")
async def active_threads(ctx: Ctx) -> Reply:
    """Active threads in the guild."""
    from playground.payloads import thread_payload

    world = _guild(ctx)
    threads = [
        thread_payload(world, c) for c in world.channels.values() if c.is_thread and not c.archived
    ]
    return Reply({"threads": threads, "members": [], "has_more": False})


# ---- application commands ----------------------------------------------------------


def command_payload(world: World, command: dict[str, Any]) -> dict[str, Any]:
    """A registered command as Discord returns it."""
    data = {k: v for k, v in command.items() if not k.startswith("_")}
    data.setdefault("description", "")
    permissions = data.get("default_member_permissions")
    data["default_member_permissions"] = None if permissions is None else str(permissions)
    if data.get("integration_types") is None:
        data["integration_types"] = [0]
    if data.get("contexts") is None:
        data["contexts"] = [0, 1, 2] if data.get("dm_permission", True) else [0]
    data.setdefault("type", 1)
    data["id"] = str(command["_id"])
    data["application_id"] = str(world.application_id)
    data["version"] = str(command["_version"])
    if command["_guild"] is not None:
        data["guild_id"] = str(command["_guild"])
    return data


def _app(ctx: Ctx) -> int | None:
    if ctx.snowflake("application_id") != ctx.world.application_id:
        raise not_found("Application", 10002)
    return _guild(ctx).guild_id if "guild_id" in ctx.params else None


def _upsert(world: World, guild: int | None, spec: dict[str, Any]) -> dict[str, Any]:
    kind = spec.get("type", 1)
    for command in world.commands.values():
        if (
            command["_guild"] == guild
            and command["name"] == spec["name"]
            and command.get("type", 1) == kind
        ):
            command_id = command["_id"]
            break
    else:
        command_id = world.ids.next()
    stored = stored_spec(spec)
    command = {**stored, "_id": command_id, "_version": world.ids.next(), "_guild": guild}
    world.commands[command_id] = command
    return command


@routes.add("PUT", "/applications/{application_id}/commands")
@routes.add("PUT", "/applications/{application_id}/guilds/{guild_id}/commands")
async def bulk_overwrite(ctx: Ctx) -> Reply:
    """Replace every command in the scope (what `tree.sync()` sends)."""
    guild = _app(ctx)
    world = ctx.world
    world.command_syncs.append((guild, list(ctx.body or [])))
    kept = [_upsert(world, guild, spec) for spec in ctx.body or []]
    keep_ids = {c["_id"] for c in kept}
    for command_id in [i for i, c in world.commands.items() if c["_guild"] == guild]:
        if command_id not in keep_ids:
            del world.commands[command_id]
    return Reply([command_payload(world, c) for c in kept])


@routes.add("GET", "/applications/{application_id}/commands")
@routes.add("GET", "/applications/{application_id}/guilds/{guild_id}/commands")
async def list_commands(ctx: Ctx) -> Reply:
    """Commands registered in the scope."""
    guild = _app(ctx)
    found = [c for c in ctx.world.commands.values() if c["_guild"] == guild]
    return Reply([command_payload(ctx.world, c) for c in found])


@routes.add("POST", "/applications/{application_id}/commands")
@routes.add("POST", "/applications/{application_id}/guilds/{guild_id}/commands")
async def create_command(ctx: Ctx) -> Reply:
    """Create or replace one command."""
    command = _upsert(ctx.world, _app(ctx), ctx.body or {})
    return Reply(command_payload(ctx.world, command), 201)


@routes.add("DELETE", "/applications/{application_id}/commands/{command_id}")
@routes.add("DELETE", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
async def delete_command(ctx: Ctx) -> Reply:
    """Delete one command."""
    _app(ctx)
    if ctx.world.commands.pop(ctx.snowflake("command_id"), None) is None:
        raise not_found("application command", 10063)
    return Reply(None)
