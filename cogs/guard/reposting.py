"""The guard's Discord adapter: webhook reposts, deletes and warnings, and the Repost buttons."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord
from discord.utils import escape_mentions

from bot.catalog.episodes import EpisodeRef, episode_label
from bot.catalog.shows import ShowInfo
from bot.errors import PermissionDenied
from bot.guard.reposts import HideFailed
from bot.guard.undo import Undone
from bot.ui.hidden import HiddenText, hidden_parts, post_hidden
from bot.ui.replies import NO_MENTIONS
from bot.ui.reveal import RevealView
from bot.ui.tagging import MESSAGE_LIMIT
from bot.ui.webhooks import GuardedChannel, NoWebhook

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

log = logging.getLogger(__name__)
DELETE_ID = "cliffhanger:delete"
NOT_A_SPOILER_ID = "cliffhanger:not-a-spoiler"
SEALED = "sealed"
TOO_LARGE = 413
GuildChannel = GuardedChannel


class RepostView(RevealView):
    """Reveal, Delete (for the author) and Not a spoiler (for moderators) under a repost."""

    @discord.ui.button(label="Delete", style=discord.ButtonStyle.secondary, custom_id=DELETE_ID)
    async def delete(
        self, interaction: discord.Interaction, _button: discord.ui.Button[RepostView]
    ) -> None:
        """Let the author (or a moderator) remove the repost, every part of it."""
        bot: CliffhangerBot = interaction.client  # type: ignore[assignment]
        message, channel = interaction.message, interaction.channel
        assert message is not None
        post = await bot.hidden.get(message.id)
        perms = interaction.permissions
        if interaction.user.id != post.author_id and not perms.manage_messages:
            await interaction.response.send_message(
                "Only the author or a moderator can delete this.", ephemeral=True
            )
            return
        if not isinstance(channel, GuardedChannel):
            raise PermissionDenied("Reposts can only be deleted in server channels.")
        await interaction.response.defer(ephemeral=True)
        parts = await bot.hidden.parts(message.id) or [message.id]
        problems = await delete_messages(channel, parts)
        if problems:
            await interaction.followup.send(
                f"I couldn't delete all of it: {problems[0]}.", ephemeral=True
            )
            return
        await bot.hidden.forget(parts)
        await interaction.followup.send("Deleted.", ephemeral=True)

    @discord.ui.button(
        label="Not a spoiler", style=discord.ButtonStyle.secondary, custom_id=NOT_A_SPOILER_ID
    )
    async def not_a_spoiler(
        self, interaction: discord.Interaction, _button: discord.ui.Button[RepostView]
    ) -> None:
        """A moderator undoes a false flag: the text goes back in the open, the copy away."""
        bot: CliffhangerBot = interaction.client  # type: ignore[assignment]
        message, channel = interaction.message, interaction.channel
        assert message is not None and interaction.guild_id is not None
        if not interaction.permissions.manage_messages:
            raise PermissionDenied("Only moderators (Manage Messages) can undo a repost.")
        if not isinstance(channel, GuardedChannel):
            raise PermissionDenied("Reposts can only be undone in server channels.")
        await interaction.response.defer(ephemeral=True)
        undone = await bot.false_flags.undo(
            interaction.guild_id, interaction.user.id, message.id, DiscordCopies(bot, channel)
        )
        taught = "I won't flag that exact message again." if undone.taught else "Nothing taught."
        await interaction.followup.send(f"Restored in the open. {taught}", ephemeral=True)
        await log_undo(bot, interaction, channel, undone)


def spoiler_label(show: ShowInfo, episode: EpisodeRef) -> str:
    """The visible label above hidden text."""
    return f"⚠ **Spoiler · {episode_label(show.title, episode)}**"


def sealed_label(label: str) -> str:
    """The whole text of a sealed repost: the label and a pointer to Reveal, nothing else."""
    return f"{label} · sealed: press Reveal to read it"


def too_large_note(count: int) -> str:
    """Why a repost lacks files: over Discord's upload limit (the names are not shown)."""
    files = "1 file was" if count == 1 else f"{count} files were"
    return f"📎 {files} too large to carry over (Discord's upload limit), removed with the original"


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
) -> list[discord.Message]:
    """Post `text` under the author's name, spoiler-tagged and labelled; remember it for Reveal.

    Files over the server's upload limit are left out and the copy says so; if Discord still
    refuses the upload as too large (413), the copy is posted without any file.
    """
    what = HiddenText(channel.guild.id, channel.id, show, episode, text, kind, author.id)
    fitting = [a for a in attachments if a.size <= channel.guild.filesize_limit]
    post = _Repost(bot, channel, author, what)
    try:
        return await post.send(fitting, len(attachments) - len(fitting))
    except discord.HTTPException as error:
        if error.status != TOO_LARGE or not fitting:
            raise
    log.info("files refused as too large in %s; reposting without them", channel.id)
    return await post.send([], len(attachments))


