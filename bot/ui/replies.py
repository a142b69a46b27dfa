"""Replies only the member sees: long text split within Discord's limit, buttons on the last."""

from __future__ import annotations

from typing import Any

import discord

from bot.ui.tagging import plain_messages

NO_MENTIONS = discord.AllowedMentions.none()


def _view_of(items: tuple[discord.ui.Item[Any], ...]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    return view


async def send_private(
    interaction: discord.Interaction, text: str, *items: discord.ui.Item[Any]
) -> None:
    """Answer ephemerally, whether or not the interaction was already answered or deferred."""
    messages = plain_messages(text) or ["(nothing to show)"]
    for index, message in enumerate(messages):
        last = index == len(messages) - 1
        view: discord.ui.View = _view_of(items) if items and last else discord.utils.MISSING
        if interaction.response.is_done():
            await interaction.followup.send(
                message, ephemeral=True, allowed_mentions=NO_MENTIONS, view=view
            )
        else:
            await interaction.response.send_message(
                message, ephemeral=True, allowed_mentions=NO_MENTIONS, view=view
            )
