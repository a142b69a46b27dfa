"""The Alembic migrations create exactly the schema the models describe, and go back down."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from db import migrate
from db.migrate import alembic_config, current_revision, downgrade, head_revision, upgrade
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


def test_the_head_read_from_the_files_is_alembics() -> None:
    assert [head_revision()] == ScriptDirectory.from_config(alembic_config()).get_heads()


async def _revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(current_revision)


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_a_database_at_head_is_left_alone_without_alembic(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(_connection: Connection, _revision: str) -> None:
        raise AssertionError("Alembic ran on a database already at head")

    monkeypatch.setattr(migrate, "_upgrade", refuse)
    await upgrade(engine)
    assert await _revision(engine) == head_revision()


async def test_a_database_behind_is_upgraded(engine: AsyncEngine) -> None:
    await downgrade(engine, "0006")  # before the outbox
    async with engine.connect() as connection:
        assert "outbox_jobs" not in await connection.run_sync(_tables)
    await upgrade(engine)
    assert await _revision(engine) == head_revision()
    async with engine.connect() as connection:
        assert "outbox_jobs" in await connection.run_sync(_tables)


async def test_a_database_of_an_unknown_revision_is_refused(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = 'fffffff'"))
    with pytest.raises(CommandError, match="fffffff"):
        await upgrade(engine)


async def test_a_version_table_naming_two_revisions_is_not_taken_for_head(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO alembic_version VALUES ('0008')"))
    assert not await migrate.is_at_head(engine)
