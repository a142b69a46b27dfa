"""Buttons under `/recommend`: *Not interested* and *Add to my list*, one pair per suggestion."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.ui.errors import reports_errors
from bot.ui.replies import send_private

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

HIDE, LIST = "hide", "list"
LABEL_LIMIT = 80  # Discord's longest button label


class RecommendButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"cliffhanger:rec:(?P<action>hide|list):(?P<show>\d+)",
):
    """Persistent: works after restarts through its custom_id, for whoever clicks it."""

    def __init__(self, action: str, show_id: int, title: str = "") -> None:
        self.action, self.show_id = action, show_id
        label = "Not interested" if action == HIDE else "Add to my list"
        style = discord.ButtonStyle.secondary if action == HIDE else discord.ButtonStyle.primary
        super().__init__(
            discord.ui.Button(
                label=f"{label}: {title}"[:LABEL_LIMIT] if title else label,
                style=style,
                custom_id=f"cliffhanger:rec:{action}:{show_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RecommendButton:
        """Rebuild the button from its custom_id."""
        return cls(match["action"], int(match["show"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        """Record the clicker's choice and confirm it to them alone."""
        bot: CliffhangerBot = interaction.client  # type: ignore[assignment]
        user_id = interaction.user.id
        if self.action == HIDE:
            show = await bot.recommender.not_interested(user_id, self.show_id)
            text = f"Got it: I won't suggest **{show.title}** to you again."
        else:
            show = await bot.recommender.add_to_list(user_id, self.show_id)
            text = f"Added **{show.title}** to your list: it's in `/progress list` as not started."
        await send_private(interaction, text)


def suggestion_buttons(suggestions: list[tuple[int, str]]) -> list[RecommendButton]:
    """A *Not interested* and an *Add to my list* button for each (show id, title)."""
    return [
        RecommendButton(action, show_id, title)
        for show_id, title in suggestions
        for action in (HIDE, LIST)
    ]
