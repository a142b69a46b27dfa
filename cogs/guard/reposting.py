"""Hiding a message: repost it spoiler-tagged through a webhook, then delete the original."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.catalog.episodes import EpisodeRef
from bot.catalog.shows import ShowInfo
from bot.ui.replies import NO_MENTIONS
from bot.ui.reveal import RevealView
from bot.ui.tagging import spoiler_messages

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

log = logging.getLogger(__name__)
WEBHOOK_NAME = "Cliffhanger"
DELETE_ID = "cliffhanger:delete"
GuildChannel = discord.TextChannel | discord.Thread


class RepostView(RevealView):
    """Reveal plus Delete (for the original author) under a reposted spoiler."""

    @discord.ui.button(label="Delete", style=discord.ButtonStyle.secondary, custom_id=DELETE_ID)
    async def delete(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
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
    return f"⚠ **Spoiler · {show.title} {episode.code}**"


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
    parts = (
        spoiler_messages(spoiler_label(show, episode), text)
        if text.strip()
        else [spoiler_label(show, episode)]
    )
    sent: list[discord.WebhookMessage] = []
    for index, part in enumerate(parts):
        files = [await a.to_file(spoiler=True) for a in attachments] if index == 0 else []
        message = await webhook.send(
            part,
            username=author.display_name[:80],
            avatar_url=author.display_avatar.url,
            allowed_mentions=NO_MENTIONS,
            files=files,
            view=RepostView(),
            thread=thread,
            wait=True,
        )
        await bot.hidden.remember(
            message_id=message.id,
            guild_id=channel.guild.id,
            channel_id=channel.id,
            show=show,
            episode=episode,
            content=text,
            kind=kind,
            author_id=author.id,
        )
        sent.append(message)
    return sent


async def hide_message(
    bot: CliffhangerBot, message: discord.Message, show: ShowInfo, episode: EpisodeRef
) -> bool:
    """Repost first; delete the original only once its tagged copy exists. False if not hidden."""
    channel = message.channel
    assert isinstance(channel, discord.TextChannel | discord.Thread)
    try:
        await repost_hidden(
            bot,
            channel=channel,
            author=message.author,
            text=message.content,
            attachments=list(message.attachments),
            show=show,
            episode=episode,
        )
    except (discord.HTTPException, ValueError) as error:
        log.warning("could not repost a spoiler in %s: %s", channel.id, error)
        await warn_unhidden(channel, message, show, episode, _reason(error))
        return False
    try:
        await message.delete()
    except discord.HTTPException as error:
        log.warning("reposted but could not delete %s: %s", message.id, error)
        await warn_unhidden(channel, message, show, episode, "I need Manage Messages to remove it")
        return False
    return True


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
        f"⚠ Heads-up: the message above may spoil **{show.title} {episode.code}**, but I couldn't "
        f"hide it ({reason}). Please wrap spoilers in `||` `||`."
    )
    try:
        await channel.send(
            text,
            reference=message.to_reference(fail_if_not_exists=False),
            allowed_mentions=NO_MENTIONS,
        )
    except discord.HTTPException:
        log.warning("could not warn in %s either", channel.id)
