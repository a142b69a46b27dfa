"""The watch party's Discord adapter: posts firings (recap, private thread, closing message)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord

from bot.catalog.episodes import episode_label
from bot.recaps.service import Recap
from bot.ui.hidden import post_recap
from bot.ui.replies import NO_MENTIONS
from bot.watchparty.discussion import thread_name
from bot.watchparty.firing import PostingFailed
from bot.watchparty.store import ScheduleRow

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

log = logging.getLogger(__name__)
THREAD_ARCHIVE_MINUTES: Literal[10080] = 10080  # a week


class DiscordPoster:
    """Posts firings to Discord: recap (with Reveal), private thread, closing message."""

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot

    async def _channel(self, row: ScheduleRow) -> discord.TextChannel:
        channel = self.bot.get_channel(row.channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(row.channel_id)
            except discord.HTTPException as exc:
                raise PostingFailed(f"channel {row.channel_id} is unavailable: {exc}") from exc
        if not isinstance(channel, discord.TextChannel):
            raise PostingFailed(f"channel {row.channel_id} is not a text channel")
        return channel

    async def post_recap(self, row: ScheduleRow, recap: Recap, note: str | None) -> int:
        """Post the recap under spoiler tags (a late note first, if any)."""
        channel = await self._channel(row)
        try:
            if note:
                label = episode_label(recap.show.title, recap.episode)
                await channel.send(f"⏰ {label} recap {note}.", allowed_mentions=NO_MENTIONS)
            sent = await post_recap(
                self.bot.hidden, channel, recap, guild_id=row.guild_id, channel_id=channel.id
            )
        except discord.HTTPException as exc:
            raise PostingFailed(str(exc)) from exc
        return sent[0].id

    async def open_thread(self, row: ScheduleRow, recap: Recap, members: list[int]) -> int:
        """Open the episode's private thread and add members who have watched that far."""
        channel = await self._channel(row)
        try:
            thread = await channel.create_thread(
                name=thread_name(recap.show.title, recap.episode),
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
            await thread.send(_thread_welcome(recap), allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            raise PostingFailed(str(exc)) from exc
        for user_id in members:
            member = channel.guild.get_member(user_id)
            if member is not None and not member.bot:
                try:
                    await thread.add_user(member)
                except discord.HTTPException:
                    log.warning("could not add %s to thread %s", user_id, thread.id)
        return thread.id

    async def post_text(self, row: ScheduleRow, text: str) -> None:
        """Post a plain message in the schedule's channel."""
        channel = await self._channel(row)
        try:
            await channel.send(text, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            raise PostingFailed(str(exc)) from exc


def _thread_welcome(recap: Recap) -> str:
    code, title = recap.episode.code, recap.show.title
    return (
        f"💬 Discussion of **{episode_label(title, recap.episode)}**: everything up to {code} "
        "is fair game here. "
        f"Members join with `/discuss show:{title} episode:{code}` once they have watched it."
    )
