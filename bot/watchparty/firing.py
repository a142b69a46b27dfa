"""Firing schedules: claim in the database first (exactly once), then post through a Poster."""

from __future__ import annotations

import asyncio
import enum
import heapq
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef
from bot.catalog.shows import ShowInfo
from bot.catalog.store import CatalogStore
from bot.errors import CliffhangerError
from bot.recaps.service import Recap, RecapService
from bot.watchparty import store
from bot.watchparty.cadence import Cadence, parse_cadence
from bot.watchparty.plan import FiringPlan, Timing, late_note, missed_firings, plan_firing, timing
from bot.watchparty.store import ScheduleRow
from db import schedules as q

log = logging.getLogger(__name__)
PAGE = 500
MAX_THREAD_INVITES = 100
CONCURRENT_FIRINGS = {"sqlite": 4, "postgresql": 16}  # SQLite writes one at a time anyway
RECAP_CACHE_SIZE = 512


class PostingFailed(Exception):
    """The recap could not be posted (channel gone, permission missing…)."""


class Poster(Protocol):
    """Where firings go: Discord in the bot, a list in tests and the benchmark."""

    async def post_recap(self, row: ScheduleRow, recap: Recap, note: str | None) -> int:
        """Post the spoiler-tagged recap; return the first message's id."""
        ...

    async def open_thread(self, row: ScheduleRow, recap: Recap, members: list[int]) -> int:
        """Open the episode's private discussion thread with these members; return its id."""
        ...

    async def post_text(self, row: ScheduleRow, text: str) -> None:
        """Post a plain message (the closing message) in the schedule's channel."""
        ...


class Outcome(enum.Enum):
    """What became of one firing."""

    POSTED = "posted"
    ENDED = "ended"
    SKIPPED = "skipped"
    DUPLICATE = "duplicate"
    NOT_DUE = "not due"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Firing:
    """One firing's result."""

    schedule_id: int
    due: datetime
    outcome: Outcome
    episode: EpisodeRef | None = None
    late: bool = False


def cadence_of(row: ScheduleRow) -> Cadence:
    """The schedule's cadence, anchored at its creation."""
    return parse_cadence(row.cadence, ZoneInfo(row.timezone), row.created_at)


