"""Walk every extension: it loads, and its commands and buttons follow the house rules."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import discord
import pytest
from discord import app_commands

from bot.app.client import EXTENSIONS, CliffhangerBot
from bot.app.settings import Settings
from db import migrate

STATE_CHANGING = {
    "post-recap": "manage_messages",
    "corpus add": "manage_guild",
    "channel-show set": "manage_channels",
    "channel-show clear": "manage_channels",
    "spoilers mode": "manage_guild",
    "spoilers log": "manage_guild",
    "spoilers style": "manage_guild",
    "spoilers reports": "manage_guild",
    "phrases list": "manage_messages",
    "phrases remove": "manage_messages",
}


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[CliffhangerBot]:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'cogs.db'}")
    client = CliffhangerBot(settings)
    await migrate.upgrade(client.engine)
    client.add_persistent_items()
    for extension in EXTENSIONS:
        await client.load_extension(extension)
    yield client
    await client.engine.dispose()


def _walk(commands: list) -> Iterator[app_commands.Command]:
    for command in commands:
        if isinstance(command, app_commands.Group):
            yield from _walk(command.commands)
        elif isinstance(command, app_commands.Command):
            yield command


def _extension_of(module: str) -> str | None:
    return next((e for e in EXTENSIONS if module == e or module.startswith(f"{e}.")), None)


async def test_every_extension_loads_a_cog(bot: CliffhangerBot) -> None:
    assert set(bot.extensions) == set(EXTENSIONS)
    homes = {cog.qualified_name: _extension_of(type(cog).__module__) for cog in bot.cogs.values()}
    assert None not in homes.values(), homes  # every cog belongs to a feature's extension
    assert set(homes.values()) == set(EXTENSIONS), homes  # and every extension adds one
    for cog in bot.cogs.values():  # no pseudo-cogs that only register views
        assert cog.get_app_commands() or cog.get_listeners(), cog.qualified_name


async def test_every_command_and_option_is_described(bot: CliffhangerBot) -> None:
    commands = list(_walk(bot.tree.get_commands()))
    assert len(commands) >= 15
    for command in commands:
        assert command.description and command.description != "…", command.qualified_name
        for parameter in command.parameters:
            assert parameter.description and parameter.description != "…", (
                f"/{command.qualified_name} {parameter.name}"
            )


async def test_state_changing_commands_are_hidden_from_members(bot: CliffhangerBot) -> None:
    """Discord reads default_member_permissions on top-level commands only: check the payload."""
    payloads = {p["name"]: p for p in (c.to_dict(bot.tree) for c in bot.tree.get_commands())}
    by_name = {command.qualified_name: command for command in _walk(bot.tree.get_commands())}
    for name, permission in STATE_CHANGING.items():
        top = payloads[name.split()[0]]
        required = top.get("default_member_permissions")
        flag = getattr(discord.Permissions, permission).flag
        assert required is not None and int(required) & flag, name
        assert by_name[name].checks, f"/{name} is checked again when it runs"


async def test_no_subcommand_claims_permissions_discord_would_ignore(bot: CliffhangerBot) -> None:
    for command in _walk(bot.tree.get_commands()):
        if command.parent is not None:
            assert command.default_permissions is None, command.qualified_name


async def test_payloads_fit_discord_limits(bot: CliffhangerBot) -> None:
    for command in bot.tree.get_commands(type=discord.AppCommandType.chat_input):
        payload = command.to_dict(bot.tree)
        assert len(payload["name"]) <= 32 and payload["name"] == payload["name"].lower()
        assert len(payload.get("description", "")) <= 100


async def test_persistent_buttons_are_namespaced(bot: CliffhangerBot) -> None:
    views = bot.persistent_views
    assert views, "the Reveal view must be registered at startup"
    for view in views:
        for item in view.children:
            if isinstance(item, discord.ui.Button) and item.custom_id:
                assert item.custom_id.startswith("cliffhanger:"), item.custom_id
    for pattern in bot._connection._view_store._dynamic_items:
        assert pattern.pattern.startswith("cliffhanger:")


async def test_context_menu_is_registered(bot: CliffhangerBot) -> None:
    menus = bot.tree.get_commands(type=discord.AppCommandType.message)
    assert [menu.name for menu in menus] == ["Mark as spoiler"]
