"""Moderation of the spoiler guard: modes, the log channel, taught phrases, Mark as spoiler."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.episodes import EpisodeRef, episode_label
from bot.catalog.shows import ShowInfo
from bot.errors import CliffhangerError
from bot.guard.reports import MAX_THRESHOLD, ReportedMessage
from bot.guard.reposts import hide
from bot.ui.autocomplete import show_autocomplete
from bot.ui.errors import report
from bot.ui.replies import send_private
from bot.ui.tagging import MESSAGE_LIMIT, spoiler_within, tagged
from cogs.guard.reposting import DiscordOriginal, send_mod_log

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

MODES = {
    "repost": "repost spoilers under tags (default)",
    "warn": "only warn in the channel",
    "log": "only record in the moderator log",
}

STYLES = {
    "tags": "reposts keep the text under spoiler tags (default)",
    "sealed": "reposts show only the label; the text is behind Reveal's progress check",
}


class MarkSpoilerModal(discord.ui.Modal, title="Mark as spoiler"):
    """Asks a moderator which episode a message spoils."""

    show: discord.ui.TextInput[MarkSpoilerModal] = discord.ui.TextInput(
        label="Show", max_length=100
    )
    episode: discord.ui.TextInput[MarkSpoilerModal] = discord.ui.TextInput(
        label="Episode it spoils", placeholder="S01E05", max_length=60
    )
    phrase: discord.ui.TextInput[MarkSpoilerModal] = discord.ui.TextInput(
        label="Phrase to teach", style=discord.TextStyle.paragraph, max_length=300, required=False
    )

    def __init__(self, bot: CliffhangerBot, message: discord.Message, show_default: str) -> None:
        super().__init__()
        self.bot = bot
        self.message = message
        self.show.default = show_default
        self.phrase.default = message.content[:300]

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Hide the message now and teach the phrase for that episode."""
        show, episode = self.bot.catalog.resolve_episode(str(self.show), str(self.episode))
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True)
        phrase = str(self.phrase) or self.message.content
        taught: bool | None = None  # a message of files alone has nothing to teach
        if phrase.strip():
            taught = await self.bot.phrases.teach(
                interaction.guild_id, interaction.user.id, show, episode, phrase
            )
        hidden = await hide(DiscordOriginal(self.bot, self.message), show, episode)
        parts = ["Hidden under spoiler tags." if hidden else "I couldn't hide it (see channel)."]
        parts.append(
            "No text, so nothing to teach."
            if taught is None
            else "I'll catch that phrase from now on."
            if taught
            else "Phrase already taught."
        )
        await interaction.followup.send(" ".join(parts), ephemeral=True)

    async def on_error(  # type: ignore[override]  # Modal drops BaseView's `item`, as upstream
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        """Route errors to the tree's friendly handler."""
        await report(interaction, error)


class ReportSpoilerModal(discord.ui.Modal, title="Mark as spoiler"):
    """Asks a member only which show and episode a message spoils; it shows nothing back."""

    show: discord.ui.TextInput[ReportSpoilerModal] = discord.ui.TextInput(
        label="Show", max_length=100
    )
    episode: discord.ui.TextInput[ReportSpoilerModal] = discord.ui.TextInput(
        label="Episode it spoils (leave empty if unsure)",
        placeholder="S01E05",
        max_length=60,
        required=False,
    )

    def __init__(self, bot: CliffhangerBot, message: discord.Message, show_default: str) -> None:
        super().__init__()
        self.bot = bot
        self.message = message
        self.show.default = show_default

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Count the member's mark; hide the message if enough members marked it."""
        show = self.bot.catalog.resolve(str(self.show))
        episode = None
        if str(self.episode).strip():
            show, episode = self.bot.catalog.resolve_episode(show.title, str(self.episode))
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True)
        message = self.message
        reported = ReportedMessage(
            interaction.guild_id, message.channel.id, message.id, message.author.id
        )
        outcome = await self.bot.reports.mark(reported, interaction.user.id, show, episode)
        if not outcome.recorded:
            await send_private(interaction, "You already marked this message. Thanks!")
            return
        label = episode_label(show.title, episode) if episode else show.title
        header = (
            f"🚩 {interaction.user.mention} marked a message by {message.author.mention} as a "
            f"spoiler of {label}: {message.jump_url}"
        )
        told = await send_mod_log(
            self.bot, interaction.guild_id, spoiler_within(header, message.content, MESSAGE_LIMIT)
        )
        reply = "Thanks, your mark was counted."
        if outcome.hide_as is not None:
            reply = await _hide_reported(self.bot, message, *outcome.hide_as)
        elif not told:
            reply += " This server has no moderator log, so you may also tell a moderator."
        await send_private(interaction, reply)

    async def on_error(  # type: ignore[override]  # Modal drops BaseView's `item`, as upstream
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        """Route errors to the tree's friendly handler."""
        await report(interaction, error)


async def _hide_reported(
    bot: CliffhangerBot, message: discord.Message, show: ShowInfo, episode: EpisodeRef
) -> str:
    """Hide a message enough members marked, as a moderator's mark would (nothing taught)."""
    try:  # the latest text: it may have been edited or deleted since the menu was opened
        message = await message.channel.fetch_message(message.id)
    except discord.NotFound:
        return "Thanks, your mark was counted. The message is gone already."
    if not await hide(DiscordOriginal(bot, message), show, episode):
        return "Thanks, your mark was counted. I couldn't hide it (see channel)."
    return "Thanks, your mark was counted. Enough members marked it, so it's hidden now."


class SpoilerAdminCog(commands.Cog, name="Spoiler moderation"):
    """How the guard acts in this server, and what moderators taught it."""

    spoilers = app_commands.Group(
        name="spoilers",
        description="How the spoiler guard works in this server",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )
    phrases = app_commands.Group(
        name="phrases",
        description="Phrases moderators taught the spoiler guard",
        guild_only=True,
        default_permissions=discord.Permissions(manage_messages=True),
    )

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot
        self.mark_menu = app_commands.ContextMenu(name="Mark as spoiler", callback=self.mark)
        self.mark_menu.guild_only = True
        self.mark_menu.extras["help"] = (
            "Mark a message as a spoiler: a moderator's mark hides it and teaches the phrase; "
            "enough members' marks hide it too"
        )

    async def cog_load(self) -> None:
        """Register the message context menu."""
        self.bot.tree.add_command(self.mark_menu)

    async def cog_unload(self) -> None:
        """Remove the message context menu."""
        self.bot.tree.remove_command(self.mark_menu.name, type=self.mark_menu.type)

    async def mark(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Anyone reports; a moderator hides at once and teaches the phrase."""
        if await self._already_hidden(message):
            await send_private(interaction, "That message is already behind spoiler tags.")
            return
        show_default = ""
        try:
            show_default = (await self.bot.channel_lines.get(message.channel.id)).show.title
        except CliffhangerError:
            show_default = ""
        if interaction.permissions.manage_messages:
            modal: discord.ui.Modal = MarkSpoilerModal(self.bot, message, show_default)
        elif message.author.id == interaction.user.id:
            await send_private(
                interaction, "That's your own message: delete it, or repost it with `/spoiler`."
            )
            return
        else:
            modal = ReportSpoilerModal(self.bot, message, show_default)
        await interaction.response.send_modal(modal)

    async def _already_hidden(self, message: discord.Message) -> bool:
        """The bot's own posts, and the copies it reposted under spoiler tags."""
        if self.bot.user is not None and message.author.id == self.bot.user.id:
            return True
        return message.webhook_id is not None and await self.bot.hidden.exists(message.id)

    @spoilers.command(name="mode", description="What the guard does with a spoiler")
    @app_commands.describe(mode="repost (default), warn or log")
    @app_commands.choices(mode=[app_commands.Choice(name=v, value=k) for k, v in MODES.items()])
    @app_commands.checks.has_permissions(manage_guild=True)
    async def mode(self, interaction: discord.Interaction, mode: app_commands.Choice[str]) -> None:
        """Set the server's mode."""
        assert interaction.guild_id is not None
        await self.bot.guard_settings.set_mode(interaction.guild_id, mode.value)
        await send_private(
            interaction, f"Spoiler guard mode: **{mode.value}** — {MODES[mode.value]}."
        )

    @spoilers.command(name="style", description="How reposts hide text: tags or sealed")
    @app_commands.describe(style="tags (default) or sealed")
    @app_commands.choices(style=[app_commands.Choice(name=v, value=k) for k, v in STYLES.items()])
    @app_commands.checks.has_permissions(manage_guild=True)
    async def style(
        self, interaction: discord.Interaction, style: app_commands.Choice[str]
    ) -> None:
        """Set the server's repost style."""
        assert interaction.guild_id is not None
        await self.bot.guard_settings.set_style(interaction.guild_id, style.value)
        await send_private(interaction, f"Repost style: **{style.value}** — {STYLES[style.value]}.")

    @spoilers.command(name="reports", description="How many members' marks hide a message")
    @app_commands.describe(count="Distinct members needed (default 3); 0 turns this off")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def reports(
        self, interaction: discord.Interaction, count: app_commands.Range[int, 0, MAX_THRESHOLD]
    ) -> None:
        """Set how many distinct members' marks hide a message."""
        assert interaction.guild_id is not None
        await self.bot.guard_settings.set_report_threshold(interaction.guild_id, count)
        text = (
            f"A message {count} different members mark as a spoiler is hidden."
            if count
            else "Members' marks no longer hide messages; moderators are still told."
        )
        await send_private(interaction, text)

    @spoilers.command(name="log", description="Where the guard records what it did")
    @app_commands.describe(channel="The moderator log channel (leave empty to turn it off)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def log_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        """Set or clear the moderator log channel."""
        assert interaction.guild_id is not None
        channel_id = channel.id if channel else None
        await self.bot.guard_settings.set_log_channel(interaction.guild_id, channel_id)
        text = f"Moderator log: {channel.mention}." if channel else "Moderator log turned off."
        await send_private(interaction, text)

    @phrases.command(name="list", description="Phrases moderators taught the guard")
    @app_commands.describe(show="Only this show (default: every show)")
    @app_commands.autocomplete(show=show_autocomplete)
    @app_commands.checks.has_permissions(manage_messages=True)
    async def phrases_list(
        self, interaction: discord.Interaction, show: app_commands.Range[str, 1, 100] | None = None
    ) -> None:
        """List taught phrases (hidden under spoiler tags)."""
        assert interaction.guild_id is not None
        taught = await self.bot.phrases.list(interaction.guild_id, show)
        if not taught:
            await send_private(interaction, "No phrases have been taught here yet.")
            return
        lines = [
            tagged(f"#{t.id} · {t.show} {t.episode.code} ·", t.phrase, " ")
            if not t.safe
            else tagged(f"#{t.id} · {t.show} · not a spoiler ·", t.phrase, " ")
            for t in taught
        ]
        await send_private(interaction, "Taught phrases:\n" + "\n".join(lines))

    @phrases.command(name="remove", description="Forget a taught phrase")
    @app_commands.describe(phrase_id="The number shown by /phrases list")
    @app_commands.checks.has_permissions(manage_messages=True)
    async def phrases_remove(self, interaction: discord.Interaction, phrase_id: int) -> None:
        """Remove one taught phrase."""
        assert interaction.guild_id is not None
        await self.bot.phrases.remove(interaction.guild_id, phrase_id)
        await send_private(interaction, f"Forgot phrase #{phrase_id}.")
