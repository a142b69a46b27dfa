"""The watch-party extension: /schedule and /discuss."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.watchparty.discussion import DiscussCog
from cogs.watchparty.schedules import SchedulesCog

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot


async def setup(bot: CliffhangerBot) -> None:
    """Load the schedule and discussion cogs."""
    await bot.add_cog(SchedulesCog(bot))
    await bot.add_cog(DiscussCog(bot))
