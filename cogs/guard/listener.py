"""The spoiler guard: check every message (and edit) and hide what spoils past the line."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.episodes import episode_label
from bot.guard.journal import DATABASE_ERRORS
from bot.guard.outbox import HIDDEN, WARNED, WITHDRAWN, FileRef, Job, sanitise
from bot.guard.service import Finding
from bot.ui.autocomplete import episode_autocomplete, show_autocomplete
from bot.ui.replies import NO_MENTIONS
from bot.ui.tagging import spoiler_within
from bot.ui.webhooks import GuardedChannel
from cogs.guard.outbox import TASK_PREFIX, OutboxDriver
from cogs.guard.reposting import repost_hidden

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

log = logging.getLogger(__name__)


ACTED = {
    HIDDEN: "reposted under spoiler tags",
    WARNED: "could not hide it; warned",
    WITHDRAWN: "its author deleted it first",
}


def _parent_id(channel: object) -> int | None:
    return channel.parent_id if isinstance(channel, discord.Thread) else None


def new_job(message: discord.Message, finding: Finding) -> Job:
    """The outbox job that hides `message` under the finding's label."""
    assert message.guild is not None
    files = tuple(FileRef(a.id, a.filename, a.url) for a in message.attachments)
    return Job(
        message_id=message.id,
        guild_id=message.guild.id,
        channel_id=message.channel.id,
        author_id=message.author.id,
        show_id=finding.show.id,
        season=finding.episode.season,
        episode=finding.episode.episode,
        label=finding.label,
        text=sanitise(message.content),
        attachments=files,
    )


class CheckedTexts:
    """The text last checked for each recent message, so unchanged text is not checked again."""

    def __init__(self, size: int = 20_000) -> None:
        self._texts: OrderedDict[int, int] = OrderedDict()
        self._size = size

    def fresh(self, message_id: int, text: str) -> bool:
        """True (and remembered) unless this exact text of the message was checked before."""
        fingerprint = hash(text)
        if self._texts.get(message_id) == fingerprint:
            return False
        self._texts[message_id] = fingerprint
        self._texts.move_to_end(message_id)
        if len(self._texts) > self._size:
            self._texts.popitem(last=False)
        return True


class SpoilerGuardCog(commands.Cog, name="Spoiler guard"):
    """Hides plot reveals past a channel's line and lets members share spoilers safely."""

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot
        self.driver = OutboxDriver(bot)
        self._checked = CheckedTexts()
        self._recovered = False
        self._background: set[asyncio.Task[None]] = set()

    async def cog_load(self) -> None:
        """Build the spoiler index (or go on after a while with a partial one); finish hidings."""
        await self.bot.spoiler_indexes.start(self.bot.settings.index_start_wait)
        self.bot.closing.append(self.driver.shutdown)

    @commands.Cog.listener()
    async def on_corpus_changed(self, guild_id: int | None = None) -> None:
        """Rebuild the shared index when it changed, else the one server's layered index."""
        if guild_id is None:
            await self.bot.spoiler_indexes.refresh()
        else:
            await self.bot.spoiler_indexes.for_guild(guild_id)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Once per process: resume open hidings, then catch up on what arrived while away."""
        if self._recovered:
            return
        self._recovered = True
        task = asyncio.get_running_loop().create_task(
            self._recover(), name=f"{TASK_PREFIX}-catch-up"
        )
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _recover(self) -> None:
        try:
            resumed = await self.driver.resume()
            missed = await self.driver.unhandled(await self.bot.guard.warm())
        except DATABASE_ERRORS as error:
            log.error("could not resume the outbox or catch up: %s", error)
            return
        log.info("outbox: resumed %d hidings, catching up on %d messages", resumed, len(missed))
        for message in missed:
            try:
                await self._guard(message)
            except Exception:  # one bad message must not end the catch-up
                log.exception("could not check %s while catching up", message.id)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Check a new message."""
        await self._guard(message)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """Check an edited message again (a link preview, which keeps the text, is no edit)."""
        if "content" in payload.data and payload.message is not None:
            await self._guard(payload.message, edited=True)

    @commands.Cog.listener()
    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        """The author withdrew a message: its hiding must not repost it."""
        self.driver.withdraw(payload.message_id)

    async def _guard(self, message: discord.Message, *, edited: bool = False) -> None:
        if message.guild is None or message.author.bot or message.webhook_id is not None:
            return
        if not isinstance(message.channel, GuardedChannel):
            return  # text channels, threads and forum posts, voice channels' text chat
        if not self._checked.fresh(message.id, message.content):
            return  # a resent event or a link preview: this text was checked already
        guild_id, channel_id = message.guild.id, message.channel.id
        self.bot.outbox.handled(guild_id, channel_id, message.id)
        known = self.bot.outbox.known(message.id)
        if known and not edited:
            return
        finding = await self.bot.guard.check(
            guild_id, channel_id, _parent_id(message.channel), message.content
        )
        if known:  # an edit before the copy is posted: the copy takes the newest text
            relabel = new_job(message, finding) if finding else None
            self.bot.outbox.edit(message.id, message.content, relabel)
            return
        if finding is None:
            return
        settings = await self.bot.guard_settings.get(guild_id)
        if settings.spoiler_mode == "repost":
            await self._hide(message, finding, settings.mod_log_channel_id, edited=edited)
            return
        acted = "logged"
        if settings.spoiler_mode == "warn":
            await self._warn(message, finding)
            acted = "warned"
        await self._mod_log(settings.mod_log_channel_id, message, finding, acted)

    async def _hide(
        self, message: discord.Message, finding: Finding, log_id: int | None, *, edited: bool
    ) -> None:
        """Claim the hiding in the outbox (written before any repost), then drive it."""
        job = new_job(message, finding)
        if not await self.bot.outbox.claim(job):
            if edited:  # the first event claimed it: the copy takes the newer text
                self.bot.outbox.edit(message.id, message.content, job)
            return

        async def ended(done: Job) -> None:
            await self._mod_log(log_id, message, finding, ACTED[done.state])

        self.driver.start(job, message, ended)

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
