"""Watch-party schedules and discussion threads as the services and cogs see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.episodes import EpisodeRef
from db import schedules as q
from db.models import DiscussionThread, Schedule


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """One schedule as the service needs it."""

    id: int
    guild_id: int
    channel_id: int
    show_id: int
    cadence: str
    timezone: str
    next_episode: EpisodeRef
    next_fire_at: datetime | None
    paused: bool
    ended: bool
    created_by: int
    created_at: datetime

    @classmethod
    def of(cls, row: Schedule) -> ScheduleRow:
        """Copy a mapped row, normalising datetimes to aware UTC."""
        return cls(
            row.id, row.guild_id, row.channel_id, row.show_id, row.cadence, row.timezone,
            EpisodeRef(row.next_season, row.next_episode), q.as_utc(row.next_fire_at),
            row.paused, row.ended, row.created_by, q.as_utc(row.created_at) or row.created_at,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class ThreadRow:
    """A discussion thread of one episode in one server."""

    thread_id: int
    channel_id: int
    show_id: int
    episode: EpisodeRef

    @classmethod
    def of(cls, row: DiscussionThread) -> ThreadRow:
        """Copy a mapped row."""
        return cls(row.thread_id, row.channel_id, row.show_id, EpisodeRef(row.season, row.episode))


async def get_schedule(session: AsyncSession, schedule_id: int) -> ScheduleRow | None:
    """One schedule by id."""
    row = await q.get_schedule(session, schedule_id)
    return ScheduleRow.of(row) if row else None


async def guild_schedules(session: AsyncSession, guild_id: int) -> list[ScheduleRow]:
    """Every schedule of a server, oldest first."""
    return [ScheduleRow.of(row) for row in await q.guild_schedules(session, guild_id)]


async def due_schedules(
    session: AsyncSession, now: datetime, limit: int, shards: q.ShardSet | None = None
) -> list[ScheduleRow]:
    """Active schedules due at or before `now`, earliest first (of guilds on `shards`)."""
    return [ScheduleRow.of(row) for row in await q.due_schedules(session, now, limit, shards)]


async def claim_recap(
    session: AsyncSession, row: ScheduleRow, episode: EpisodeRef, now: datetime
) -> int:
    """Claim the post of this schedule's recap of `episode` (IntegrityError if already taken)."""
    return await q.claim_recap(
        session, schedule_id=row.id, guild_id=row.guild_id, channel_id=row.channel_id,
        show_id=row.show_id, episode=episode, now=now,
    )  # fmt: skip


async def recap_episodes(
    session: AsyncSession, show_id: int, guild_id: int | None = None
) -> set[EpisodeRef]:
    """Episodes of a show with at least one review the server reads."""
    return {EpisodeRef(*pair) for pair in await q.recap_episodes(session, show_id, guild_id)}


async def unposted_claims(
    session: AsyncSession, guild_id: int, older_than: datetime
) -> list[tuple[int, EpisodeRef]]:
    """Recaps claimed before `older_than` whose post never completed (the bot stopped mid-post)."""
    claims = await q.unposted_claims(session, guild_id, older_than)
    return [(show_id, EpisodeRef(*episode)) for show_id, episode in claims]


async def get_thread(
    session: AsyncSession, guild_id: int, show_id: int, episode: EpisodeRef
) -> ThreadRow | None:
    """The discussion thread of one episode in a server."""
    row = await q.get_thread(session, guild_id, show_id, episode)
    return ThreadRow.of(row) if row else None


async def threads_between(
    session: AsyncSession, guild_id: int, show_id: int,
    after: EpisodeRef | None, up_to: EpisodeRef,
) -> list[ThreadRow]:  # fmt: skip
    """A server's threads of a show for episodes in (after, up_to], in episode order."""
    rows = await q.threads_between(session, guild_id, show_id, after, up_to)
    return [ThreadRow.of(row) for row in rows]


async def open_threads(session: AsyncSession, guild_id: int) -> dict[int, list[EpisodeRef]]:
    """Every episode discussion thread of a server, by show, in episode order."""
    threads = await q.open_threads(session, guild_id)
    return {show_id: [EpisodeRef(*ref) for ref in refs] for show_id, refs in threads.items()}
