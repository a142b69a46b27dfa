"""/discuss: join an episode's private discussion thread once your progress reaches it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.episodes import episode_label, progress_phrase
from bot.ui.autocomplete import episode_autocomplete, show_autocomplete
from bot.ui.discussion import ASK, DiscussButton, add_to_thread
from bot.ui.replies import send_private
from bot.watchparty.discussion import ThreadAccess

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot


def _refusal(access: ThreadAccess) -> str:
    code = access.thread.episode.code
    return (
        f"The **{episode_label(access.show.title, access.thread.episode)}** thread is for "
        f"members who have watched {code}, "
        f"and {progress_phrase(access.progress, access.show.title)}. "
        "Watched it already? Update your progress to join."
    )


class DiscussCog(commands.Cog, name="Discuss"):
    """Episode discussion threads, gated by watch progress."""

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot

    @app_commands.command(name="discuss", description="Join an episode's discussion thread")
    @app_commands.describe(show="The show", episode="Which episode's thread")
    @app_commands.autocomplete(show=show_autocomplete, episode=episode_autocomplete)
    @app_commands.guild_only()
    async def discuss(
        self,
        interaction: discord.Interaction,
        show: app_commands.Range[str, 1, 100],
        episode: app_commands.Range[str, 1, 60],
    ) -> None:
        """Add the member if their progress reaches the episode; else offer to catch up."""
        guild = interaction.guild
        assert guild is not None
        access = await self.bot.discussion.access(guild.id, interaction.user.id, show, episode)
        if not access.allowed:
            button = DiscussButton(ASK, access.show.id, access.thread.episode)
            await send_private(interaction, _refusal(access), button)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)  # up to three requests
        thread = await add_to_thread(self.bot, guild, interaction.user, access.thread.thread_id)
        await send_private(interaction, f"You're in {thread.mention}. Enjoy the discussion!")