@dataclass(frozen=True, slots=True)
class _Repost:
    """One member's message to repost hidden, under their name (by webhook, else by the bot)."""

    bot: CliffhangerBot
    channel: GuildChannel
    author: discord.Member | discord.User
    what: HiddenText

    async def send(
        self, attachments: list[discord.Attachment], dropped: int
    ) -> list[discord.Message]:
        """Post every part with these files; `dropped` files are said to be too large."""
        bot, channel, author = self.bot, self.channel, self.author
        try:
            await bot.webhooks.get(channel)
            by_bot = False
        except NoWebhook:  # the channel is full of other webhooks: post as the bot, named
            by_bot = True
        label = spoiler_label(self.what.show, self.what.episode)
        if by_bot:
            label += f" · from {author.mention}"
        note = f"\n{too_large_note(dropped)}" if dropped else ""

        async def send(index: int, part: str) -> discord.Message:
            files = [await a.to_file(spoiler=True) for a in attachments] if index == 0 else []
            if by_bot:
                return await channel.send(
                    part, files=files, view=RepostView(), allowed_mentions=NO_MENTIONS
                )
            return await bot.webhooks.send(
                channel,
                part,
                username=author.display_name,
                avatar_url=author.display_avatar.url,
                files=files,
                view=RepostView(),
            )

        settings = await bot.guard_settings.get(channel.guild.id)
        if settings.repost_style == SEALED:  # no text to click open: Reveal checks progress
            parts = [sealed_label(label) + note]
        else:
            parts = hidden_parts(label + note, self.what.text)
        return await post_hidden(bot.hidden, self.what, parts, send)


class DiscordOriginal:
    """A member's Discord message as the guard's `Original`: webhook copy, delete, warning."""

    def __init__(self, bot: CliffhangerBot, message: discord.Message) -> None:
        channel = message.channel
        assert isinstance(channel, GuardedChannel)
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
            raise HideFailed(reason_for(error)) from error

    async def delete(self) -> None:
        """Delete the original message (already gone is fine: that is what hiding wanted)."""
        problems = await delete_messages(self.channel, [self.message.id])
        if problems:
            raise HideFailed(problems[0])

    async def warn(self, show: ShowInfo, episode: EpisodeRef, reason: str) -> None:
        """Reply in the channel that the message may spoil `episode` and is still visible."""
        await warn_unhidden(self.channel, self.message, show, episode, reason)


def reason_for(error: Exception) -> str:
    """Why a tagged copy could not be posted, in words for the channel."""
    if isinstance(error, discord.Forbidden):
        return "I need the Manage Webhooks permission here"
    if isinstance(error, discord.HTTPException):
        return f"Discord didn't accept the tagged copy ({error.code or error.status})"
    return "Discord didn't accept the tagged copy just now"


