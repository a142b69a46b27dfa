"""Discussion-thread buttons, shared by /discuss and /progress (the offer to join)."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.catalog.episodes import EpisodeRef
from bot.catalog.shows import ShowInfo
from bot.errors import CliffhangerError, NotFoundError, PermissionDenied
from bot.ui.errors import reports_errors
from bot.ui.replies import send_private

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

log = logging.getLogger(__name__)
ASK, CONFIRM, JOIN = "ask", "yes", "join"


async def add_to_thread(
    bot: CliffhangerBot, guild: discord.Guild, member: discord.abc.Snowflake, thread_id: int
) -> discord.Thread:
    """Add a member to an episode's thread (unarchiving it if needed)."""
    thread = guild.get_thread(thread_id)
    try:
        if thread is None:
            fetched = await bot.fetch_channel(thread_id)
            assert isinstance(fetched, discord.Thread)
            thread = fetched
        if thread.archived:
            await thread.edit(archived=False)
        await thread.add_user(member)
    except discord.NotFound:
        raise NotFoundError("That discussion thread no longer exists.") from None
    except discord.Forbidden:
        raise PermissionDenied(
            "I can't add you to that thread: I need the **Manage Threads** and **Send Messages "
            "in Threads** permissions there."
        ) from None
    return thread


class DiscussButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"cliffhanger:discuss:(?P<action>ask|yes|join):(?P<show>\d+):(?P<season>\d+):(?P<episode>\d+)",
):
    """Persistent buttons: offer to catch up (ask), confirm it (yes), or join passed threads."""

    def __init__(self, action: str, show_id: int, episode: EpisodeRef) -> None:
        self.action, self.show_id, self.episode = action, show_id, episode
        labels = {
            ASK: (f"I've watched {episode.code}", discord.ButtonStyle.secondary),
            CONFIRM: (f"Yes: set {episode.code} and join", discord.ButtonStyle.danger),
            JOIN: ("Join the discussion threads", discord.ButtonStyle.primary),
        }
        label, style = labels[action]
        super().__init__(
            discord.ui.Button(
                label=label,
                style=style,
                custom_id=f"cliffhanger:discuss:{action}:{show_id}:{episode.season}:{episode.episode}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DiscussButton:
        """Rebuild the button from its custom_id."""
        episode = EpisodeRef(int(match["season"]), int(match["episode"]))
        return cls(match["action"], int(match["show"]), episode)

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        """Dispatch on the button's action."""
        bot: CliffhangerBot = interaction.client  # type: ignore[assignment]
        if interaction.guild is None:
            await send_private(interaction, "That only works inside a server.")
            return
        try:
            show = bot.discussion.show(self.show_id)
            if self.action == ASK:
                await self._ask(interaction, show)
            elif self.action == CONFIRM:
                await self._confirm(bot, interaction, show)
            else:
                await self._join(bot, interaction, show)
        except CliffhangerError as exc:
            await send_private(interaction, str(exc))

    async def _ask(self, interaction: discord.Interaction, show: ShowInfo) -> None:
        code = self.episode.code
        await send_private(
            interaction,
            f"This sets your **{show.title}** progress to {code}, so everything up to {code} "
            "counts as watched, and adds you to its discussion thread. Sure?",
            DiscussButton(CONFIRM, show.id, self.episode),
        )

    async def _confirm(
        self, bot: CliffhangerBot, interaction: discord.Interaction, show: ShowInfo
    ) -> None:
        assert interaction.guild is not None
        await interaction.response.defer(ephemeral=True, thinking=True)  # up to three requests
        service = bot.discussion
        position = await service.catch_up_to(interaction.user.id, show, self.episode)
        access = await service.access_episode(
            interaction.guild.id, interaction.user.id, show, self.episode
        )
        thread = await add_to_thread(
            bot, interaction.guild, interaction.user, access.thread.thread_id
        )
        await send_private(
            interaction,
            f"Progress in **{show.title}** is now {position.code}. You're in {thread.mention}.",
        )

    async def _join(
        self, bot: CliffhangerBot, interaction: discord.Interaction, show: ShowInfo
    ) -> None:
        guild = interaction.guild
        assert guild is not None
        # three requests per archived thread: answer Discord first, within its 3 seconds
        await interaction.response.defer(ephemeral=True, thinking=True)
        rows = await bot.discussion.reachable(guild.id, interaction.user.id, show, self.episode)
        if not rows:
            await send_private(interaction, "There is no thread your progress lets you join.")
            return
        joined = [await add_to_thread(bot, guild, interaction.user, r.thread_id) for r in rows]
        mentions = ", ".join(t.mention for t in joined)
        await send_private(interaction, f"You're in {len(joined)} thread(s): {mentions}.")


async def thread_offer(
    bot: CliffhangerBot,
    interaction: discord.Interaction,
    show: ShowInfo,
    before: EpisodeRef | None,
    after: EpisodeRef,
) -> tuple[str, discord.ui.View | None]:
    """After a progress change: text and a Join button for threads the member moved past."""
    if interaction.guild_id is None:
        return "", None
    try:
        rows = await bot.discussion.passed(interaction.guild_id, show, before, after)
    except Exception:  # the offer is a courtesy; never break /progress over it
        log.exception("could not look up discussion threads")
        return "", None
    if not rows:
        return "", None
    codes = ", ".join(row.episode.code for row in rows)
    view = discord.ui.View(timeout=None)
    view.add_item(DiscussButton(JOIN, show.id, after))
    return f"\n💬 You can now join the discussion of {codes}.", view
