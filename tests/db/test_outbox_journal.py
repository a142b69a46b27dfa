"""The outbox journal: jobs written once, states batched, everything held through an outage."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.guard.journal import OutboxJournal
from bot.guard.outbox import Job
from db.models import ChannelCursor, HiddenMessage, OutboxJob, Show
from playground.faults import database_outage


def _job(message_id: int, show_id: int) -> Job:
    return Job(message_id, 1, 2, 3, show_id, 1, 10, "Ballard S01E10", "the captain walks free")


async def _show(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions.begin() as session:
        show = Show(title="Ballard", slug="ballard", aliases=[], premise="")
        session.add(show)
    return show.id


async def _states(sessions: async_sessionmaker[AsyncSession]) -> dict[int, str]:
    async with sessions() as session:
        rows = await session.execute(select(OutboxJob.message_id, OutboxJob.state))
        return {row.message_id: row.state for row in rows}


def _hidden_row(message_id: int, show_id: int) -> dict[str, object]:
    return {
        "message_id": message_id, "guild_id": 1, "channel_id": 2, "author_id": 3,
        "show_id": show_id, "season": 1, "episode": 10, "kind": "repost",
        "content": "the captain walks free", "created_at": datetime.now(UTC),
    }  # fmt: skip


async def test_a_message_is_claimed_once(
    sessions: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    show = await _show(sessions)
    first, again = OutboxJournal(sessions), OutboxJournal(sessions)  # again: after a restart
    assert await first.claim(_job(10, show))
    assert not await first.claim(_job(10, show))
    assert not await again.claim(_job(10, show))
    first.update(_job(10, show).posted([11]).hidden())
    first.remember_hidden(_hidden_row(11, show))
    first.handled(1, 2, 10)
    assert await first.flush()
    assert await _states(sessions) == {10: "hidden"}
    assert await again.cursors() == {2: 10}
    assert [job.message_id for job in await again.open_jobs()] == []


async def test_an_outage_keeps_jobs_and_the_newest_state_wins(
    sessions: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    show = await _show(sessions)
    journal = OutboxJournal(sessions)
    job = _job(20, show)
    async with database_outage(sessions, database_url):
        assert await journal.claim(job)  # held in memory, not refused
        journal.update(job.posted([21]))
        assert not await journal.flush()
        journal.remember_hidden(_hidden_row(21, show))
        assert journal.hidden_row(21) is not None  # Reveal reads it from memory meanwhile
        journal.update(job.posted([21]).hidden())
        assert not await journal.flush()
    assert await journal.flush()
    assert await _states(sessions) == {20: "hidden"}
    async with sessions() as session:
        assert await session.get(HiddenMessage, 21) is not None
        assert await session.scalar(select(ChannelCursor)) is None


async def test_a_state_written_during_a_failed_flush_is_not_overtaken(
    sessions: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    """A job held in memory, whose next state landed while a flush of it was failing."""
    show = await _show(sessions)
    journal = OutboxJournal(sessions)
    job = _job(30, show)
    async with database_outage(sessions, database_url):
        assert await journal.claim(job)
        failing = asyncio.create_task(journal.flush())
        await asyncio.sleep(0)  # the flush took the batch and waits for the database
        journal.update(job.posted([31]))  # so this lands in the next batch
        assert not await failing
        journal.update(job.posted([31]).hidden())
    assert await journal.flush()
    assert await _states(sessions) == {30: "hidden"}


async def _stored_cursors(sessions: async_sessionmaker[AsyncSession]) -> dict[int, int]:
    async with sessions() as session:
        rows = await session.execute(
            select(ChannelCursor.channel_id, ChannelCursor.last_message_id)
        )
        return {row.channel_id: row.last_message_id for row in rows}


async def _until(check: Callable[[], Awaitable[bool]], seconds: float = 5.0) -> bool:
    for _ in range(int(seconds / 0.02)):
        if await check():
            return True
        await asyncio.sleep(0.02)
    return False


async def test_a_busy_outbox_writes_cursors_at_most_once_a_second(
    sessions: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    show = await _show(sessions)
    journal = OutboxJournal(sessions)
    journal.handled(1, 2, 10)
    assert await journal.claim(_job(10, show))
    journal.update(_job(10, show).posted([11]))  # the state goes within 50 ms, the cursor too
    assert await _until(lambda: _has(sessions, {2: 10}))
    journal.handled(1, 2, 12)
    assert await journal.claim(_job(12, show))
    journal.update(_job(12, show).posted([13]))
    assert await _until(lambda: _posted(sessions, 12))
    assert await _stored_cursors(sessions) == {2: 10}  # not with every batch of states
    assert await _until(lambda: _has(sessions, {2: 12}), seconds=3.0)  # on its own timer
    await journal.close()


async def _has(sessions: async_sessionmaker[AsyncSession], cursors: dict[int, int]) -> bool:
    return await _stored_cursors(sessions) == cursors


async def _posted(sessions: async_sessionmaker[AsyncSession], message_id: int) -> bool:
    return (await _states(sessions)).get(message_id) == "posted"
