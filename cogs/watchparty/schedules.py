"""/schedule: watch parties that post the next episode's recap and open its thread on a cadence."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui.autocomplete import MAX_CHOICES, episode_autocomplete, show_autocomplete
from bot.ui.permissions import permission_name
from bot.ui.replies import send_private
from bot.watchparty.cadence import EXAMPLES, zone_names
from bot.watchparty.errors import ScheduleError
from bot.watchparty.plan import format_local
from bot.watchparty.service import NewSchedule, ScheduleView, WatchPartyService

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

NEEDED = ("view_channel", "send_messages", "create_private_threads", "send_messages_in_threads",
          "manage_threads")  # fmt: skip


def missing_permissions(channel: discord.abc.GuildChannel, me: discord.Member) -> list[str]:
    """Permissions a watch party needs in `channel` that the bot lacks, as readable names."""
    have = channel.permissions_for(me)
    return [permission_name(name) for name in NEEDED if not getattr(have, name)]


def _when(view: ScheduleView) -> str:
    moment = view.row.next_fire_at
    if moment is None:
        return "not scheduled"
    local = format_local(moment.astimezone(view.cadence.zone))
    return f"{local} ({discord.utils.format_dt(moment, 'R')})"


async def schedule_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """This server's schedules, labelled by show, channel and cadence; the value is the id."""
    bot: CliffhangerBot = interaction.client  # type: ignore[assignment]
    if interaction.guild_id is None:
        return []
    views = await bot.watchparty.list(interaction.guild_id)
    typed = current.casefold().strip()
    choices = []
    for view in views:
        label = view.label(_channel_name(bot, view.row.channel_id))
        if typed in label.casefold():
            choices.append(app_commands.Choice(name=label, value=str(view.row.id)))
    return choices[:MAX_CHOICES]


async def timezone_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """IANA zone names containing what was typed."""
    typed = current.casefold().strip().replace(" ", "_")
    names = sorted(n for n in zone_names().values() if typed in n.casefold())
    names.sort(key=lambda n: (not n.casefold().startswith(typed), "/" not in n, n))
    return [app_commands.Choice(name=n, value=n) for n in names[:MAX_CHOICES]]


def _channel_name(bot: CliffhangerBot, channel_id: int) -> str:
    channel = bot.get_channel(channel_id)
    return getattr(channel, "name", None) or str(channel_id)


