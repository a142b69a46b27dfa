"""Queries of `bot_state`: small facts the bot keeps about itself between runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import BotState
from db.upsert import insert_for


async def get_state(session: AsyncSession, key: str) -> str | None:
    """The value stored under `key`, or None."""
    row = await session.get(BotState, key)
    return None if row is None else row.value


async def set_state(session: AsyncSession, key: str, value: str, now: datetime) -> None:
    """Store `value` under `key`, replacing what was there."""
    insert = insert_for(session, BotState).values(key=key, value=value, updated_at=now)
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=[BotState.key], set_={"value": value, "updated_at": now}
        )
    )
