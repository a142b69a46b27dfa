"""Moderation of the spoiler guard: modes, the log channel, taught phrases, Mark as spoiler."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.app.tree import report_error
from bot.errors import CliffhangerError
from bot.guard.reposts import hide
from bot.ui.autocomplete import show_autocomplete
from bot.ui.replies import NO_MENTIONS, send_private
from bot.ui.tagging import MESSAGE_LIMIT, spoiler_within, tagged
from cogs.guard.reposting import DiscordOriginal

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

MODES = {
    "repost": "repost spoilers under tags (default)",
    "warn": "only warn in the channel",
    "log": "only record in the moderator log",
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
        taught = await self.bot.phrases.teach(
            interaction.guild_id, interaction.user.id, show, episode, phrase
        )
        hidden = await hide(DiscordOriginal(self.bot, self.message), show, episode)
        parts = ["Hidden under spoiler tags." if hidden else "I couldn't hide it (see channel)."]
        parts.append("I'll catch that phrase from now on." if taught else "Phrase already taught.")
        await interaction.followup.send(" ".join(parts), ephemeral=True)

    async def on_error(  # type: ignore[override]  # Modal drops BaseView's `item`, as upstream
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        """Route errors to the tree's friendly handler."""
        await report_error(interaction, error)


class SpoilerAdminCog(commands.Cog, name="Spoiler moderation"):
    """How the guard acts in this server, and what moderators taught it."""

    spoilers = app_commands.Group(
        name="spoilers",
        description="How the spoiler guard works in this server",
        guild_only=True,
        default_permissions=discord.Permissions(manage_messages=True),
    )
    phrases = app_commands.Group(name="phrases", description="Taught phrases", parent=spoilers)

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot
        self.mark_menu = app_commands.ContextMenu(name="Mark as spoiler", callback=self.mark)
        self.mark_menu.guild_only = True
        self.mark_menu.extras["help"] = (
            "Report a message as a spoiler; a moderator's mark hides it and teaches the phrase"
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
        if not interaction.permissions.manage_messages:
            await self._report(interaction, message)
            return
        show_default = ""
        try:
            show_default = (await self.bot.channel_lines.get(message.channel.id)).show.title
        except CliffhangerError:
            show_default = ""
        await interaction.response.send_modal(MarkSpoilerModal(self.bot, message, show_default))

    async def _already_hidden(self, message: discord.Message) -> bool:
        """The bot's own posts, and the copies it reposted under spoiler tags."""
        if self.bot.user is not None and message.author.id == self.bot.user.id:
            return True
        return message.webhook_id is not None and await self.bot.hidden.exists(message.id)

    async def _report(self, interaction: discord.Interaction, message: discord.Message) -> None:
        assert interaction.guild_id is not None
        settings = await self.bot.guard_settings.get(interaction.guild_id)
        channel = self.bot.get_channel(settings.mod_log_channel_id or 0)
        if not isinstance(channel, discord.TextChannel):
            await send_private(
                interaction,
                "Thanks. This server has no moderator log, so please tell a moderator directly.",
            )
            return
        header = (
            f"🚩 {interaction.user.mention} reported a possible spoiler by "
            f"{message.author.mention}: {message.jump_url}"
        )
        await channel.send(
            spoiler_within(header, message.content, MESSAGE_LIMIT), allowed_mentions=NO_MENTIONS
        )
        await send_private(interaction, "Thanks, the moderators were told.")

    @spoilers.command(name="mode", description="What the guard does with a spoiler")
    @app_commands.describe(mode="repost (default), warn or log")
    @app_commands.choices(mode=[app_commands.Choice(name=v, value=k) for k, v in MODES.items()])
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.default_permissions(manage_guild=True)
    async def mode(self, interaction: discord.Interaction, mode: app_commands.Choice[str]) -> None:
        """Set the server's mode."""
        assert interaction.guild_id is not None
        await self.bot.guard_settings.set_mode(interaction.guild_id, mode.value)
        await send_private(
            interaction, f"Spoiler guard mode: **{mode.value}** — {MODES[mode.value]}."
        )

    @spoilers.command(name="log", description="Where the guard records what it did")
    @app_commands.describe(channel="The moderator log channel (leave empty to turn it off)")
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.default_permissions(manage_guild=True)
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
        lines = [tagged(f"#{t.id} · {t.show} {t.episode.code} ·", t.phrase, " ") for t in taught]
        await send_private(interaction, "Taught phrases:\n" + "\n".join(lines))

    @phrases.command(name="remove", description="Forget a taught phrase")
    @app_commands.describe(phrase_id="The number shown by /spoilers phrases list")
    @app_commands.checks.has_permissions(manage_messages=True)
    async def phrases_remove(self, interaction: discord.Interaction, phrase_id: int) -> None:
        """Remove one taught phrase."""
        assert interaction.guild_id is not None
        await self.bot.phrases.remove(interaction.guild_id, phrase_id)
        await send_private(interaction, f"Forgot phrase #{phrase_id}.")
