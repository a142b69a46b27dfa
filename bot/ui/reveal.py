"""Reveal buttons: persistent, and answered by each clicker's own progress."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.catalog.episodes import episode_label, progress_phrase
from bot.ui.errors import ReportingView, reports_errors
from bot.ui.replies import send_private

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

REVEAL_ID = "cliffhanger:reveal"


class RevealView(ReportingView):
    """The Reveal button under every spoiler-tagged post (one persistent view for all)."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Reveal", style=discord.ButtonStyle.secondary, custom_id=REVEAL_ID)
    async def reveal(
        self, interaction: discord.Interaction, _button: discord.ui.Button[RevealView]
    ) -> None:
        """Show the hidden text to a clicker who has watched far enough, else warn."""
        bot: CliffhangerBot = interaction.client  # type: ignore[assignment]
        assert interaction.message is not None
        decision = await bot.hidden.decide(interaction.message.id, interaction.user.id)
        post = decision.post
        label = episode_label(post.show.title, post.episode)
        if decision.allowed:
            await send_private(interaction, f"**{label}**\n{post.content}")
            return
        where = progress_phrase(decision.progress, post.show.title)
        await send_private(
            interaction,
            f"⚠ This spoils **{label}**, and {where}. Show it anyway?",
            ShowAnywayButton(interaction.message.id),
        )


class ShowAnywayButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"cliffhanger:anyway:(?P<message>\d+)",
):
    """'Show anyway' for one hidden post; works after restarts through its custom_id."""

    def __init__(self, message_id: int) -> None:
        self.message_id = message_id
        super().__init__(
            discord.ui.Button(
                label="Show anyway",
                style=discord.ButtonStyle.danger,
                custom_id=f"cliffhanger:anyway:{message_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ShowAnywayButton:
        """Rebuild the button from its custom_id."""
        return cls(int(match["message"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        """The member chose to see it: send the text privately."""
        bot: CliffhangerBot = interaction.client  # type: ignore[assignment]
        post = await bot.hidden.get(self.message_id)
        await send_private(
            interaction, f"**{episode_label(post.show.title, post.episode)}**\n{post.content}"
        )
