"""Queries for watch progress and privacy; every write is one short transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import UserPreferences, WatchProgress
from db.positions import EpisodeNumbers, Position
from db.upsert import insert_for, rows_affected


@dataclass(frozen=True, slots=True)
class ProgressRow:
    """One show's progress for a user."""

    show_id: int
    position: EpisodeNumbers
    updated_at: datetime


async def get_progress(session: AsyncSession, user_id: int, show_id: int) -> EpisodeNumbers | None:
    """Where the user is in the show, or None if they never said."""
    row = await session.get(WatchProgress, (user_id, show_id))
    return (row.season, row.episode) if row else None


async def list_progress(session: AsyncSession, user_id: int) -> list[ProgressRow]:
    """Every show the user has progress in."""
    rows = await session.scalars(select(WatchProgress).where(WatchProgress.user_id == user_id))
    return [ProgressRow(row.show_id, (row.season, row.episode), row.updated_at) for row in rows]


async def set_progress(
    session: AsyncSession, user_id: int, show_id: int, position: Position, now: datetime
) -> None:
    """Record the user's position (insert or overwrite in one statement)."""
    insert = insert_for(session, WatchProgress).values(
        user_id=user_id,
        show_id=show_id,
        season=position.season,
        episode=position.episode,
        updated_at=now,
    )
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=[WatchProgress.user_id, WatchProgress.show_id],
            set_={"season": position.season, "episode": position.episode, "updated_at": now},
        )
    )


async def compare_and_set_progress(
    session: AsyncSession,
    user_id: int,
    show_id: int,
    expected: Position | None,
    position: Position,
    now: datetime,
) -> bool:
    """Move from `expected` to `position` only if nobody moved it meanwhile."""
    if expected is None:
        insert = insert_for(session, WatchProgress).values(
            user_id=user_id,
            show_id=show_id,
            season=position.season,
            episode=position.episode,
            updated_at=now,
        )
        return await rows_affected(session, insert.on_conflict_do_nothing()) == 1
    move = (
        update(WatchProgress)
        .where(
            WatchProgress.user_id == user_id,
            WatchProgress.show_id == show_id,
            WatchProgress.season == expected.season,
            WatchProgress.episode == expected.episode,
        )
        .values(season=position.season, episode=position.episode, updated_at=now)
    )
    return await rows_affected(session, move) == 1


async def clear_progress(session: AsyncSession, user_id: int, show_id: int) -> bool:
    """Forget the user's progress in one show; return whether there was any."""
    progress = delete(WatchProgress).where(
        WatchProgress.user_id == user_id, WatchProgress.show_id == show_id
    )
    return await rows_affected(session, progress) > 0


async def is_progress_public(session: AsyncSession, user_id: int) -> bool:
    """Whether others may see this user's progress (public unless they said otherwise)."""
    row = await session.get(UserPreferences, user_id)
    return True if row is None else row.progress_public


async def set_progress_public(session: AsyncSession, user_id: int, public: bool) -> None:
    """Record whether others may see this user's progress."""
    insert = insert_for(session, UserPreferences).values(user_id=user_id, progress_public=public)
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=[UserPreferences.user_id], set_={"progress_public": public}
        )
    )
