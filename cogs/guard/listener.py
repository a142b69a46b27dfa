"""The spoiler guard: check every message (and edit) and hide what spoils past the line."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.episodes import episode_label
from bot.guard.reposts import hide
from bot.guard.service import Finding
from bot.ui.autocomplete import episode_autocomplete, show_autocomplete
from bot.ui.replies import NO_MENTIONS
from bot.ui.tagging import spoiler_within
from bot.ui.webhooks import GuardedChannel
from cogs.guard.reposting import DiscordOriginal, repost_hidden

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

log = logging.getLogger(__name__)


def _parent_id(channel: object) -> int | None:
    return channel.parent_id if isinstance(channel, discord.Thread) else None


class SpoilerGuardCog(commands.Cog, name="Spoiler guard"):
    """Hides plot reveals past a channel's line and lets members share spoilers safely."""

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Build the spoiler index from the corpus."""
        await self.bot.spoiler_indexes.refresh()

    @commands.Cog.listener()
    async def on_corpus_changed(self, guild_id: int | None = None) -> None:
        """Rebuild the shared index when it changed, else the one server's layered index."""
        if guild_id is None:
            await self.bot.spoiler_indexes.refresh()
        else:
            await self.bot.spoiler_indexes.for_guild(guild_id)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Check a new message."""
        await self._guard(message)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """Check an edited message again."""
        if "content" in payload.data and payload.message is not None:
            await self._guard(payload.message)

    async def _guard(self, message: discord.Message) -> None:
        if message.guild is None or message.author.bot or message.webhook_id is not None:
            return
        if not isinstance(message.channel, GuardedChannel):
            return  # text channels, threads and forum posts, voice channels' text chat
        finding = await self.bot.guard.check(
            message.guild.id, message.channel.id, _parent_id(message.channel), message.content
        )
        if finding is None:
            return
        settings = await self.bot.guard_settings.get(message.guild.id)
        mode = settings.spoiler_mode
        acted = "logged"
        if mode == "repost":
            original = DiscordOriginal(self.bot, message)
            hidden = await hide(original, finding.show, finding.episode)
            acted = "reposted under spoiler tags" if hidden else "could not hide it; warned"
        elif mode == "warn":
            await self._warn(message, finding)
            acted = "warned"
        await self._mod_log(settings.mod_log_channel_id, message, finding, acted)

    async def _warn(self, message: discord.Message, finding: Finding) -> None:
        text = (
            f"⚠ Heads-up: this message may spoil **{finding.label}** "
            f"(talk here is open up to {finding.line.code})."
        )
        await message.reply(text, allowed_mentions=NO_MENTIONS, mention_author=False)

    async def _mod_log(
        self, channel_id: int | None, message: discord.Message, finding: Finding, acted: str
    ) -> None:
        if channel_id is None:
            return
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            return
        where = message.channel
        assert isinstance(where, GuardedChannel)  # checked by _guard
        embed = discord.Embed(title=f"Spoiler · {finding.label}", description=acted)
        embed.add_field(name="Author", value=message.author.mention)
        embed.add_field(name="Where", value=f"{where.mention} (line {finding.line.code})")
        embed.add_field(name="Score", value=f"{finding.verdict.score:.2f}")
        first = finding.verdict.episode
        if first is not None and first != finding.episode:
            embed.add_field(name="First spoils", value=first.code)
        for item in finding.verdict.evidence[:3]:
            embed.add_field(
                name=f"Evidence · {item.source} · {item.episode.code}",
                value=spoiler_within("", item.matched, 1024) or "(nothing shown)",
                inline=False,
            )
        try:
            await channel.send(embed=embed, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as error:
            log.warning("could not write to the moderator log %s: %s", channel_id, error)

    @app_commands.command(name="spoiler", description="Post your own labelled spoiler")
    @app_commands.describe(
        show="The show it spoils", episode="The episode it spoils", text="What you want to say"
    )
    @app_commands.autocomplete(show=show_autocomplete, episode=episode_autocomplete)
    @app_commands.guild_only()
    async def spoiler(
        self,
        interaction: discord.Interaction,
        show: app_commands.Range[str, 1, 100],
        episode: app_commands.Range[str, 1, 60],
        text: app_commands.Range[str, 1, 1800],
    ) -> None:
        """Repost the member's text under their name, tagged and labelled, with Reveal."""
        show_info, claimed = self.bot.catalog.resolve_episode(show, episode)
        channel = interaction.channel
        assert isinstance(channel, GuardedChannel)
        await interaction.response.defer(ephemeral=True)
        guild_id = interaction.guild_id
        spoiled = await self.bot.guard.own_label(guild_id, show_info, claimed, text)
        try:
            await repost_hidden(
                self.bot,
                channel=channel,
                author=interaction.user,
                text=text,
                attachments=[],
                show=show_info,
                episode=spoiled,
                kind="spoiler",
            )
        except (discord.HTTPException, ValueError):
            await interaction.followup.send(
                "I couldn't post it here (I need Manage Webhooks). Nothing was posted.",
                ephemeral=True,
            )
            return
        later = "" if spoiled == claimed else f" (it reveals more than {claimed.code})"
        await interaction.followup.send(
            f"Posted, labelled {episode_label(show_info.title, spoiled)}{later}.", ephemeral=True
        )
