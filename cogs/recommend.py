"""/rate, /recommend, /watchnext and /party suggest: spoiler-safe recommendations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.episodes import EpisodeRef
from bot.ui.autocomplete import show_autocomplete
from bot.ui.recommend import suggestion_buttons
from bot.ui.replies import NO_MENTIONS, send_private
from bot.ui.tagging import plain_messages

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot


def _member_ids(members: list[discord.Member]) -> list[int]:
    return [member.id for member in members if not member.bot]


def _server_members(interaction: discord.Interaction) -> list[int]:
    return _member_ids(list(interaction.guild.members)) if interaction.guild else []


class RecommendCog(commands.Cog, name="Recommendations"):
    """What to watch next, explained, with blurbs that never spoil."""

    party = app_commands.Group(
        name="party", description="Watch together in this channel", guild_only=True
    )

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_corpus_changed(self, _guild_id: int | None = None) -> None:
        """Forget the similarity model built from the old corpus."""
        self.bot.recommender.invalidate()

    @app_commands.command(name="rate", description="Rate a show from 1 to 10")
    @app_commands.describe(show="The show", score="1 (awful) to 10 (perfect)")
    @app_commands.autocomplete(show=show_autocomplete)
    async def rate(
        self,
        interaction: discord.Interaction,
        show: app_commands.Range[str, 1, 100],
        score: app_commands.Range[int, 1, 10],
    ) -> None:
        """Record the member's rating."""
        view = await self.bot.recommender.rate(interaction.user.id, show, score)
        await send_private(interaction, view.line())

    @app_commands.command(name="recommend", description="Shows you might like to start")
    @app_commands.describe(count="How many suggestions (1–10, default 3)")
    async def recommend(
        self, interaction: discord.Interaction, count: app_commands.Range[int, 1, 10] = 3
    ) -> None:
        """Suggest shows the member hasn't started, each with a reason and a safe blurb."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        results = await self.bot.recommender.recommend(
            interaction.user.id, _server_members(interaction), count
        )
        if not results:
            await send_private(interaction, "You've started every show I know! Try `/watchnext`.")
            return
        text = "**You might like**\n" + "\n".join(result.line() for result in results)
        buttons = suggestion_buttons([(result.show.id, result.show.title) for result in results])
        await send_private(interaction, text, *buttons)

    @app_commands.command(name="watchnext", description="Your next episodes and who to talk to")
    async def watchnext(self, interaction: discord.Interaction) -> None:
        """For each show in progress: the next episode's code, peers, and open threads."""
        threads: dict[int, list[EpisodeRef]] = {}
        if interaction.guild_id is not None:
            threads = await self.bot.discussion.open_threads(interaction.guild_id)
        nexts = await self.bot.recommender.watch_next(
            interaction.user.id, _server_members(interaction), threads
        )
        if not nexts:
            text = "Nothing in progress. Record a show with `/progress set`, or try `/recommend`."
        else:
            text = "**Up next**\n" + "\n".join(item.line() for item in nexts)
        await send_private(interaction, text)

    @party.command(name="suggest", description="What this channel's members could watch together")
    @app_commands.describe(count="How many new shows to suggest (1–10, default 3)")
    async def party_suggest(
        self, interaction: discord.Interaction, count: app_commands.Range[int, 1, 10] = 3
    ) -> None:
        """Shows nobody here started, and where everyone is in the shows they share."""
        channel = interaction.channel
        members = channel.members if isinstance(channel, discord.TextChannel) else []
        await interaction.response.defer(thinking=True)
        plan = await self.bot.recommender.party_suggest(
            _member_ids(members), count, _server_members(interaction)
        )
        lines = [plan.heading()] + [r.line() for r in plan.fresh] if plan.fresh else []
        if plan.shared:
            lines += ["**Already shared**"] + [shared.line() for shared in plan.shared]
        if lines and plan.note():
            lines.append(plan.note())
        text = "\n".join(lines) or "I couldn't find anything for this group yet."
        for message in plain_messages(text):  # ten picks with blurbs outgrow one message
            await interaction.followup.send(message, allowed_mentions=NO_MENTIONS)


async def setup(bot: CliffhangerBot) -> None:
    """Load the recommendations cog."""
    await bot.add_cog(RecommendCog(bot))