class Firer:
    """Runs due schedules; safe against other processes sharing the database."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalog: CatalogStore,
        recaps: RecapService,
        poster: Poster,
        default_grace: Callable[[], float],
        shards: q.ShardSet | None = None,
    ) -> None:
        self._sessions = sessions
        self.shards = shards
        self._catalog = catalog
        self._recaps = recaps
        self.poster = poster
        self._default_grace = default_grace
        self._lock = asyncio.Lock()
        self._recap_cache: dict[tuple[int, int], set[EpisodeRef]] = {}
        self._recap_texts: dict[tuple[int, int, EpisodeRef], Recap] = {}
        self._grace_cache: dict[int, timedelta] = {}
        self._write_lock = asyncio.Lock()
        self._dialect: str = sessions.kw["bind"].dialect.name

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[AsyncSession]:
        """A write transaction; on SQLite, one at a time in this process (no busy waits)."""
        if self._dialect != "sqlite":
            async with self._sessions.begin() as session:
                yield session
            return
        async with self._write_lock, self._sessions.begin() as session:
            yield session

    def forget_corpus(self) -> None:
        """Drop cached recaps and recap availability (after a corpus import)."""
        self._recap_cache.clear()
        self._recap_texts.clear()

    async def run_due(self, now: datetime, *, simulate: bool) -> list[Firing]:
        """Fire everything due by `now`: each at its own due time (simulate) or once, late."""
        async with self._lock:
            if simulate:
                return await self._run_simulated(now)
            return await self._run_recovering(now)

    async def _load_due(self, now: datetime) -> list[ScheduleRow]:
        async with self._sessions() as session:
            return await store.due_schedules(session, now, PAGE, self.shards)

    async def _run_simulated(self, now: datetime) -> list[Firing]:
        results: list[Firing] = []
        tried: set[tuple[int, datetime]] = set()
        while rows := [r for r in await self._load_due(now) if (r.id, r.next_fire_at) not in tried]:
            heap = [(_due_at(r), r.id, r) for r in rows]
            heapq.heapify(heap)
            while heap:
                due, _, row = heapq.heappop(heap)
                tried.add((row.id, due))
                results.append(await self.fire(row, due, due))
                fresh = await self._reload(row.id)
                if _still_due(fresh, now, tried):
                    assert fresh is not None and fresh.next_fire_at is not None
                    heapq.heappush(heap, (fresh.next_fire_at, fresh.id, fresh))
        return results

    async def _run_recovering(self, now: datetime) -> list[Firing]:
        """Each due schedule fires once (late or skipped per grace), several at a time."""
        results: list[Firing] = []
        tried: set[int] = set()
        self._grace_cache.clear()
        gate = asyncio.Semaphore(CONCURRENT_FIRINGS.get(self._dialect, 4))

        async def recover(row: ScheduleRow) -> Firing:
            async with gate:
                return await self._recover(row, now)

        while rows := [r for r in await self._load_due(now) if r.id not in tried]:
            tried.update(row.id for row in rows)
            results += await asyncio.gather(*(recover(row) for row in rows))
        return results

    async def _reload(self, schedule_id: int) -> ScheduleRow | None:
        async with self._sessions() as session:
            return await store.get_schedule(session, schedule_id)

    async def _recover(self, row: ScheduleRow, now: datetime) -> Firing:
        assert row.next_fire_at is not None
        missed = missed_firings(cadence_of(row), row.next_fire_at, now)
        for old in missed.skipped:
            log.warning("schedule %s: skipped the firing due %s (superseded)", row.id, old)
        grace = await self._grace(row.guild_id)
        if timing(missed.latest, now, grace) is Timing.TOO_LATE:
            log.warning(
                "schedule %s: skipped the firing due %s, older than the %s grace period",
                row.id, missed.latest, grace,
            )  # fmt: skip
            await self._move(row, row.next_fire_at, missed.next_after_now)
            return Firing(row.id, missed.latest, Outcome.SKIPPED)
        if missed.latest != row.next_fire_at:
            if not await self._move(row, row.next_fire_at, missed.latest):
                return Firing(row.id, missed.latest, Outcome.NOT_DUE)
            row = _replace_fire_at(row, missed.latest)
        return await self.fire(row, missed.latest, now)

    async def _move(self, row: ScheduleRow, old: datetime, new: datetime | None) -> bool:
        async with self._writing() as session:
            return await q.advance_schedule(session, row.id, old, row.next_episode, new)

    async def _grace(self, guild_id: int) -> timedelta:
        """The guild's grace period (read once per run)."""
        if guild_id not in self._grace_cache:
            async with self._sessions() as session:
                hours = await q.grace_hours(session, guild_id)
            default = self._default_grace()
            self._grace_cache[guild_id] = timedelta(hours=default if hours is None else hours)
        return self._grace_cache[guild_id]

    async def _recap(self, guild_id: int, show: ShowInfo, episode: EpisodeRef) -> Recap:
        key = (guild_id, show.id, episode)
        if key not in self._recap_texts:
            if len(self._recap_texts) >= RECAP_CACHE_SIZE:
                self._recap_texts.clear()
            self._recap_texts[key] = await self._recaps.recap(show, episode, guild_id)
        return self._recap_texts[key]

    async def _with_recaps(self, guild_id: int, show_id: int) -> set[EpisodeRef]:
        key = (guild_id, show_id)
        if key not in self._recap_cache:
            async with self._sessions() as session:
                self._recap_cache[key] = await store.recap_episodes(session, show_id, guild_id)
        return self._recap_cache[key]

    async def fire(self, row: ScheduleRow, due: datetime, now: datetime) -> Firing:
        """Fire one schedule due at `due`, as seen at `now` (late posts carry a note)."""
        show = self._catalog.catalog.by_id(row.show_id)
        if show is None or not show.seasons:
            return await self._end(row, due, None)
        with_recaps = await self._with_recaps(row.guild_id, show.id)
        plan = plan_firing(show.layout, with_recaps, row.next_episode)
        if plan.episode is None:
            return await self._end(row, due, show)
        try:
            recap = await self._recap(row.guild_id, show, plan.episode)
        except CliffhangerError:
            self.forget_corpus()
            log.warning("schedule %s: no recap of %s any more", row.id, plan.episode.code)
            return Firing(row.id, due, Outcome.NOT_DUE)
        following_fire = cadence_of(row).next_after(due)
        claim = await self._claim(row, due, plan, following_fire, now)
        if claim is None:
            return Firing(row.id, due, Outcome.DUPLICATE, plan.episode)
        late = timing(due, now, timedelta.max) is not Timing.ON_TIME
        return await self._publish(row, due, plan, recap, claim, late)

    async def _claim(
        self, row: ScheduleRow, due: datetime, plan: FiringPlan,
        following_fire: datetime | None, now: datetime,
    ) -> _Claim | None:  # fmt: skip
        """Insert the PostedRecap row and move the schedule on, in one transaction."""
        assert plan.episode is not None
        try:
            async with self._writing() as session:
                claim = await store.claim_recap(session, row, plan.episode, now)
                moved = await q.advance_schedule(
                    session, row.id, due, plan.following, following_fire
                )
                if not moved:
                    raise _Raced
                members = await q.watchers_reaching(
                    session, row.show_id, plan.episode, MAX_THREAD_INVITES
                )
                return _Claim(claim, now, members)
        except IntegrityError:
            log.info("schedule %s: %s was already posted here", row.id, plan.episode.code)
            async with self._writing() as session:
                await q.advance_schedule(session, row.id, due, plan.following, following_fire)
        except _Raced:
            log.info("schedule %s: another process fired %s", row.id, due)
        except OperationalError as exc:  # SQLite: another writer held the database too long
            log.warning("schedule %s: database busy, firing left for later (%s)", row.id, exc)
        return None

    async def _publish(
        self, row: ScheduleRow, due: datetime, plan: FiringPlan,
        recap: Recap, claim: _Claim, late: bool,
    ) -> Firing:  # fmt: skip
        assert plan.episode is not None
        note = late_note(due, ZoneInfo(row.timezone)) if late else None
        try:
            message_id = await self.poster.post_recap(row, recap, note)
        except PostingFailed as exc:
            await self._release(row, due, claim.id, exc)
            return Firing(row.id, due, Outcome.FAILED, plan.episode, late)
        thread_id = await self._open_thread(row, recap, claim.members)
        async with self._writing() as session:
            await q.record_message(session, claim.id, message_id)
            if thread_id is not None:
                await q.add_thread(
                    session, row.guild_id, row.channel_id, row.show_id, recap.episode,
                    thread_id, claim.now,
                )  # fmt: skip
        if plan.is_final:
            await self._say(row, closing_text(recap.show, last=True))
        return Firing(row.id, due, Outcome.POSTED, plan.episode, late)

    async def _open_thread(self, row: ScheduleRow, recap: Recap, members: list[int]) -> int | None:
        try:
            return await self.poster.open_thread(row, recap, members)
        except PostingFailed as exc:
            log.warning("schedule %s: could not open the thread: %s", row.id, exc)
            return None

    async def _release(self, row: ScheduleRow, due: datetime, claim: int, exc: Exception) -> None:
        log.warning("schedule %s: posting failed (%s); paused it", row.id, exc)
        async with self._writing() as session:
            await q.release_claim(session, claim)
            await q.update_schedule(
                session, row.id, next_season=row.next_episode.season,
                next_episode=row.next_episode.episode, next_fire_at=None,
                paused=True, ended=False,
            )  # fmt: skip

    async def _end(self, row: ScheduleRow, due: datetime, show: ShowInfo | None) -> Firing:
        async with self._writing() as session:
            won = await q.advance_schedule(session, row.id, due, None, None)
        if not won:
            return Firing(row.id, due, Outcome.DUPLICATE)
        if show is not None:
            await self._say(row, closing_text(show, last=False))
        return Firing(row.id, due, Outcome.ENDED)

    async def _say(self, row: ScheduleRow, text: str) -> None:
        try:
            await self.poster.post_text(row, text)
        except PostingFailed as exc:
            log.warning("schedule %s: could not post the closing message: %s", row.id, exc)


def _due_at(row: ScheduleRow) -> datetime:
    assert row.next_fire_at is not None  # a due schedule always has a time
    return row.next_fire_at


def _still_due(row: ScheduleRow | None, now: datetime, tried: set[tuple[int, datetime]]) -> bool:
    if row is None or row.paused or row.ended:
        return False
    if row.next_fire_at is None or row.next_fire_at > now:
        return False
    return (row.id, row.next_fire_at) not in tried


@dataclass(frozen=True, slots=True)
class _Claim:
    """A won claim: the PostedRecap id, when, and who to invite to the thread."""

    id: int
    now: datetime
    members: list[int]


class _Raced(Exception):
    """Another process moved the schedule first."""


def closing_text(show: ShowInfo, *, last: bool) -> str:
    """The message that ends a watch party."""
    if last:
        return (
            f"🎬 That was the last {show.title} recap I have, so this watch party is over. "
            "Thanks for watching together!"
        )
    return (
        f"🎬 There are no more {show.title} recaps to post, so this watch party is over. "
        "Thanks for watching together!"
    )


def _replace_fire_at(row: ScheduleRow, moment: datetime) -> ScheduleRow:
    return replace(row, next_fire_at=moment)
