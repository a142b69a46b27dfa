"""The `playground` fixture: the real bot (default extensions) in a simulated Discord.

Runs on SQLite, and also on PostgreSQL when TEST_DATABASE_URL is set (a private database per
test run, its `public` schema emptied before each test). A test fails if the bot broke
Discord's API contract.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Generator

import pytest

from playground import Playground
from playground.harness import DEFAULT_CORPUS
from tests.conftest import database_backends, reset_postgres

BACKENDS = [
    pytest.param(name, id=name, marks=[pytest.mark.postgres] if name == "postgresql" else [])
    for name in database_backends()
]


@pytest.fixture
def playground_extensions() -> tuple[str, ...] | None:
    """Override in a test module to load other extensions (None: the bot's defaults)."""
    return None


async def _database_for(backend: str, postgres_session_url: str | None) -> str | None:
    """None (a fresh SQLite file) or the test run's PostgreSQL database, emptied."""
    if backend != "postgresql":
        return None
    assert postgres_session_url is not None
    await reset_postgres(postgres_session_url)
    return postgres_session_url


@pytest.fixture(params=BACKENDS)
async def playground_database(
    request: pytest.FixtureRequest, postgres_session_url: str | None
) -> str | None:
    """A database for a playground a test builds itself (options the fixture lacks)."""
    return await _database_for(request.param, postgres_session_url)


@pytest.fixture(params=BACKENDS)
async def playground(
    request: pytest.FixtureRequest,
    playground_extensions: tuple[str, ...] | None,
    postgres_session_url: str | None,
) -> AsyncIterator[Playground]:
    """A running playground with the real bot and the sample corpus."""
    database_url = await _database_for(request.param, postgres_session_url)
    pg = Playground(
        database_url=database_url, corpus=[DEFAULT_CORPUS], extensions=playground_extensions
    )
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
