"""PostgreSQL tells every process about writes to cached tables within a second."""

from __future__ import annotations

import asyncio

import pytest

from bot.guard.settings import GuardSettings
from db.changes import WriteWatch
from db.engine import create_engine, create_session_factory
from db.notify import ChangeFeed, listens


async def test_sqlite_has_no_feed(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert listens(engine) == database_url.startswith("postgresql")
    finally:
        await engine.dispose()


async def test_another_process_write_reaches_the_feed_within_a_second(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    from db.migrate import upgrade

    here, there = create_engine(database_url), create_engine(database_url)
    await upgrade(here)
    heard: list[str] = []
    watch = WriteWatch(here, ["guild_settings"])
    arrived = asyncio.Event()

    def on_change(table: str) -> None:
        heard.append(table)
        watch.bump()
        if table == "guild_settings":
            arrived.set()

    feed = ChangeFeed(here, on_change)
    feed.start()
    try:
        await asyncio.wait_for(feed.connected.wait(), 5)
        before = watch.version
        await GuardSettings(create_session_factory(there)).set_mode(42, "warn")
        await asyncio.wait_for(arrived.wait(), 1.0)
        assert watch.version > before
        assert "guild_settings" in heard
    finally:
        await feed.stop()
        await here.dispose()
        await there.dispose()


async def test_a_lost_connection_is_reported_as_anything_changed(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    from sqlalchemy import text

    from db.migrate import upgrade

    engine = create_engine(database_url)
    await upgrade(engine)
    heard: list[str] = []
    feed = ChangeFeed(engine, heard.append)
    feed.start()
    try:
        await asyncio.wait_for(feed.connected.wait(), 5)
        assert heard == ["*"]
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid() "
                    "AND datname = current_database()"
                )
            )
        for _ in range(50):
            if heard.count("*") >= 2:
                break
            await asyncio.sleep(0.1)
        assert heard.count("*") >= 2, heard
    finally:
        await feed.stop()
        await engine.dispose()
