"""Write helpers: dialect-aware INSERT … ON CONFLICT, and how many rows a write touched."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.dml import UpdateBase


def insert_for(session: AsyncSession | AsyncConnection, table: Any) -> Any:
    """An INSERT construct that supports on_conflict_do_update/do_nothing on this backend."""
    bind = session if isinstance(session, AsyncConnection) else session.get_bind()
    dialect = bind.dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"unsupported database dialect: {dialect}")


async def rows_affected(session: AsyncSession | AsyncConnection, statement: UpdateBase) -> int:
    """Run an INSERT, UPDATE or DELETE and return how many rows it changed."""
    result = cast(CursorResult[Any], await session.execute(statement))
    return result.rowcount
