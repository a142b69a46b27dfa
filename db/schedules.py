"""Queries for watch-party schedules, posted recaps and discussion threads."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    ColumnElement,
    and_,
    delete,
    func,
    literal_column,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from db.corpus import visible_to
from db.models import (
    DiscussionThread,
    Episode,
    GuildSettings,
    PostedRecap,
    ReviewDocument,
    Schedule,
    Season,
    WatchProgress,
)
from db.positions import EpisodeNumbers, Position
from db.upsert import insert_for, rows_affected

Column = InstrumentedAttribute[int]


def as_utc(moment: datetime | None) -> datetime | None:
    """Aware UTC datetimes from either backend (SQLite hands back naive ones)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def to_utc(moment: datetime | None) -> datetime | None:
    """What to store: aware UTC (SQLite keeps the wall time and drops the offset)."""
    return None if moment is None else moment.astimezone(UTC)


async def insert_schedule(session: AsyncSession, **values: object) -> int:
    """Insert a schedule; the caller handles IntegrityError (duplicate show/channel)."""
    moments = {k: to_utc(v) for k, v in values.items() if isinstance(v, datetime)}
    row = Schedule(**{**values, **moments})
    session.add(row)
    await session.flush()
    return row.id


async def get_schedule(session: AsyncSession, schedule_id: int) -> Schedule | None:
    """One schedule by id, as the database has it now."""
    return await session.get(Schedule, schedule_id, populate_existing=True)


async def guild_schedules(session: AsyncSession, guild_id: int) -> list[Schedule]:
    """Every schedule of a server, oldest first."""
    rows = await session.scalars(
        select(Schedule).where(Schedule.guild_id == guild_id).order_by(Schedule.id)
    )
    return list(rows)


async def find_schedule(
    session: AsyncSession, guild_id: int, channel_id: int, show_id: int
) -> Schedule | None:
    """The schedule of a show in a channel, if any."""
    return await session.scalar(
        select(Schedule).where(
            Schedule.guild_id == guild_id,
            Schedule.channel_id == channel_id,
            Schedule.show_id == show_id,
        )
    )


def _active() -> ColumnElement[bool]:
    return and_(Schedule.paused.is_(False), Schedule.ended.is_(False))


ShardSet = tuple[int, tuple[int, ...]]
"""`(shard_count, shard_ids)`: the gateway shards one process serves."""


def _served(shards: ShardSet | None) -> ColumnElement[bool]:
    """Schedules of guilds on these shards (Discord's `(guild_id >> 22) % shard_count`)."""
    if shards is None:
        return true()
    count, ids = shards
    return (Schedule.guild_id.op(">>")(literal_column("22")) % count).in_(ids)


async def due_schedules(
    session: AsyncSession, now: datetime, limit: int, shards: ShardSet | None = None
) -> list[Schedule]:
    """Active schedules due at or before `now`, earliest first (of guilds on `shards`)."""
    rows = await session.scalars(
        select(Schedule)
        .where(_active(), _served(shards), Schedule.next_fire_at <= to_utc(now))
        .order_by(Schedule.next_fire_at, Schedule.id)
        .limit(limit)
    )
    return list(rows)


async def earliest_fire_at(
    session: AsyncSession, shards: ShardSet | None = None
) -> datetime | None:
    """When the next active schedule (of a guild on `shards`) is due."""
    earliest = select(func.min(Schedule.next_fire_at)).where(_active(), _served(shards))
    return as_utc(await session.scalar(earliest))


async def advance_schedule(
    session: AsyncSession,
    schedule_id: int,
    expected_fire_at: datetime,
    next_episode: Position | None,
    next_fire_at: datetime | None,
) -> bool:
    """Move a schedule on, only if it is still at `expected_fire_at`; None episode ends it."""
    values: dict[str, object] = {"next_fire_at": to_utc(next_fire_at)}
    if next_episode is None:
        values.update(ended=True, next_fire_at=None)
    else:
        values.update(next_season=next_episode.season, next_episode=next_episode.episode)
    move = (
        update(Schedule)
        .where(
            Schedule.id == schedule_id,
            Schedule.next_fire_at == to_utc(expected_fire_at),
            _active(),
        )
        .values(**values)
    )
    return await rows_affected(session, move) == 1


async def update_schedule(session: AsyncSession, schedule_id: int, **values: object) -> bool:
    """Change fields of one schedule; return whether it exists."""
    values = {k: to_utc(v) if isinstance(v, datetime) else v for k, v in values.items()}
    change = update(Schedule).where(Schedule.id == schedule_id).values(**values)
    return await rows_affected(session, change) == 1


async def delete_schedule(session: AsyncSession, schedule_id: int) -> bool:
    """Remove a schedule."""
    return await rows_affected(session, delete(Schedule).where(Schedule.id == schedule_id)) == 1


async def claim_recap(
    session: AsyncSession, *, schedule_id: int, guild_id: int, channel_id: int, show_id: int,
    episode: Position, now: datetime,
) -> int:  # fmt: skip
    """Insert the PostedRecap row that makes this post exactly-once (IntegrityError if taken)."""
    claim = PostedRecap(
        guild_id=guild_id, show_id=show_id, season=episode.season, episode=episode.episode,
        channel_id=channel_id, schedule_id=schedule_id, posted_at=to_utc(now),
    )  # fmt: skip
    session.add(claim)
    await session.flush()
    return claim.id


