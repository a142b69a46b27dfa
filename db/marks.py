"""Queries for members' marks on shows: not interested, on their list, dropped."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ShowMark
from db.upsert import insert_for, rows_affected

HIDDEN, LISTED, DROPPED = "hidden", "listed", "dropped"
KINDS = (HIDDEN, LISTED, DROPPED)


async def add_mark(
    session: AsyncSession, user_id: int, show_id: int, kind: str, now: datetime
) -> bool:
    """Mark a show for a member; return whether the mark is new."""
    insert = insert_for(session, ShowMark).values(
        user_id=user_id, show_id=show_id, kind=kind, created_at=now
    )
    return await rows_affected(session, insert.on_conflict_do_nothing()) == 1


async def remove_mark(session: AsyncSession, user_id: int, show_id: int, kind: str) -> bool:
    """Take a mark off; return whether there was one."""
    statement = delete(ShowMark).where(
        ShowMark.user_id == user_id, ShowMark.show_id == show_id, ShowMark.kind == kind
    )
    return await rows_affected(session, statement) > 0


async def marked(session: AsyncSession, user_id: int, kind: str) -> list[int]:
    """The shows a member marked this way, oldest mark first."""
    rows = await session.scalars(
        select(ShowMark.show_id)
        .where(ShowMark.user_id == user_id, ShowMark.kind == kind)
        .order_by(ShowMark.created_at, ShowMark.show_id)
    )
    return list(rows)


async def marks_of(
    session: AsyncSession, user_ids: Collection[int]
) -> dict[int, dict[str, set[int]]]:
    """User → kind → show ids, for these members."""
    result: dict[int, dict[str, set[int]]] = {}
    rows = await session.execute(
        select(ShowMark.user_id, ShowMark.kind, ShowMark.show_id).where(
            ShowMark.user_id.in_(user_ids)
        )
    )
    for user_id, kind, show_id in rows:
        result.setdefault(user_id, {}).setdefault(kind, set()).add(show_id)
    return result
