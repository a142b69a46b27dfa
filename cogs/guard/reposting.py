"""The guard's Discord adapter: webhook reposts, deletes and warnings, and the Repost buttons."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.catalog.episodes import EpisodeRef, episode_label
from bot.catalog.shows import ShowInfo
from bot.guard.reposts import HideFailed
from bot.ui.hidden import HiddenText, hidden_parts, post_hidden
from bot.ui.replies import NO_MENTIONS
from bot.ui.reveal import RevealView

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

log = logging.getLogger(__name__)
WEBHOOK_NAME = "Cliffhanger"
DELETE_ID = "cliffhanger:delete"
GuildChannel = discord.TextChannel | discord.Thread


class RepostView(RevealView):
    """Reveal plus Delete (for the original author) under a reposted spoiler."""

    @discord.ui.button(label="Delete", style=discord.ButtonStyle.secondary, custom_id=DELETE_ID)
    async def delete(
        self, interaction: discord.Interaction, _button: discord.ui.Button[RepostView]
    ) -> None:
        """Let the author (or a moderator) remove the repost."""
        bot: CliffhangerBot = interaction.client  # type: ignore[assignment]
        assert interaction.message is not None
        post = await bot.hidden.get(interaction.message.id)
        perms = interaction.permissions
        if interaction.user.id != post.author_id and not perms.manage_messages:
            await interaction.response.send_message(
                "Only the author or a moderator can delete this.", ephemeral=True
            )
            return
        await interaction.response.defer(ephemeral=True)
        await interaction.message.delete()
        await interaction.followup.send("Deleted.", ephemeral=True)


def spoiler_label(show: ShowInfo, episode: EpisodeRef) -> str:
    """The visible label above hidden text."""
    return f"⚠ **Spoiler · {episode_label(show.title, episode)}**"


async def channel_webhook(bot: CliffhangerBot, channel: GuildChannel) -> discord.Webhook:
    """The bot's webhook in the channel (a thread uses its parent's), created on first use."""
    parent = channel.parent if isinstance(channel, discord.Thread) else channel
    if not isinstance(parent, discord.TextChannel):
        raise ValueError("spoilers can only be reposted in text channels and their threads")
    for webhook in await parent.webhooks():
        if webhook.user and bot.user and webhook.user.id == bot.user.id and webhook.token:
            return webhook
    return await parent.create_webhook(name=WEBHOOK_NAME, reason="Reposting spoilers under tags")


async def repost_hidden(
    bot: CliffhangerBot,
    *,
    channel: GuildChannel,
    author: discord.Member | discord.User,
    text: str,
    attachments: list[discord.Attachment],
    show: ShowInfo,
    episode: EpisodeRef,
    kind: str = "repost",
) -> list[discord.WebhookMessage]:
    """Post `text` under the author's name, spoiler-tagged and labelled; remember it for Reveal."""
    webhook = await channel_webhook(bot, channel)
    thread = channel if isinstance(channel, discord.Thread) else discord.utils.MISSING

    async def send(index: int, part: str) -> discord.WebhookMessage:
        files = [await a.to_file(spoiler=True) for a in attachments] if index == 0 else []
        return await webhook.send(
            part,
            username=author.display_name[:80],
            avatar_url=author.display_avatar.url,
            allowed_mentions=NO_MENTIONS,
            files=files,
            view=RepostView(),
            thread=thread,
            wait=True,
        )

    what = HiddenText(channel.guild.id, channel.id, show, episode, text, kind, author.id)
    parts = hidden_parts(spoiler_label(show, episode), text)
    return await post_hidden(bot.hidden, what, parts, send)


class DiscordOriginal:
    """A member's Discord message as the guard's `Original`: webhook copy, delete, warning."""

    def __init__(self, bot: CliffhangerBot, message: discord.Message) -> None:
        channel = message.channel
        assert isinstance(channel, discord.TextChannel | discord.Thread)
        self.bot, self.message, self.channel = bot, message, channel

    async def repost_hidden(self, show: ShowInfo, episode: EpisodeRef) -> None:
        """Repost the message's text and files through the channel's webhook, tagged."""
        message = self.message
        try:
            await repost_hidden(
                self.bot,
                channel=self.channel,
                author=message.author,
                text=message.content,
                attachments=list(message.attachments),
                show=show,
                episode=episode,
            )
        except (discord.HTTPException, ValueError) as error:
            log.warning("could not repost a spoiler in %s: %s", self.channel.id, error)
            raise HideFailed(_reason(error)) from error

    async def delete(self) -> None:
        """Delete the original message."""
        try:
            await self.message.delete()
        except discord.HTTPException as error:
            log.warning("reposted but could not delete %s: %s", self.message.id, error)
            raise HideFailed("I need Manage Messages to remove it") from error

    async def warn(self, show: ShowInfo, episode: EpisodeRef, reason: str) -> None:
        """Reply in the channel that the message may spoil `episode` and is still visible."""
        await warn_unhidden(self.channel, self.message, show, episode, reason)


def _reason(error: Exception) -> str:
    if isinstance(error, discord.Forbidden):
        return "I need the Manage Webhooks permission here"
    return "Discord didn't accept the tagged copy just now"


async def warn_unhidden(
    channel: GuildChannel,
    message: discord.Message,
    show: ShowInfo,
    episode: EpisodeRef,
    reason: str,
) -> None:
    """Tell the channel a message may spoil something that could not be hidden."""
    text = (
        f"⚠ Heads-up: the message above may spoil **{episode_label(show.title, episode)}**, "
        f"but I couldn't hide it ({reason}). Please wrap spoilers in `||` `||`."
    )
    try:
        await channel.send(
            text,
            reference=message.to_reference(fail_if_not_exists=False),
            allowed_mentions=NO_MENTIONS,
        )
    except discord.HTTPException:
        log.warning("could not warn in %s either", channel.id)