async def release_claim(session: AsyncSession, claim_id: int) -> None:
    """Forget a claim whose post failed, so a later firing may post it."""
    await session.execute(delete(PostedRecap).where(PostedRecap.id == claim_id))


async def record_message(session: AsyncSession, claim_id: int, message_id: int) -> None:
    """Remember the first message of a posted recap."""
    await session.execute(
        update(PostedRecap).where(PostedRecap.id == claim_id).values(message_id=message_id)
    )


async def posted_count(session: AsyncSession, guild_id: int, show_id: int) -> int:
    """How many recaps of a show were posted in a server."""
    return (
        await session.scalar(
            select(func.count())
            .select_from(PostedRecap)
            .where(PostedRecap.guild_id == guild_id, PostedRecap.show_id == show_id)
        )
        or 0
    )


async def recap_episodes(
    session: AsyncSession, show_id: int, guild_id: int | None = None
) -> set[EpisodeNumbers]:
    """Episodes of a show with at least one review the server reads."""
    rows = await session.execute(
        select(Season.number, Episode.number)
        .join(Episode, Episode.season_id == Season.id)
        .join(ReviewDocument, ReviewDocument.episode_id == Episode.id)
        .where(Season.show_id == show_id, visible_to(ReviewDocument.guild_id, guild_id))
        .distinct()
    )
    return {(season, number) for season, number in rows}


async def grace_hours(session: AsyncSession, guild_id: int) -> float | None:
    """The server's recap grace period, if it set one."""
    return await session.scalar(
        select(GuildSettings.recap_grace_hours).where(GuildSettings.guild_id == guild_id)
    )


async def add_thread(
    session: AsyncSession, guild_id: int, channel_id: int, show_id: int,
    episode: Position, thread_id: int, now: datetime,
) -> None:  # fmt: skip
    """Record an episode's discussion thread (the first one recorded wins)."""
    insert = insert_for(session, DiscussionThread).values(
        thread_id=thread_id, guild_id=guild_id, channel_id=channel_id, show_id=show_id,
        season=episode.season, episode=episode.episode, created_at=to_utc(now),
    )  # fmt: skip
    await session.execute(insert.on_conflict_do_nothing())


async def get_thread(
    session: AsyncSession, guild_id: int, show_id: int, episode: Position
) -> DiscussionThread | None:
    """The discussion thread of one episode in a server."""
    return await session.scalar(
        select(DiscussionThread).where(
            DiscussionThread.guild_id == guild_id,
            DiscussionThread.show_id == show_id,
            DiscussionThread.season == episode.season,
            DiscussionThread.episode == episode.episode,
        )
    )


def _at_or_before(season: Column, episode: Column, ref: Position) -> ColumnElement[bool]:
    return or_(season < ref.season, and_(season == ref.season, episode <= ref.episode))


def _at_or_after(season: Column, episode: Column, ref: Position) -> ColumnElement[bool]:
    return or_(season > ref.season, and_(season == ref.season, episode >= ref.episode))


async def threads_between(
    session: AsyncSession, guild_id: int, show_id: int,
    after: Position | None, up_to: Position,
) -> list[DiscussionThread]:  # fmt: skip
    """A server's threads of a show for episodes in (after, up_to], in episode order."""
    season, episode = DiscussionThread.season, DiscussionThread.episode
    conditions = [
        DiscussionThread.guild_id == guild_id,
        DiscussionThread.show_id == show_id,
        _at_or_before(season, episode, up_to),
    ]
    if after is not None:
        conditions.append(~_at_or_before(season, episode, after))
    rows = await session.scalars(
        select(DiscussionThread).where(*conditions).order_by(season, episode)
    )
    return list(rows)


async def watchers_reaching(
    session: AsyncSession, show_id: int, episode: Position, limit: int
) -> list[int]:
    """Users whose progress in a show is at or past `episode`."""
    rows = await session.scalars(
        select(WatchProgress.user_id)
        .where(
            WatchProgress.show_id == show_id,
            _at_or_after(WatchProgress.season, WatchProgress.episode, episode),
        )
        .order_by(WatchProgress.user_id)
        .limit(limit)
    )
    return list(rows)


async def unposted_claims(
    session: AsyncSession, guild_id: int, older_than: datetime
) -> list[tuple[int, EpisodeNumbers]]:
    """Recaps claimed before `older_than` whose post never completed (the bot stopped mid-post)."""
    rows = await session.execute(
        select(PostedRecap.show_id, PostedRecap.season, PostedRecap.episode)
        .where(
            PostedRecap.guild_id == guild_id,
            PostedRecap.message_id.is_(None),
            PostedRecap.posted_at < to_utc(older_than),
        )
        .order_by(PostedRecap.show_id, PostedRecap.season, PostedRecap.episode)
    )
    return [(show_id, (season, episode)) for show_id, season, episode in rows]


async def open_threads(session: AsyncSession, guild_id: int) -> dict[int, list[EpisodeNumbers]]:
    """Every episode discussion thread of a server, by show, in episode order."""
    rows = await session.execute(
        select(DiscussionThread.show_id, DiscussionThread.season, DiscussionThread.episode)
        .where(DiscussionThread.guild_id == guild_id)
        .order_by(DiscussionThread.season, DiscussionThread.episode)
    )
    threads: dict[int, list[EpisodeNumbers]] = {}
    for show_id, season, episode in rows:
        threads.setdefault(show_id, []).append((season, episode))
    return threads
