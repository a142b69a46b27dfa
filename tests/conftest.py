"""Shared fixtures: every database test runs on SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.corpus import SAMPLE_CORPUS as SAMPLE_CORPUS  # re-exported for the tests
from db.engine import create_engine, create_session_factory
from db.migrate import empty_postgres, upgrade
from playground.faults import database_outage as database_outage  # for the tests

REPO_ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


def _normalise(url: str) -> str:
    from bot.app.settings import settings_from_mapping

    return settings_from_mapping({"DATABASE_URL": url}).database_url


def database_backends() -> list[str]:
    """The backends to run database tests on."""
    return ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


async def reset_postgres(url: str) -> None:
    """Drop everything in the public schema so each test starts empty."""
    engine = create_engine(url)
    try:
        await empty_postgres(engine)
    finally:
        await engine.dispose()


async def _admin(sql: str) -> None:
    """Run one statement outside a transaction on the configured PostgreSQL server."""
    import asyncpg

    url = make_url(_normalise(POSTGRES_URL or ""))
    connection = await asyncpg.connect(
        user=url.username,
        password=url.password,
        host=url.host,
        port=url.port,
        database=url.database,
    )
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
async def postgres_session_url() -> AsyncIterator[str | None]:
    """A private PostgreSQL database for this test run, so parallel runs never collide."""
    if not POSTGRES_URL:
        yield None
        return
    name = f"cliffhanger_test_{uuid.uuid4().hex[:12]}"
    await _admin(f'CREATE DATABASE "{name}"')
    yield (
        make_url(_normalise(POSTGRES_URL)).set(database=name).render_as_string(hide_password=False)
    )
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=database_backends())
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_session_url: str | None
) -> str:
    """An empty database URL on each configured backend."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    assert postgres_session_url is not None
    await reset_postgres(postgres_session_url)
    return postgres_session_url


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
