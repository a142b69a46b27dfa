"""Autocomplete callbacks shared by every cog that takes a show or an episode."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.errors import CliffhangerError
from bot.progress.service import episode_choices

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

MAX_CHOICES = 25


async def show_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Shows whose title or alias fuzzily matches what the member typed."""
    bot: CliffhangerBot = interaction.client  # type: ignore[assignment]
    shows = bot.catalog.catalog.search(current, limit=MAX_CHOICES)
    return [app_commands.Choice(name=show.title[:100], value=show.title[:100]) for show in shows]


async def episode_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Episode codes of the show chosen in the same command, starting at the member's place."""
    bot: CliffhangerBot = interaction.client  # type: ignore[assignment]
    show_query = getattr(interaction.namespace, "show", None)
    if not show_query:
        return []
    try:
        show = bot.catalog.resolve(str(show_query))
    except CliffhangerError:
        return []
    position = await bot.progress.get(interaction.user.id, show)
    codes = episode_choices(show, position, current, limit=MAX_CHOICES)
    return [app_commands.Choice(name=code, value=code) for code in codes]
