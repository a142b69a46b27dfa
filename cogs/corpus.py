"""/corpus add: admins add a review file to their server's own layer of the corpus.

The same checks as the command line; the file is parsed off the event loop, and what it says is
read only by this server's spoiler checks and recaps.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.corpus.documents import MAX_DOCUMENT_BYTES, DocumentOverrides, parse_document
from bot.corpus.files import DOCUMENT_SUFFIXES
from bot.corpus.service import import_documents
from bot.errors import CorpusError
from bot.ui.autocomplete import show_autocomplete

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot


class CorpusCog(commands.Cog, name="Corpus"):
    """Manage the review corpus from Discord."""

    corpus = app_commands.Group(
        name="corpus",
        description="The review corpus the bot learns shows from",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot

    @corpus.command(name="add", description="Add a review file (Markdown or text)")
    @app_commands.describe(
        file="A .md or .txt review, with a show/season/episode header or the options below",
        show="Show, if the file has no header",
        season="Season, if the file has no header",
        episode="Episode, if the file has no header",
    )
    @app_commands.autocomplete(show=show_autocomplete)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def corpus_add(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment,
        show: app_commands.Range[str, 1, 100] | None = None,
        season: app_commands.Range[int, 1, 999] | None = None,
        episode: app_commands.Range[int, 1, 999] | None = None,
    ) -> None:
        """Validate and store one uploaded review."""
        if not file.filename.lower().endswith(DOCUMENT_SUFFIXES):
            raise CorpusError(f"{file.filename}: only .md and .txt reviews can be added")
        if file.size > MAX_DOCUMENT_BYTES:
            raise CorpusError(
                f"{file.filename}: file is larger than {MAX_DOCUMENT_BYTES // 1000} kB"
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        raw = await file.read()
        overrides = DocumentOverrides(show, season, episode)
        document = await asyncio.to_thread(parse_document, raw, file.filename, overrides)
        summary = await import_documents(self.bot.sessions, [document], interaction.guild_id)
        await self.bot.corpus_changed(interaction.guild_id)
        await interaction.followup.send(
            f"Imported {file.filename}: {summary.describe()}", ephemeral=True
        )


async def setup(bot: CliffhangerBot) -> None:
    """Load the corpus cog."""
    await bot.add_cog(CorpusCog(bot))
