"""WatchPartyService: what the /schedule commands do, independent of Discord."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef, episode_label, resolve_episode
from bot.catalog.shows import ShowInfo
from bot.catalog.store import CatalogStore
from bot.clock import Clock
from bot.errors import NotFoundError
from bot.recaps.service import RecapService
from bot.watchparty import store
from bot.watchparty.cadence import Cadence, parse_cadence, parse_timezone
from bot.watchparty.errors import ScheduleError
from bot.watchparty.firing import Firer, Firing, Poster, cadence_of
from bot.watchparty.plan import format_local, plan_firing, skip_target
from bot.watchparty.store import ScheduleRow
from db import schedules as q

MAX_SCHEDULES_PER_GUILD = 50
UNPOSTED_AFTER = timedelta(minutes=10)  # a post takes seconds; older claims were interrupted


@dataclass(frozen=True, slots=True)
class NewSchedule:
    """What `/schedule add` asked for."""

    guild_id: int
    channel_id: int
    user_id: int
    show: str
    cadence: str
    timezone: str
    start_episode: str | None = None


@dataclass(frozen=True, slots=True)
class ScheduleView:
    """A schedule with its show and cadence, ready to describe."""

    row: ScheduleRow
    show_title: str
    cadence: Cadence

    @property
    def state(self) -> str:
        """`next S01E03 · Fri 9 Jan 2026 20:00 CET`, `paused` or `ended`."""
        row = self.row
        if row.ended:
            return "ended"
        if row.paused or row.next_fire_at is None:
            return f"paused (next {row.next_episode.code})"
        when = format_local(row.next_fire_at.astimezone(self.cadence.zone))
        return f"next {row.next_episode.code} · {when}"

    def line(self, channel: str) -> str:
        """One line for `/schedule list`."""
        return f"**{self.show_title}** in {channel} · {self.cadence.describe()} · {self.state}"

    def label(self, channel: str) -> str:
        """A short label for autocomplete (≤ 100 characters)."""
        return f"{self.show_title} in #{channel} · {self.cadence.text} · {self.state}"[:100]


class WatchPartyService:
    """Creates, lists, pauses, resumes, skips and removes watch parties; fires them."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalog: CatalogStore,
        recaps: RecapService,
        clock: Clock,
        poster: Poster,
        default_grace_hours: Callable[[], float],
        shards: q.ShardSet | None = None,
    ) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._clock = clock
        self.firer = Firer(sessions, catalog, recaps, poster, default_grace_hours, shards)
        self.changed: Callable[[], None] = lambda: None

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """The session factory (for tools such as the benchmark)."""
        return self._sessions

    # ---- creating and listing -------------------------------------------------------

    async def add(self, request: NewSchedule) -> ScheduleView:
        """Create a schedule; its first firing is the next cadence time after now."""
        show = self._show(request.show)
        zone = parse_timezone(request.timezone)
        now = self._clock.now()
        cadence = parse_cadence(request.cadence, zone, now)
        start = self._start(show, request.start_episode)
        await self._check_recaps_left(request.guild_id, show, start)
        first = cadence.next_after(now)
        async with self._sessions() as session:
            if await q.find_schedule(session, request.guild_id, request.channel_id, show.id):
                raise _duplicate(show)
            if (
                len(await store.guild_schedules(session, request.guild_id))
                >= MAX_SCHEDULES_PER_GUILD
            ):
                raise ScheduleError(f"This server already has {MAX_SCHEDULES_PER_GUILD} schedules.")
        try:
            async with self._sessions.begin() as session:
                schedule_id = await q.insert_schedule(
                    session, guild_id=request.guild_id, channel_id=request.channel_id,
                    show_id=show.id, cadence=cadence.text, timezone=zone.key,
                    next_season=start.season, next_episode=start.episode, next_fire_at=first,
                    created_by=request.user_id, created_at=now,
                )  # fmt: skip
        except IntegrityError:
            raise _duplicate(show) from None
        self.changed()
        return await self._view_of(schedule_id)

    def _show(self, query: str) -> ShowInfo:
        show = self._catalog.resolve(query)
        if not show.seasons:
            raise ScheduleError(f"I don't know any episodes of {show.title} yet.")
        return show

    @staticmethod
    def _start(show: ShowInfo, text: str | None) -> EpisodeRef:
        return resolve_episode(text, show.layout) if text else show.layout.first

    async def _check_recaps_left(self, guild_id: int, show: ShowInfo, start: EpisodeRef) -> None:
        async with self._sessions() as session:
            with_recaps = await store.recap_episodes(session, show.id, guild_id)
        if plan_firing(show.layout, with_recaps, start).episode is None:
            raise ScheduleError(
                f"There are no {show.title} recaps from {start.code} on, so there is nothing "
                "to schedule. Pick an earlier `start_episode`."
            )

    async def list(self, guild_id: int) -> list[ScheduleView]:
        """Every schedule of a server."""
        async with self._sessions() as session:
            rows = await store.guild_schedules(session, guild_id)
        return [self._view(row) for row in rows]

    async def unposted(self, guild_id: int) -> builtins.list[str]:
        """`Ballard S01E05` for each recap claimed but never posted (a crash mid-post)."""
        cutoff = self._clock.now() - UNPOSTED_AFTER
        async with self._sessions() as session:
            claims = await store.unposted_claims(session, guild_id, cutoff)
        catalog = self._catalog.catalog
        return [
            episode_label(show.title, episode)
            for show_id, episode in claims
            if (show := catalog.by_id(show_id)) is not None
        ]

    def _view(self, row: ScheduleRow) -> ScheduleView:
        show = self._catalog.catalog.by_id(row.show_id)
        return ScheduleView(row, show.title if show else "(removed show)", cadence_of(row))

    async def _view_of(self, schedule_id: int) -> ScheduleView:
        async with self._sessions() as session:
            row = await store.get_schedule(session, schedule_id)
        if row is None:
            raise NotFoundError("That schedule no longer exists.")
        return self._view(row)

    async def find(self, guild_id: int, reference: str) -> ScheduleView:
        """A schedule of this server by id (autocomplete) or by show name."""
        views = await self.list(guild_id)
        cleaned = reference.strip()
        if cleaned.isdigit():
            for view in views:
                if view.row.id == int(cleaned):
                    return view
        scored = [(fuzz.WRatio(cleaned, v.show_title, processor=str.casefold), v) for v in views]
        best = [v for score, v in scored if score >= 80]
        if len(best) == 1:
            return best[0]
        if len(best) > 1:
            raise ScheduleError(
                f"Several schedules match “{cleaned[:40]}”: pick one from the list."
            )
        raise NotFoundError(f"This server has no schedule “{cleaned[:40]}”. See `/schedule list`.")

    # ---- changing -------------------------------------------------------------------

    async def pause(self, guild_id: int, reference: str) -> ScheduleView:
        """Stop firing until resumed (missed firings are not made up)."""
        view = await self.find(guild_id, reference)
        _require_active(view)
        if view.row.paused:
            raise ScheduleError(f"The {view.show_title} schedule is already paused.")
        return await self._update(view, paused=True, next_fire_at=None)

    async def resume(self, guild_id: int, reference: str) -> ScheduleView:
        """Fire again from the next cadence time after now."""
        view = await self.find(guild_id, reference)
        _require_active(view)
        if not view.row.paused:
            raise ScheduleError(f"The {view.show_title} schedule is not paused.")
        following = view.cadence.next_after(self._clock.now())
        return await self._update(view, paused=False, next_fire_at=following)

    async def skip(self, guild_id: int, reference: str) -> tuple[ScheduleView, EpisodeRef]:
        """Pass over the next episode; return the new view and the skipped episode."""
        view = await self.find(guild_id, reference)
        _require_active(view)
        show = self._show(view.show_title)
        async with self._sessions() as session:
            with_recaps = await store.recap_episodes(session, show.id, guild_id)
        passed, following = skip_target(show.layout, with_recaps, view.row.next_episode)
        if passed is None or following is None:
            last = passed.code if passed else view.row.next_episode.code
            raise ScheduleError(
                f"{last} is the last {show.title} recap, so skipping it would leave nothing to "
                "post. Use `/schedule remove` to end the watch party instead."
            )
        updated = await self._update(
            view, next_season=following.season, next_episode=following.episode
        )
        return updated, passed

    async def remove(self, guild_id: int, reference: str) -> ScheduleView:
        """Delete a schedule (its posted recaps and threads stay)."""
        view = await self.find(guild_id, reference)
        async with self._sessions.begin() as session:
            await q.delete_schedule(session, view.row.id)
        self.changed()
        return view

    async def _update(self, view: ScheduleView, **values: object) -> ScheduleView:
        async with self._sessions.begin() as session:
            await q.update_schedule(session, view.row.id, **values)
        self.changed()
        return await self._view_of(view.row.id)

    # ---- firing ---------------------------------------------------------------------

    async def run_due(self, now: datetime, *, simulate: bool = False) -> builtins.list[Firing]:
        """Fire what is due (see Firer.run_due)."""
        return await self.firer.run_due(now, simulate=simulate)

    async def next_wakeup(self) -> datetime | None:
        """When the earliest active schedule is due."""
        async with self._sessions() as session:
            return await q.earliest_fire_at(session, self.firer.shards)


def _duplicate(show: ShowInfo) -> ScheduleError:
    return ScheduleError(
        f"That channel already has a {show.title} watch party. See `/schedule list`, or "
        "`/schedule remove` it first."
    )


def _require_active(view: ScheduleView) -> None:
    if view.row.ended:
        raise ScheduleError(
            f"The {view.show_title} watch party has ended. `/schedule remove` it, then add "
            "a new one."
        )
