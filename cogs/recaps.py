"""/recap and /catchup: recaps from the review corpus, clipped to each reader's progress."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.episodes import EpisodeRef, episode_label, progress_phrase
from bot.recaps.service import Recap
from bot.ui.autocomplete import episode_autocomplete, show_autocomplete
from bot.ui.errors import reports_errors
from bot.ui.hidden import post_recap
from bot.ui.replies import send_private

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot


class RecapAnywayButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"cliffhanger:recap:(?P<show>\d+):(?P<season>\d+):(?P<episode>\d+)",
):
    """'Show anyway' under a recap warning; survives restarts through its custom_id."""

    def __init__(self, show_id: int, episode: EpisodeRef) -> None:
        self.show_id = show_id
        self.episode = episode
        super().__init__(
            discord.ui.Button(
                label="Show anyway",
                style=discord.ButtonStyle.danger,
                custom_id=f"cliffhanger:recap:{show_id}:{episode.season}:{episode.episode}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RecapAnywayButton:
        """Rebuild the button from its custom_id."""
        return cls(int(match["show"]), EpisodeRef(int(match["season"]), int(match["episode"])))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        """The member chose to read past their progress."""
        bot: CliffhangerBot = interaction.client  # type: ignore[assignment]
        show = bot.catalog.catalog.by_id(self.show_id)
        if show is None:
            await send_private(interaction, "That show is no longer in the corpus.")
            return
        recap = await bot.recaps.recap(show, self.episode, interaction.guild_id)
        await send_private(interaction, _private_recap(recap))


def _private_recap(recap: Recap) -> str:
    rating = f" · {recap.rating_text}" if recap.rating_text else ""
    return f"📺 **{episode_label(recap.show.title, recap.episode)}**{rating}\n{recap.text}"


class RecapCog(commands.Cog, name="Recaps"):
    """Episode recaps and catch-ups from the review corpus."""

    recap = app_commands.Group(name="recap", description="Episode recaps from the review corpus")

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot

    @recap.command(name="view", description="Read an episode's recap (just you)")
    @app_commands.describe(show="The show", episode="Default: the last episode you watched")
    @app_commands.autocomplete(show=show_autocomplete, episode=episode_autocomplete)
    async def recap_view(
        self,
        interaction: discord.Interaction,
        show: app_commands.Range[str, 1, 100],
        episode: app_commands.Range[str, 1, 60] | None = None,
    ) -> None:
        """Send a recap privately; past the member's progress, warn first."""
        request = await self.bot.recaps.request(interaction.user.id, show, episode)
        if request.past_progress:
            where = progress_phrase(request.progress, request.show.title)
            await send_private(
                interaction,
                f"⚠ **{episode_label(request.show.title, request.episode)}** is past your progress "
                f"({where}). Show the recap anyway?",
                RecapAnywayButton(request.show.id, request.episode),
            )
            return
        recap = await self.bot.recaps.recap(request.show, request.episode, interaction.guild_id)
        await send_private(interaction, _private_recap(recap))

    @app_commands.command(
        name="post-recap", description="Post a spoiler-tagged recap in this channel (moderators)"
    )
    @app_commands.describe(show="The show", episode="Which episode")
    @app_commands.autocomplete(show=show_autocomplete, episode=episode_autocomplete)
    @app_commands.default_permissions(manage_messages=True)
    @app_commands.checks.has_permissions(manage_messages=True)
    @app_commands.guild_only()
    async def recap_post(
        self,
        interaction: discord.Interaction,
        show: app_commands.Range[str, 1, 100],
        episode: app_commands.Range[str, 1, 60],
    ) -> None:
        """Post the recap for everyone, hidden under spoiler tags with a Reveal button."""
        show_info, chosen = self.bot.catalog.resolve_episode(show, episode)
        recap = await self.bot.recaps.recap(show_info, chosen, interaction.guild_id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        channel = interaction.channel
        assert interaction.guild_id is not None and isinstance(channel, discord.abc.Messageable)
        sent = await post_recap(
            self.bot.hidden, channel, recap, guild_id=interaction.guild_id, channel_id=channel.id
        )
        await interaction.followup.send(
            f"Posted the {episode_label(recap.show.title, recap.episode)} recap "
            f"({len(sent)} message{'s' if len(sent) != 1 else ''}).",
            ephemeral=True,
        )

    @app_commands.command(name="catchup", description="'Previously on…' up to where you are")
    @app_commands.describe(show="The show")
    @app_commands.autocomplete(show=show_autocomplete)
    async def catchup(
        self, interaction: discord.Interaction, show: app_commands.Range[str, 1, 100]
    ) -> None:
        """A short summary of every episode up to the member's progress, privately."""
        text = await self.bot.recaps.catchup(interaction.user.id, show, interaction.guild_id)
        await send_private(interaction, text)


async def setup(bot: CliffhangerBot) -> None:
    """Load the recap cog."""
    bot.add_dynamic_items(RecapAnywayButton)
    await bot.add_cog(RecapCog(bot))
