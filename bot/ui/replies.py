"""Replies only the member sees: long text split within Discord's limit, buttons on the last."""

from __future__ import annotations

import discord

from bot.ui.tagging import plain_messages

NO_MENTIONS = discord.AllowedMentions.none()


async def send_private(
    interaction: discord.Interaction, text: str, *items: discord.ui.Item[discord.ui.View]
) -> None:
    """Answer ephemerally, whether or not the interaction was already answered or deferred."""
    messages = plain_messages(text) or ["(nothing to show)"]
    for index, message in enumerate(messages):
        view: discord.ui.View = discord.utils.MISSING  # discord.py's "no view" default
        if items and index == len(messages) - 1:
            view = discord.ui.View(timeout=None)
            for item in items:
                view.add_item(item)
        if interaction.response.is_done():
            await interaction.followup.send(
                message, ephemeral=True, allowed_mentions=NO_MENTIONS, view=view
            )
        else:
            await interaction.response.send_message(
                message, ephemeral=True, allowed_mentions=NO_MENTIONS, view=view
            )