class SchedulesCog(commands.Cog, name="Schedules"):
    """Watch parties: recaps on a cadence, each with its discussion thread."""

    schedule = app_commands.Group(
        name="schedule",
        description="Watch parties: post the next episode's recap on a cadence",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot
        self.service: WatchPartyService = bot.watchparty
        self._recovered = False

    async def cog_load(self) -> None:
        """When reloaded into a running bot, start at once (on_ready will not come again)."""
        if self.bot.is_ready():
            await self._start()

    async def cog_unload(self) -> None:
        """Stop the real-time timer (a reloaded cog starts it again)."""
        if self.bot.wakeups is not None:
            self.bot.wakeups.shutdown()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Once per process: post missed firings (late, within the grace period), arm the timer."""
        await self._start()

    async def _start(self) -> None:
        if self._recovered:
            return
        self._recovered = True
        try:
            await self.service.run_due(self.bot.clock.now())
        finally:
            timer = self.bot.wakeups
            if timer is not None and not timer.running:
                timer.start()
                await timer.rearm()

    @commands.Cog.listener()
    async def on_clock_advanced(self, now: datetime) -> None:
        """Playground clock: fire everything that fell due, each at its own time."""
        await self.service.run_due(now, simulate=True)

    @commands.Cog.listener()
    async def on_corpus_changed(self, _guild_id: int | None = None) -> None:
        """Recaps may have appeared or gone."""
        self.service.firer.forget_corpus()

    def _channel(self, interaction: discord.Interaction) -> str:
        return _channel_name(self.bot, interaction.channel_id or 0)

    @schedule.command(name="add", description="Start a watch party in a channel")
    @app_commands.describe(
        show="The show",
        channel="Where recaps and threads go",
        when="e.g. fridays 20:00, daily 18:30, every 2 days 21:00, or cron 0 20 * * 5",
        timezone="IANA time zone, e.g. Europe/Berlin",
        start_episode="First episode to post (default: the pilot)",
    )
    @app_commands.autocomplete(
        show=show_autocomplete, timezone=timezone_autocomplete, start_episode=episode_autocomplete
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def add(
        self,
        interaction: discord.Interaction,
        show: app_commands.Range[str, 1, 100],
        channel: discord.TextChannel,
        when: app_commands.Range[str, 1, 100],
        timezone: app_commands.Range[str, 1, 64],
        start_episode: app_commands.Range[str, 1, 60] | None = None,
    ) -> None:
        """Create a schedule after checking the bot can post and open threads there."""
        assert interaction.guild is not None
        missing = missing_permissions(channel, interaction.guild.me)
        if missing:
            raise ScheduleError(
                f"I can't run a watch party in #{channel.name}: I need the "
                f"**{', '.join(missing)}** permission there."
            )
        request = NewSchedule(
            interaction.guild.id, channel.id, interaction.user.id, show, when, timezone,
            start_episode,
        )  # fmt: skip
        view = await self.service.add(request)
        await send_private(
            interaction,
            f"📅 Watch party set: **{view.show_title}** in #{channel.name} · "
            f"{view.cadence.describe()}.\nFirst up: {view.row.next_episode.code} on "
            f"{_when(view)}. Each firing posts the recap and opens a private discussion thread.",
        )

    @schedule.command(name="list", description="This server's watch parties")
    async def list_(self, interaction: discord.Interaction) -> None:
        """List every schedule of the server."""
        assert interaction.guild_id is not None
        views = await self.service.list(interaction.guild_id)
        if not views:
            text = f"No watch parties yet. Start one with `/schedule add` (cadences: {EXAMPLES})."
        else:
            lines = [v.line("#" + _channel_name(self.bot, v.row.channel_id)) for v in views]
            text = "📅 Watch parties:\n" + "\n".join(f"• {line}" for line in lines)
        unposted = await self.service.unposted(interaction.guild_id)
        if unposted:
            text += (
                f"\n⚠ Claimed but never posted (I stopped mid-post): {', '.join(unposted)}. "
                "Post them with `/post-recap`; I won't repost them myself, to never post twice."
            )
        await send_private(interaction, text)

    @schedule.command(name="pause", description="Pause a watch party")
    @app_commands.describe(schedule="Which watch party")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def pause(self, interaction: discord.Interaction, schedule: str) -> None:
        """Stop firing until resumed."""
        assert interaction.guild_id is not None
        view = await self.service.pause(interaction.guild_id, schedule)
        await send_private(
            interaction,
            f"⏸ Paused the **{view.show_title}** watch party. `/schedule resume` picks it up "
            f"again with {view.row.next_episode.code}.",
        )

    @schedule.command(name="resume", description="Resume a paused watch party")
    @app_commands.describe(schedule="Which watch party")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def resume(self, interaction: discord.Interaction, schedule: str) -> None:
        """Fire again from the next cadence time."""
        assert interaction.guild_id is not None
        view = await self.service.resume(interaction.guild_id, schedule)
        await send_private(
            interaction,
            f"▶ Resumed the **{view.show_title}** watch party: {view.row.next_episode.code} "
            f"on {_when(view)}.",
        )

    @schedule.command(name="skip", description="Skip the next episode of a watch party")
    @app_commands.describe(schedule="Which watch party")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def skip(self, interaction: discord.Interaction, schedule: str) -> None:
        """The next firing moves one episode further."""
        assert interaction.guild_id is not None
        view, passed = await self.service.skip(interaction.guild_id, schedule)
        await send_private(
            interaction,
            f"⏭ Skipped {passed.code} of **{view.show_title}**: the next firing, "
            f"{_when(view)}, posts {view.row.next_episode.code}.",
        )

    @schedule.command(name="remove", description="End and delete a watch party")
    @app_commands.describe(schedule="Which watch party")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def remove(self, interaction: discord.Interaction, schedule: str) -> None:
        """Delete the schedule; posted recaps and threads stay."""
        assert interaction.guild_id is not None
        view = await self.service.remove(interaction.guild_id, schedule)
        channel = _channel_name(self.bot, view.row.channel_id)
        await send_private(
            interaction,
            f"🗑 Removed the **{view.show_title}** watch party in #{channel}. Recaps and "
            "threads already posted stay.",
        )
