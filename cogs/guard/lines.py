"""/channel-show (moderators) ties a channel to a show; /channel describes it and its watchers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui.autocomplete import show_autocomplete
from bot.ui.replies import send_private

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot


def _channel_id(interaction: discord.Interaction) -> int:
    channel = interaction.channel
    if isinstance(channel, discord.Thread) and channel.parent_id:
        return channel.parent_id
    assert interaction.channel_id is not None
    return interaction.channel_id


class ChannelCog(commands.Cog, name="Channels"):
    """Which show a channel talks about, and up to where."""

    channel = app_commands.Group(
        name="channel", description="This channel's show and spoiler line", guild_only=True
    )
    show = app_commands.Group(name="show", description="This channel's show", parent=channel)
    watchers = app_commands.Group(
        name="watchers", description="Members whose pace sets the line", parent=channel
    )

    channel_show = app_commands.Group(
        name="channel-show",
        description="Tie this channel to a show and set its spoiler line (moderators)",
        guild_only=True,
        default_permissions=discord.Permissions(manage_channels=True),
    )

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot

    @channel_show.command(
        name="set", description="Tie this channel to a show and set its spoiler line"
    )
    @app_commands.describe(
        show="The show this channel talks about",
        open_up_to="Talk is open up to this episode (default: nothing past the premise)",
        follow_watchers="Follow the slowest watcher; one alone can lower the line, never raise it",
    )
    @app_commands.autocomplete(show=show_autocomplete)
    @app_commands.checks.has_permissions(manage_channels=True)
    async def show_set(
        self,
        interaction: discord.Interaction,
        show: app_commands.Range[str, 1, 100],
        open_up_to: app_commands.Range[str, 1, 60] | None = None,
        follow_watchers: bool = False,
    ) -> None:
        """Tie the channel to a show."""
        assert interaction.guild_id is not None
        line = await self.bot.channel_lines.set(
            interaction.guild_id, _channel_id(interaction), show, open_up_to, follow_watchers
        )
        await send_private(interaction, f"This channel is now about {line.describe()}.")

    @channel_show.command(name="clear", description="Untie this channel from its show")
    @app_commands.checks.has_permissions(manage_channels=True)
    async def show_clear(self, interaction: discord.Interaction) -> None:
        """Untie the channel."""
        await self.bot.channel_lines.clear(_channel_id(interaction))
        await send_private(interaction, "This channel is no longer tied to a show.")

    @show.command(name="info", description="Which show this channel is about, and its line")
    async def show_info(self, interaction: discord.Interaction) -> None:
        """Describe the channel's show and line."""
        line = await self.bot.channel_lines.get(_channel_id(interaction))
        await send_private(interaction, f"This channel is about {line.describe()}.")

    @watchers.command(
        name="join",
        description="Your pace sets the line: the slowest watcher's, never above the others'",
    )
    async def watchers_join(self, interaction: discord.Interaction) -> None:
        """Add the member to the watchers."""
        line, added = await self.bot.channel_lines.join(
            _channel_id(interaction), interaction.user.id
        )
        first = "You joined the watchers." if added else "You were already a watcher."
        text = f"{first} {line.describe()}."
        if await self.bot.progress.get(interaction.user.id, line.show) is None:
            text += (
                f"\nYou haven't recorded progress in {line.show.title}: record it with "
                "`/progress set` so the line can follow you."
            )
        if not await self.bot.progress.is_public(interaction.user.id):
            text += (
                "\nYour progress is private, but as a watcher your pace can move this "
                "channel's line, which everyone sees; `/channel watchers leave` to stop."
            )
        await send_private(interaction, text)

    @watchers.command(name="leave", description="Leave this channel's watchers")
    async def watchers_leave(self, interaction: discord.Interaction) -> None:
        """Remove the member from the watchers."""
        line, removed = await self.bot.channel_lines.leave(
            _channel_id(interaction), interaction.user.id
        )
        first = "You left the watchers." if removed else "You weren't a watcher."
        await send_private(interaction, f"{first} {line.describe()}.")
