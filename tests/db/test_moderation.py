"""Undoing a false flag and counting members' marks: each happens once, whoever races."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef
from bot.catalog.store import CatalogStore
from bot.clock import ManualClock
from bot.corpus.service import import_paths
from bot.errors import CliffhangerError, NotFoundError
from bot.guard.index_store import SpoilerIndexStore
from bot.guard.reports import ReportedMessage, SpoilerReports
from bot.guard.reposts import HideFailed
from bot.guard.taught import TaughtPhrases
from bot.guard.undo import FalseFlags
from db import channels as queries
from db.models import HiddenMessage
from tests.conftest import SAMPLE_CORPUS

TEXT = "cant believe the captain walks free lol"


class FakeCopies:
    """Records what the undo did; can fail the open copy."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.posted: list[str] = []
        self.deleted: list[int] = []

    async def post_open(self, author_id: int | None, text: str, copy_ids: list[int]) -> None:
        await asyncio.sleep(0)
        if self.fail:
            raise HideFailed("Discord said no")
        self.posted.append(text)

    async def delete_copies(self, message_ids: list[int]) -> None:
        assert self.posted, "the copy is deleted only after the open copy exists"
        self.deleted.extend(message_ids)


async def _setup(sessions: async_sessionmaker[AsyncSession]) -> tuple[CatalogStore, FalseFlags]:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    catalog = CatalogStore(sessions)
    await catalog.refresh()
    clock = ManualClock()
    phrases = TaughtPhrases(sessions, catalog, SpoilerIndexStore(sessions), clock)
    show = catalog.resolve("Ballard")
    async with sessions.begin() as session:
        for message_id in (10, 11):  # one repost in two parts
            await queries.save_hidden_message(
                session,
                HiddenMessage(
                    message_id=message_id, guild_id=1, channel_id=2, author_id=3,
                    show_id=show.id, season=1, episode=10, kind="repost", content=TEXT,
                    created_at=clock.now(),
                ),
            )  # fmt: skip
    return catalog, FalseFlags(sessions, catalog, phrases)


async def test_undo_restores_once_and_deletes_every_part_after(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    _catalog, flags = await _setup(sessions)
    copies = FakeCopies()
    results = await asyncio.gather(
        flags.undo(1, 9, 11, copies), flags.undo(1, 9, 11, copies), return_exceptions=True
    )
    assert sum(isinstance(r, NotFoundError) for r in results) == 1
    assert copies.posted == [TEXT] and copies.deleted == [10, 11]
    with pytest.raises(NotFoundError):
        await flags.undo(1, 9, 10, FakeCopies())


async def test_a_failed_open_copy_keeps_the_repost(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    _catalog, flags = await _setup(sessions)
    with pytest.raises(CliffhangerError, match="Discord said no"):
        await flags.undo(1, 9, 10, FakeCopies(fail=True))
    undone = await flags.undo(1, 9, 10, FakeCopies())
    assert undone.taught and undone.episode == EpisodeRef(1, 10)


async def test_racing_marks_hide_exactly_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    catalog, _flags = await _setup(sessions)
    reports = SpoilerReports(sessions, catalog, ManualClock())
    show = catalog.resolve("Ballard")
    message = ReportedMessage(1, 2, 50, 3)
    await reports.mark(message, 4, show, EpisodeRef(1, 2))
    outcomes = await asyncio.gather(
        *(reports.mark(message, who, show, None) for who in (5, 6, 7)), return_exceptions=True
    )
    hiding = [o for o in outcomes if not isinstance(o, BaseException) and o.hide_as]
    assert len(hiding) == 1 and hiding[0].hide_as == (show, EpisodeRef(1, 2))
    again = await reports.mark(message, 4, show, None)
    assert not again.recorded and again.hide_as is None
    with pytest.raises(CliffhangerError, match="your own message"):
        await reports.mark(message, 3, show, None)
