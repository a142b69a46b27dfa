"""Shared fixtures: every database test runs on SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.engine import create_engine, create_session_factory
from db.migrate import upgrade

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = REPO_ROOT / "corpus"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


def _normalise(url: str) -> str:
    from bot.settings import settings_from_mapping

    return settings_from_mapping({"DATABASE_URL": url}).database_url


def database_backends() -> list[str]:
    """The backends to run database tests on."""
    return ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


async def reset_postgres(url: str) -> None:
    """Drop everything in the public schema so each test starts empty."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


@pytest.fixture(params=database_backends())
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL on each configured backend."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    url = _normalise(POSTGRES_URL or "")
    await reset_postgres(url)
    return url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated engine on an empty database."""
    engine = create_engine(database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """A session factory on the migrated database."""
    return create_session_factory(engine)
