"""Queries of members' spoiler reports ("Mark as spoiler" by members)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ReportedHide, SpoilerReport
from db.upsert import insert_for, rows_affected


async def lock_reports_on(session: AsyncSession, message_id: int) -> None:
    """Take one message's marks one transaction at a time (PostgreSQL; SQLite already does)."""
    if (await session.connection()).dialect.name == "postgresql":
        lock = text("SELECT pg_advisory_xact_lock(:key)")
        await session.execute(lock, {"key": message_id & 0x7FFFFFFFFFFFFFFF})


async def add_report(session: AsyncSession, row: SpoilerReport) -> bool:
    """Record a member's report; False if they already reported that message."""
    insert = insert_for(session, SpoilerReport).values(
        message_id=row.message_id,
        reporter_id=row.reporter_id,
        guild_id=row.guild_id,
        channel_id=row.channel_id,
        author_id=row.author_id,
        show_id=row.show_id,
        season=row.season,
        episode=row.episode,
        created_at=row.created_at,
    )
    return await rows_affected(session, insert.on_conflict_do_nothing()) == 1


async def reports_on(session: AsyncSession, message_id: int) -> list[SpoilerReport]:
    """Every member's report on one message, oldest first."""
    statement = (
        select(SpoilerReport)
        .where(SpoilerReport.message_id == message_id)
        .order_by(SpoilerReport.created_at, SpoilerReport.reporter_id)
    )
    return list(await session.scalars(statement))


async def report_count(session: AsyncSession, message_id: int) -> int:
    """How many distinct members reported the message."""
    statement = select(func.count()).where(SpoilerReport.message_id == message_id)
    return int(await session.scalar(statement) or 0)


async def claim_hiding(
    session: AsyncSession, guild_id: int, message_id: int, now: datetime
) -> bool:
    """Claim the hiding of a reported message; True only for the first claim, ever."""
    insert = insert_for(session, ReportedHide).values(
        message_id=message_id, guild_id=guild_id, hidden_at=now
    )
    return await rows_affected(session, insert.on_conflict_do_nothing()) == 1
