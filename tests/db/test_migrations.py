"""The Alembic migrations create exactly the schema the models describe, and go back down."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from db.migrate import downgrade, upgrade
from db.models import Base


async def test_models_match_migrations(engine: AsyncEngine) -> None:
    def diff(connection: object) -> list:
        context = MigrationContext.configure(connection, opts={"compare_type": True})  # type: ignore[arg-type]
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as connection:
        assert await connection.run_sync(diff) == []


async def test_downgrade_to_base_and_up_again(engine: AsyncEngine) -> None:
    await downgrade(engine, "base")
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
    assert set(tables) <= {"alembic_version"}
    await upgrade(engine)
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
    assert {"shows", "watch_progress", "sentences", "schedules"} <= set(tables)


async def test_processes_starting_together_migrate_once(database_url: str) -> None:
    """Shard processes on PostgreSQL (SQLite serves one process) migrate one at a time."""
    import asyncio

    if not database_url.startswith("postgresql"):
        pytest.skip("one process per SQLite database")
    from db.engine import create_engine
    from db.migrate import upgrade as migrate_up

    engines = [create_engine(database_url) for _ in range(3)]
    try:
        await asyncio.gather(*(migrate_up(engine) for engine in engines))
    finally:
        for engine in engines:
            await engine.dispose()
