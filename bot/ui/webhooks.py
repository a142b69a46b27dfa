"""Each channel's webhook for reposts: kept in memory, renewed when Discord forgets it.

A repost costs one request (execute the webhook) once the channel's webhook is known; the
webhook list is read (and the webhook created if needed) only on first use in a channel and
again after Discord answers Unknown Webhook (10015), e.g. because someone deleted it.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Sequence

import discord
from discord.utils import MISSING

from bot.ui.replies import NO_MENTIONS

WEBHOOK_NAME = "Cliffhanger"
UNKNOWN_WEBHOOK = 10015
TOO_MANY_WEBHOOKS = (30007, 30058)  # the channel's 15, the server's 1,000
FULL_RECHECK_SECONDS = 600.0
NEUTRAL_NAME = "Member"
MAX_NAME = 80
GuardedChannel = discord.TextChannel | discord.Thread | discord.VoiceChannel | discord.StageChannel
"""Where the guard reads and reposts messages: text, threads and forum posts, voice text chat."""
HookChannel = (
    discord.TextChannel | discord.ForumChannel | discord.VoiceChannel | discord.StageChannel
)
"""Channels that hold webhooks (a thread or forum post writes through its parent's)."""

# Discord refuses webhook names containing these (any case) or equal to the reserved ones;
# one letter swapped for its Cyrillic twin reads the same and passes.
_FORBIDDEN = re.compile("clyde|discord", re.IGNORECASE)
_RESERVED = frozenset({"everyone", "here", "system message"})
_TWINS = str.maketrans("ceoaiCEOAI", "сеоаіСЕОАІ")


class NoWebhook(Exception):
    """The channel cannot give the bot a webhook (it already holds Discord's maximum)."""


def webhook_username(name: str) -> str:
    """A webhook username Discord accepts that reads like `name` (a letter swapped if needed)."""
    trimmed = " ".join(name.split())[:MAX_NAME]
    if not trimmed:
        return NEUTRAL_NAME
    trimmed = _FORBIDDEN.sub(lambda match: _disguise(match[0]), trimmed)
    if trimmed.casefold() in _RESERVED:
        trimmed = _disguise(trimmed)
    return trimmed


def _disguise(word: str) -> str:
    """`word` with its first letter that has a look-alike replaced by it."""
    for index, letter in enumerate(word):
        twin = letter.translate(_TWINS)
        if twin != letter:
            return word[:index] + twin + word[index + 1 :]
    return word


def webhook_holder(channel: GuardedChannel) -> HookChannel:
    """The channel whose webhook posts in `channel` (a thread's parent, else itself)."""
    holder = channel.parent if isinstance(channel, discord.Thread) else channel
    if not isinstance(holder, HookChannel):
        raise ValueError("this channel cannot hold webhooks")
    return holder


class ChannelWebhooks:
    """The bot's webhook in each channel, fetched or created once and kept in memory."""

    def __init__(self) -> None:
        self._hooks: dict[int, discord.Webhook] = {}
        self._full: dict[int, float] = {}  # channel id -> when Discord said it was full
        self._locks: dict[int, asyncio.Lock] = {}

    def forget(self, channel_id: int) -> None:
        """Drop what is known of a channel's webhook (it will be fetched again on next use)."""
        self._hooks.pop(channel_id, None)
        self._full.pop(channel_id, None)

    async def get(self, channel: GuardedChannel) -> discord.Webhook:
        """The bot's webhook for `channel`; raise NoWebhook when the channel is full.

        A full channel is asked again only after FULL_RECHECK_SECONDS, so its reposts do not
        cost a list and a refused create each.
        """
        holder = webhook_holder(channel)
        cached = self._hooks.get(holder.id)
        if cached is not None:
            return cached
        async with self._locks.setdefault(holder.id, asyncio.Lock()):
            if self._known_full(holder.id):
                raise NoWebhook("this channel holds Discord's maximum of webhooks")
            if holder.id not in self._hooks:
                try:
                    self._hooks[holder.id] = await _find_or_create(holder)
                except NoWebhook:
                    self._full[holder.id] = time.monotonic()
                    raise
            return self._hooks[holder.id]

    def _known_full(self, channel_id: int) -> bool:
        full_since = self._full.get(channel_id)
        return full_since is not None and time.monotonic() - full_since < FULL_RECHECK_SECONDS

    async def send(
        self,
        channel: GuardedChannel,
        content: str,
        *,
        username: str,
        avatar_url: str | None,
        files: Sequence[discord.File] = (),
        view: discord.ui.View = MISSING,
    ) -> discord.WebhookMessage:
        """Post through the channel's webhook; once renew it and retry if Discord forgot it."""
        thread = channel if isinstance(channel, discord.Thread) else MISSING
        attempts = 2
        while True:
            attempts -= 1
            webhook = await self.get(channel)
            try:
                return await webhook.send(
                    content,
                    username=webhook_username(username),
                    avatar_url=avatar_url or MISSING,
                    allowed_mentions=NO_MENTIONS,
                    files=list(files),
                    view=view,
                    thread=thread,
                    wait=True,
                )
            except discord.NotFound as error:
                if error.code != UNKNOWN_WEBHOOK or attempts == 0:
                    raise
                self.forget(webhook_holder(channel).id)
                for file in files:
                    file.reset()


async def _find_or_create(holder: HookChannel) -> discord.Webhook:
    me = holder.guild.me
    for webhook in await holder.webhooks():
        if webhook.user is not None and webhook.user.id == me.id and webhook.token:
            return webhook
    try:
        return await holder.create_webhook(name=WEBHOOK_NAME, reason="Reposting spoilers")
    except discord.HTTPException as error:
        if error.code in TOO_MANY_WEBHOOKS:
            raise NoWebhook(str(error)) from error
        raise
