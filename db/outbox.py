"""The guard's outbox and its write batch in Core statements: no ORM session per spoiler."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from db.models import ChannelCursor, HiddenMessage, OutboxJob
from db.upsert import insert_for, rows_affected

DATABASE_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError, OSError, TimeoutError)
"""What a failing or unreachable database raises (asyncpg's refusals are plain OSErrors)."""
GUARD_READ_SECONDS = 2.0
"""How long the guard waits on the database before it goes on with what it has in memory."""
OPEN_STATES = ("pending", "posted")
JOB_STATE_COLUMNS = ("text", "state", "attempts", "copy_ids", "reason", "next_attempt_at")


async def insert_job(connection: AsyncConnection, row: dict[str, Any]) -> bool:
    """Store a new job; False if a job for that message exists already (one hiding each)."""
    insert = insert_for(connection, OutboxJob).values(**row).on_conflict_do_nothing()
    return await rows_affected(connection, insert) == 1


async def insert_jobs(connection: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Store jobs that could not be written when they started (existing ones stay)."""
    if rows:
        await connection.execute(insert_for(connection, OutboxJob).on_conflict_do_nothing(), rows)


async def update_jobs(connection: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Write the latest state of several jobs in one executemany UPDATE."""
    if not rows:
        return
    names = (*JOB_STATE_COLUMNS, "updated_at")
    statement = (
        update(OutboxJob)
        .where(OutboxJob.message_id == bindparam("b_message_id"))
        .values(**{name: bindparam(f"b_{name}") for name in names})
    )
    params = [{f"b_{key}": value for key, value in row.items()} for row in rows]
    await connection.execute(statement, params)


async def insert_hidden(connection: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Record what several tagged posts hide, in one INSERT (a post recorded twice stays)."""
    if rows:
        insert = insert_for(connection, HiddenMessage).on_conflict_do_nothing()
        await connection.execute(insert, rows)


async def save_cursors(connection: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Move each channel's last handled message forward (never back)."""
    for row in rows:
        insert = insert_for(connection, ChannelCursor).values(**row)
        newer = insert.excluded.last_message_id > ChannelCursor.last_message_id
        await connection.execute(
            insert.on_conflict_do_update(
                index_elements=[ChannelCursor.channel_id],
                set_={
                    "last_message_id": insert.excluded.last_message_id,
                    "updated_at": insert.excluded.updated_at,
                },
                where=newer,
            )
        )


def writer(
    sessions: async_sessionmaker[AsyncSession],
) -> AbstractAsyncContextManager[AsyncConnection]:
    """A transaction on the sessions' engine, without an ORM session (`async with … as c`)."""
    engine: AsyncEngine = sessions.kw["bind"]
    return engine.begin()


async def open_jobs(session: AsyncSession, limit: int = 1000) -> list[OutboxJob]:
    """Jobs that never reached an end state (to resume after a restart), oldest first."""
    statement = (
        select(OutboxJob)
        .where(OutboxJob.state.in_(OPEN_STATES))
        .order_by(OutboxJob.message_id)
        .limit(limit)
    )
    return list(await session.scalars(statement))


async def cursors(session: AsyncSession) -> dict[int, int]:
    """Each channel's last handled message id."""
    statement = select(ChannelCursor.channel_id, ChannelCursor.last_message_id)
    return {row.channel_id: row.last_message_id for row in await session.execute(statement)}
