"""The `playground` fixture: the real bot (default extensions) in a simulated Discord.

Runs on SQLite, and also on PostgreSQL when TEST_DATABASE_URL is set (each test gets an
emptied `public` schema). A test fails if the bot broke Discord's API contract.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import AsyncIterator, Generator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from playground import Playground
from playground.harness import DEFAULT_CORPUS

BACKENDS = [pytest.param("sqlite", id="sqlite")]
if os.environ.get("TEST_DATABASE_URL"):
    BACKENDS.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres))


def _corpus() -> list:
    """The sample corpus, once the importer exists (guarded here, not in shipped code)."""
    return [DEFAULT_CORPUS] if importlib.util.find_spec("bot.corpus.importer") else []


async def reset_postgres(url: str) -> None:
    """Drop and recreate the public schema so each test starts from nothing."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


@pytest.fixture
def playground_extensions() -> tuple[str, ...] | None:
    """Override in a test module to load other extensions (None: the bot's defaults)."""
    return None


@pytest.fixture(params=BACKENDS)
async def playground(
    request: pytest.FixtureRequest, playground_extensions: tuple[str, ...] | None
) -> AsyncIterator[Playground]:
    """A running playground with the real bot and the sample corpus."""
    database_url = None
    if request.param == "postgresql":
        database_url = os.environ["TEST_DATABASE_URL"]
        await reset_postgres(database_url)
    pg = Playground(database_url=database_url, corpus=_corpus(), extensions=playground_extensions)
    await pg.open()
    try:
        yield pg
    finally:
        await pg.close(check=False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e is an end-to-end test."""
    for item in items:
        if "tests/e2e" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Fail the test that made the bot break Discord's contract."""
    result = yield
    pg = getattr(item, "funcargs", {}).get("playground")
    if isinstance(pg, Playground):
        pg.assert_no_violations()
    return result
