"""The spoiler guard's extension: channel lines, the message guard and its moderation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.guard.admin import SpoilerAdminCog
from cogs.guard.lines import ChannelCog
from cogs.guard.listener import SpoilerGuardCog
from cogs.guard.reposting import RepostView

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot


async def setup(bot: CliffhangerBot) -> None:
    """Load the guard's cogs and make the repost buttons persistent."""
    bot.add_view(RepostView())
    await bot.add_cog(ChannelCog(bot))
    await bot.add_cog(SpoilerGuardCog(bot))
    await bot.add_cog(SpoilerAdminCog(bot))
