"""Corpus layers in the database: the shared index ignores servers' uploads, a server's own
index keeps the shared answer, and recaps read shared plus the reader's server only."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef
from bot.corpus.documents import parse_document
from bot.corpus.service import import_documents, import_paths
from bot.guard.index_store import SpoilerIndexStore
from bot.guard.layers import LayeredIndex
from db.recaps import sentences_for
from tests.conftest import SAMPLE_CORPUS

GUILD, OTHER = 1001, 2002
POISON = b"""---
show: Ballard
season: 1
episode: 1
source: Pier Gossip
---
Sergeant Tom Rawls dies in the cannery raid, shot by Bo Strand on the cannery floor.
"""
SPOILER = "rawls dies in the cannery raid"
LINE = EpisodeRef(1, 4)
BALLARD_ID = 1  # the first show imported


async def _upload(sessions: async_sessionmaker[AsyncSession]) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    await import_documents(sessions, [parse_document(POISON, "pilot.md")], GUILD)


async def test_uploads_stay_in_their_servers_layer(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _upload(sessions)
    store = SpoilerIndexStore(sessions)
    shared = await store.refresh()
    ballard = next(iter(shared.shows_named("ballard")))
    assert shared.check(SPOILER, ballard, LINE).spoiler
    own = await store.for_guild(GUILD)
    assert isinstance(own, LayeredIndex) and ballard in own.local.models
    assert not own.local.check(SPOILER, ballard, LINE).spoiler  # the upload alone would pass it
    verdict = own.check(SPOILER, ballard, LINE)
    assert verdict.spoiler and verdict.episode == EpisodeRef(1, 7)
    assert await store.for_guild(OTHER) is shared


async def test_a_new_upload_rebuilds_only_that_servers_index(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    store = SpoilerIndexStore(sessions)
    shared = await store.refresh()
    assert await store.for_guild(GUILD) is shared
    await import_documents(sessions, [parse_document(POISON, "pilot.md")], GUILD)
    store.layer_changed(GUILD)
    assert isinstance(await store.for_guild(GUILD), LayeredIndex)
    assert store.index is shared


async def test_recaps_read_shared_and_own_layer_only(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _upload(sessions)
    async with sessions() as session:
        ballard_rows = await sentences_for(session, BALLARD_ID, [EpisodeRef(1, 1)], OTHER)
        own_rows = await sentences_for(session, BALLARD_ID, [EpisodeRef(1, 1)], GUILD)
        shared_rows = await sentences_for(session, BALLARD_ID, [EpisodeRef(1, 1)])
    assert not any("cannery raid" in row.text for row in ballard_rows + shared_rows)
    assert any("cannery raid" in row.text for row in own_rows)
    assert len(own_rows) == len(shared_rows) + 1
