"""Fixtures shared by the database tests."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.store import CatalogStore
from bot.corpus.service import import_paths
from tests.conftest import SAMPLE_CORPUS


@pytest.fixture
async def catalog(sessions: async_sessionmaker[AsyncSession]) -> CatalogStore:
    """The sample corpus imported, and a catalogue store over it."""
    await import_paths(sessions, [SAMPLE_CORPUS])
    store = CatalogStore(sessions)
    await store.refresh()
    return store
