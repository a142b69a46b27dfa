"""/help: what Cliffhanger can do, listed from the command tree for the member asking."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.help.docs import FOOTER, INTRO, CommandDoc, OptionDoc, detail, find, matching, sections
from bot.ui.permissions import permission_name
from bot.ui.replies import send_private

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

MENU_SECTION = "Message menu"
AnyCommand = app_commands.Command[Any, ..., Any]


def _needs(command: AnyCommand | app_commands.ContextMenu, interaction: discord.Interaction) -> str:
    """Why this member cannot use the command here ('' when they can).

    Discord hides a command by its top-level command's or group's default permissions only
    (it ignores them on subcommands), so moderator actions are top-level and this reads the root.
    """
    root = command.root_parent if isinstance(command, app_commands.Command) else None
    top = root or command
    if top.guild_only and interaction.guild is None:
        return "it works in a server only."
    needed = top.default_permissions or discord.Permissions.none()
    missing = [name for name, held in needed if held and not getattr(interaction.permissions, name)]
    if not missing:
        return ""
    names = " and ".join(f"**{permission_name(name)}**" for name in missing)
    return f"it needs the {names} permission{'s' if len(missing) > 1 else ''}."


def _doc(command: AnyCommand, section: str, needs: str) -> CommandDoc:
    options = tuple(
        OptionDoc(p.display_name, p.description, p.required) for p in command.parameters
    )
    return CommandDoc(command.qualified_name, command.description, section, options, needs=needs)


def _menu_doc(menu: app_commands.ContextMenu, needs: str) -> CommandDoc:
    summary = menu.extras.get("help") or (menu.callback.__doc__ or menu.name).strip()
    return CommandDoc(menu.name, summary.splitlines()[0], MENU_SECTION, menu=True, needs=needs)


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
        """Every command, grouped by feature in load order, each saying what this member lacks."""
        found = []
        for cog in self.bot.cogs.values():
            for command in cog.walk_app_commands():
                if isinstance(command, app_commands.Command):
                    found.append(_doc(command, cog.qualified_name, _needs(command, interaction)))
        for menu in self.bot.tree.get_commands(type=discord.AppCommandType.message):
            if isinstance(menu, app_commands.ContextMenu):
                found.append(_menu_doc(menu, _needs(menu, interaction)))
        return found

    def usable(self, interaction: discord.Interaction) -> list[CommandDoc]:
        """The commands this member can use here."""
        return [doc for doc in self.docs(interaction) if not doc.needs]

    @app_commands.command(
        name="help", description="What Cliffhanger can do, or how one of its commands works"
    )
    @app_commands.describe(command="A command to explain, such as: progress set")
    async def help(
        self,
        interaction: discord.Interaction,
        command: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        """List every command you can use, or explain any one of them (just you)."""
        if command:
            await send_private(interaction, detail(find(self.docs(interaction), command)))
            return
        await interaction.response.send_message(
            embed=_overview(self.usable(interaction)), ephemeral=True
        )

    @help.autocomplete("command")
    async def _command_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=path, value=path)
            for path in matching(self.usable(interaction), current)
        ]


async def setup(bot: CliffhangerBot) -> None:
    """Load the help cog."""
    await bot.add_cog(HelpCog(bot))
