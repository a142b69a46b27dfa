"""/privacy: who may see your progress, take your data with you, or have it forgotten."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui.errors import reports_errors
from bot.ui.replies import NO_MENTIONS, send_private

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

SHARE_HINT = {
    True: (
        "Other members **can** see your progress. Hide it: `/privacy progress visible_to:only me`."
    ),
    False: (
        "Only **you** can see your progress: `/progress of`, `/watchnext` and `/party suggest` "
        "leave you out. Share it: `/privacy progress visible_to:members`."
    ),
}
FORGET_WARNING = (
    "This deletes everything Cliffhanger stores about you in every server: progress, ratings, "
    "privacy choice, watcher memberships and the text behind your hidden posts. It can't be "
    "undone; `/privacy export` first if you want a copy. The button works for 5 minutes, for "
    "you only; dismiss this message to keep everything."
)


class ForgetButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"cliffhanger:forget:(?P<user>\d+):(?P<until>\d+)",
):
    """'Forget everything': bound to the member who asked and to a deadline, via its custom_id."""

    def __init__(self, user_id: int, until: datetime) -> None:
        self.user_id, self.until = user_id, until
        super().__init__(
            discord.ui.Button(
                label="Forget everything",
                style=discord.ButtonStyle.danger,
                custom_id=f"cliffhanger:forget:{user_id}:{int(until.timestamp())}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ForgetButton:
        """Rebuild the button from its custom_id."""
        return cls(int(match["user"]), datetime.fromtimestamp(int(match["until"]), UTC))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        """Forget the member's data, then replace the warning with what was done."""
        bot: CliffhangerBot = interaction.client  # type: ignore[assignment]
        done = await bot.privacy.forget(interaction.user.id, self.user_id, self.until)
        await interaction.response.edit_message(
            content=f"Forgotten. {done.summary()}", view=None, allowed_mentions=NO_MENTIONS
        )


class PrivacyCog(commands.Cog, name="Privacy"):
    """Your progress's visibility, and your data: export it or have it forgotten."""

    privacy = app_commands.Group(
        name="privacy", description="Your progress's privacy and your data"
    )

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot

    @privacy.command(name="progress", description="Choose whether others may see your progress")
    @app_commands.describe(visible_to="Who may see your progress (leave out to see your choice)")
    @app_commands.choices(
        visible_to=[
            app_commands.Choice(name="members", value="public"),
            app_commands.Choice(name="only me", value="private"),
        ]
    )
    async def progress(
        self, interaction: discord.Interaction, visible_to: app_commands.Choice[str] | None = None
    ) -> None:
        """Set or show the member's privacy choice."""
        user_id = interaction.user.id
        if visible_to is not None:
            await self.bot.progress.set_public(user_id, visible_to.value == "public")
        await send_private(interaction, SHARE_HINT[await self.bot.progress.is_public(user_id)])

    @privacy.command(name="export", description="Get a file of everything stored about you")
    async def export(self, interaction: discord.Interaction) -> None:
        """Send the member, privately, a JSON file of their data."""
        data = await self.bot.privacy.export(interaction.user.id)
        name = f"cliffhanger-data-{interaction.user.id}.json"
        await interaction.response.send_message(
            "Everything Cliffhanger stores about you, as JSON.",
            file=discord.File(io.BytesIO(data), filename=name),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @privacy.command(name="forget", description="Delete everything stored about you (confirm)")
    async def forget(self, interaction: discord.Interaction) -> None:
        """Ask the member to confirm with a button only they can press, for a few minutes."""
        until = self.bot.privacy.forget_deadline()
        await send_private(interaction, FORGET_WARNING, ForgetButton(interaction.user.id, until))


async def setup(bot: CliffhangerBot) -> None:
    """Load the privacy cog."""
    await bot.add_cog(PrivacyCog(bot))
    bot.add_dynamic_items(ForgetButton)
