"""/discuss: join an episode's private discussion thread once your progress reaches it."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.episodes import EpisodeRef, progress_phrase
from bot.catalog.shows import ShowInfo
from bot.errors import CliffhangerError, NotFoundError, PermissionDenied
from bot.ui.autocomplete import episode_autocomplete, show_autocomplete
from bot.ui.replies import send_private
from bot.watchparty.discussion import DiscussionService, ThreadAccess
from bot.watchparty.store import ThreadRow
from cogs.watchparty.schedules import watchparty

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

log = logging.getLogger(__name__)
ASK, CONFIRM, JOIN = "ask", "yes", "join"


def discussion(bot: CliffhangerBot) -> DiscussionService:
    """The bot's discussion service."""
    return watchparty(bot).discussion


async def add_to_thread(
    bot: CliffhangerBot, guild: discord.Guild, member: discord.abc.Snowflake, row: ThreadRow
) -> discord.Thread:
    """Add a member to an episode's thread (unarchiving it if needed)."""
    thread = guild.get_thread(row.thread_id)
    try:
        if thread is None:
            thread = await bot.fetch_channel(row.thread_id)  # type: ignore[assignment]
        assert isinstance(thread, discord.Thread)
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
    discord.ui.DynamicItem[discord.ui.Button],
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
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> DiscussButton:
        """Rebuild the button from its custom_id."""
        episode = EpisodeRef(int(match["season"]), int(match["episode"]))
        return cls(match["action"], int(match["show"]), episode)

    async def callback(self, interaction: discord.Interaction) -> None:
        """Dispatch on the button's action."""
        bot: CliffhangerBot = interaction.client  # type: ignore[assignment]
        if interaction.guild is None:
            await send_private(interaction, "That only works inside a server.")
            return
        try:
            show = discussion(bot).show(self.show_id)
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
        service = discussion(bot)
        position = await service.catch_up_to(interaction.user.id, show, self.episode)
        access = await service.access_episode(
            interaction.guild.id, interaction.user.id, show, self.episode
        )
        thread = await add_to_thread(bot, interaction.guild, interaction.user, access.thread)
        await send_private(
            interaction,
            f"Progress in **{show.title}** is now {position.code}. You're in {thread.mention}.",
        )

    async def _join(
        self, bot: CliffhangerBot, interaction: discord.Interaction, show: ShowInfo
    ) -> None:
        assert interaction.guild is not None
        rows = await discussion(bot).reachable(
            interaction.guild.id, interaction.user.id, show, self.episode
        )
        if not rows:
            await send_private(interaction, "There is no thread your progress lets you join.")
            return
        joined = [await add_to_thread(bot, interaction.guild, interaction.user, r) for r in rows]
        mentions = ", ".join(t.mention for t in joined)
        await send_private(interaction, f"You're in {len(joined)} thread(s): {mentions}.")


async def position_before(bot: CliffhangerBot, user_id: int, show_query: str) -> EpisodeRef | None:
    """The member's progress before a change (None if unknown or the show is unclear)."""
    try:
        show = bot.catalog.resolve(show_query)
    except CliffhangerError:
        return None
    return await bot.progress.get(user_id, show)


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
        rows = await discussion(bot).passed(interaction.guild_id, show, before, after)
    except Exception:  # the offer is a courtesy; never break /progress over it
        log.exception("could not look up discussion threads")
        return "", None
    if not rows:
        return "", None
    codes = ", ".join(row.episode.code for row in rows)
    view = discord.ui.View(timeout=None)
    view.add_item(DiscussButton(JOIN, show.id, after))
    return f"\n💬 You can now join the discussion of {codes}.", view


def _refusal(access: ThreadAccess) -> str:
    code = access.thread.episode.code
    return (
        f"The **{access.show.title} {code}** thread is for members who have watched {code}, "
        f"and {progress_phrase(access.progress, access.show.title)}. "
        "Watched it already? Update your progress to join."
    )


class DiscussCog(commands.Cog, name="Discuss"):
    """Episode discussion threads, gated by watch progress."""

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot

    @app_commands.command(name="discuss", description="Join an episode's discussion thread")
    @app_commands.describe(show="The show", episode="Which episode's thread")
    @app_commands.autocomplete(show=show_autocomplete, episode=episode_autocomplete)
    @app_commands.guild_only()
    async def discuss(
        self,
        interaction: discord.Interaction,
        show: app_commands.Range[str, 1, 100],
        episode: app_commands.Range[str, 1, 60],
    ) -> None:
        """Add the member if their progress reaches the episode; else offer to catch up."""
        assert interaction.guild is not None
        access = await discussion(self.bot).access(
            interaction.guild.id, interaction.user.id, show, episode
        )
        if not access.allowed:
            button = DiscussButton(ASK, access.show.id, access.thread.episode)
            await send_private(interaction, _refusal(access), button)
            return
        thread = await add_to_thread(self.bot, interaction.guild, interaction.user, access.thread)
        await send_private(interaction, f"You're in {thread.mention}. Enjoy the discussion!")


async def setup(bot: CliffhangerBot) -> None:
    """Load the discuss cog and its persistent buttons."""
    bot.add_dynamic_items(DiscussButton)
    await bot.add_cog(DiscussCog(bot))
