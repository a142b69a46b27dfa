"""/help: what Cliffhanger can do, listed from the command tree for the member asking."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.help import FOOTER, INTRO, CommandDoc, OptionDoc, detail, find, matching, sections
from bot.replies import send_private

if TYPE_CHECKING:
    from bot.client import CliffhangerBot

MENU_SECTION = "Message menu"


def _usable(
    command: app_commands.Command | app_commands.ContextMenu, interaction: discord.Interaction
) -> bool:
    """Whether Discord would show the command to this member here (default permissions)."""
    root = command.root_parent if isinstance(command, app_commands.Command) else None
    top = root or command
    if top.guild_only and interaction.guild is None:
        return False
    needed = top.default_permissions
    return needed is None or needed <= interaction.permissions


def _doc(command: app_commands.Command, section: str) -> CommandDoc:
    options = tuple(
        OptionDoc(p.display_name, p.description, p.required) for p in command.parameters
    )
    return CommandDoc(command.qualified_name, command.description, section, options)


def _menu_doc(menu: app_commands.ContextMenu) -> CommandDoc:
    summary = menu.extras.get("help") or (menu.callback.__doc__ or menu.name).strip()
    return CommandDoc(menu.name, summary.splitlines()[0], MENU_SECTION, menu=True)


def _overview(docs: list[CommandDoc]) -> discord.Embed:
    embed = discord.Embed(title="Cliffhanger", description=f"{INTRO}\n{FOOTER}")
    for section, text in sections(docs):
        embed.add_field(name=section, value=text, inline=False)
    return embed


class HelpCog(commands.Cog, name="Help"):
    """Lists the commands a member can use, by feature, and explains any one of them."""

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot

    def docs(self, interaction: discord.Interaction) -> list[CommandDoc]:
        """The commands this member can use here, grouped by feature in load order."""
        found = []
        for cog in self.bot.cogs.values():
            for command in cog.walk_app_commands():
                if isinstance(command, app_commands.Command) and _usable(command, interaction):
                    found.append(_doc(command, cog.qualified_name))
        for menu in self.bot.tree.get_commands(type=discord.AppCommandType.message):
            if isinstance(menu, app_commands.ContextMenu) and _usable(menu, interaction):
                found.append(_menu_doc(menu))
        return found

    @app_commands.command(
        name="help", description="What Cliffhanger can do, or how one of its commands works"
    )
    @app_commands.describe(command="A command to explain, such as: progress set")
    async def help(
        self,
        interaction: discord.Interaction,
        command: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        """List every command you can use, or explain one (just you)."""
        docs = self.docs(interaction)
        if command:
            await send_private(interaction, detail(find(docs, command)))
            return
        await interaction.response.send_message(embed=_overview(docs), ephemeral=True)

    @help.autocomplete("command")
    async def _command_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=path, value=path)
            for path in matching(self.docs(interaction), current)
        ]


async def setup(bot: CliffhangerBot) -> None:
    """Load the help cog."""
    await bot.add_cog(HelpCog(bot))
