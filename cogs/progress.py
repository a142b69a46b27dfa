"""/progress: members record where they are in each show."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.progress.service import ProgressView, not_started_line
from bot.ui.autocomplete import episode_autocomplete, show_autocomplete
from bot.ui.discussion import thread_offer
from bot.ui.replies import NO_MENTIONS

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot


def _listing(views: list[ProgressView]) -> str:
    return "\n".join(view.line() for view in views)


class ProgressCog(commands.Cog, name="Progress"):
    """Record and share where you are in each show."""

    progress = app_commands.Group(name="progress", description="Where you are in each show")

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot

    async def _reply(
        self, interaction: discord.Interaction, content: str, view: discord.ui.View | None = None
    ) -> None:
        await interaction.response.send_message(
            content,
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
            view=view if view is not None else discord.utils.MISSING,
        )

    @progress.command(name="set", description="Say which episode you have watched up to")
    @app_commands.describe(
        show="The show (typos are fine)", episode="e.g. S01E05, 1x05, ep 5, finale"
    )
    @app_commands.autocomplete(show=show_autocomplete, episode=episode_autocomplete)
    async def progress_set(
        self,
        interaction: discord.Interaction,
        show: app_commands.Range[str, 1, 100],
        episode: app_commands.Range[str, 1, 60],
    ) -> None:
        """Record the member's position in a show."""
        before = await self.bot.progress.get_named(interaction.user.id, show)
        view = await self.bot.progress.set(interaction.user.id, show, episode)
        offer, buttons = await thread_offer(self.bot, interaction, view.show, before, view.position)
        await self._reply(interaction, f"Saved: {view.line()}{offer}", buttons)

    @progress.command(name="next", description="Mark the next episode as watched")
    @app_commands.describe(show="The show (typos are fine)")
    @app_commands.autocomplete(show=show_autocomplete)
    async def progress_next(
        self, interaction: discord.Interaction, show: app_commands.Range[str, 1, 100]
    ) -> None:
        """Step one episode forward, naming it by code only."""
        before = await self.bot.progress.get_named(interaction.user.id, show)
        view, moved = await self.bot.progress.next(interaction.user.id, show)
        offer, buttons = "", None
        if moved:
            text = f"Marked {view.position.code} as watched. {view.line()}"
            offer, buttons = await thread_offer(
                self.bot, interaction, view.show, before, view.position
            )
        else:
            text = f"You've already finished {view.show.title}. 🎉 {view.line()}"
        await self._reply(interaction, text + offer, buttons)

    @progress.command(name="list", description="Everything you are watching")
    async def progress_list(self, interaction: discord.Interaction) -> None:
        """List the member's progress in every show."""
        views = await self.bot.progress.list(interaction.user.id)
        listed = await self.bot.recommender.watchlist(interaction.user.id)
        if not views and not listed:
            text = "You haven't recorded any progress yet. Try `/progress set`."
        else:
            lines = [view.line() for view in views] + [not_started_line(show) for show in listed]
            text = "Your progress:\n" + "\n".join(lines)
        await self._reply(interaction, text)

    @progress.command(name="clear", description="Forget your progress in a show")
    @app_commands.describe(show="The show (typos are fine)")
    @app_commands.autocomplete(show=show_autocomplete)
    async def progress_clear(
        self, interaction: discord.Interaction, show: app_commands.Range[str, 1, 100]
    ) -> None:
        """Remove the member's progress in one show."""
        cleared = await self.bot.progress.clear(interaction.user.id, show)
        await self._reply(interaction, f"Cleared your progress in **{cleared.title}**.")

    @progress.command(name="of", description="See another member's progress, if they share it")
    @app_commands.describe(member="Whose progress to see")
    async def progress_of(self, interaction: discord.Interaction, member: discord.Member) -> None:
        """Show another member's progress, honouring their privacy setting."""
        views = await self.bot.progress.of_member(interaction.user.id, member.id)
        name = member.display_name
        if not views:
            text = f"{name} hasn't recorded any progress yet."
        else:
            text = f"{name}'s progress:\n" + _listing(views)
        await self._reply(interaction, text)


async def setup(bot: CliffhangerBot) -> None:
    """Load the progress cog."""
    await bot.add_cog(ProgressCog(bot))