async def delete_messages(channel: GuildChannel, message_ids: list[int]) -> list[str]:
    """Delete these messages; say, for each one still there, why (already gone is fine)."""
    problems = []
    for message_id in message_ids:
        try:
            await channel.get_partial_message(message_id).delete()
        except discord.NotFound:
            continue
        except discord.Forbidden:
            problems.append("I need the Manage Messages permission here to remove it")
        except discord.HTTPException as error:
            problems.append(f"Discord refused to remove it just now (error {error.status})")
            log.warning("could not delete %s in %s: %s", message_id, channel.id, error)
    return problems


async def warn_unhidden(
    channel: GuildChannel,
    message: discord.Message | discord.PartialMessage,
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


class DiscordCopies:
    """The guard's tagged copies in a channel as `HiddenCopies`: open repost, then delete."""

    def __init__(self, bot: CliffhangerBot, channel: GuildChannel) -> None:
        self.bot, self.channel = bot, channel

    async def post_open(self, author_id: int | None, text: str, copy_ids: list[int]) -> None:
        """Post the text (and files, untagged) in the open under the author's name and face.

        In a channel already full of other webhooks the bot posts it, naming the author.
        """
        author = await self._author(author_id)
        try:
            files = await self._files(copy_ids[0])
            try:
                await self.bot.webhooks.send(
                    self.channel,
                    escape_mentions(text),
                    username=author.display_name if author else "Former member",
                    avatar_url=author.display_avatar.url if author else None,
                    files=files,
                )
            except NoWebhook:
                named = f"<@{author_id}>" if author_id else "A former member"
                said = f"{named}: {escape_mentions(text)}"
                if len(said) > MESSAGE_LIMIT:  # the name alone first, then the whole text
                    await self.channel.send(f"{named}:", allowed_mentions=NO_MENTIONS)
                    said = escape_mentions(text)
                await self.channel.send(said, files=files, allowed_mentions=NO_MENTIONS)
        except (discord.HTTPException, ValueError) as error:
            log.warning("could not restore a repost in %s: %s", self.channel.id, error)
            raise HideFailed(reason_for(error)) from error

    async def delete_copies(self, message_ids: list[int]) -> None:
        """Delete every part of the tagged copy (already gone is fine)."""
        for problem in await delete_messages(self.channel, message_ids):
            log.warning("restored but could not delete a copy in %s: %s", self.channel.id, problem)

    async def _author(self, author_id: int | None) -> discord.Member | discord.User | None:
        if author_id is None:
            return None
        member = self.channel.guild.get_member(author_id)
        if member is not None:
            return member
        try:
            return await self.bot.fetch_user(author_id)
        except discord.HTTPException:
            return None

    async def _files(self, first_id: int) -> list[discord.File]:
        message = await self.channel.fetch_message(first_id)
        return [await a.to_file(spoiler=False) for a in message.attachments]


async def log_undo(
    bot: CliffhangerBot, interaction: discord.Interaction, channel: GuildChannel, undone: Undone
) -> None:
    """Record in the moderator log who undid which repost."""
    author = f"<@{undone.author_id}>" if undone.author_id else "a former member"
    taught = " and taught the guard it is safe" if undone.taught else ""
    await send_mod_log(
        bot,
        interaction.guild_id,
        f"↩ {interaction.user.mention} marked {author}'s repost in {channel.mention} as not a "
        f"spoiler ({episode_label(undone.show.title, undone.episode)}): restored{taught}.",
    )


async def send_mod_log(bot: CliffhangerBot, guild_id: int | None, text: str) -> bool:
    """Write a line to the server's moderator log; False if it has none (or can't be written)."""
    if guild_id is None:
        return False
    settings = await bot.guard_settings.get(guild_id)
    channel = bot.get_channel(settings.mod_log_channel_id or 0)
    if not isinstance(channel, discord.TextChannel):
        return False
    try:
        await channel.send(text, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as error:
        log.warning("could not write to the moderator log %s: %s", channel.id, error)
        return False
    return True
