"""The sample corpus, imported once, as the recommender's pure parts consume it."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.corpus.importer import import_paths
from bot.episodes import ShowLayout
from bot.recommend.ranking import Recommender
from bot.recommend.types import ShowText
from bot.shows import ShowInfo
from bot.spoilers.types import ShowCorpus
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.recommend import load_show_texts
from db.shows import load_catalog
from db.spoilers import load_show_corpora
from tests.conftest import SAMPLE_CORPUS


@dataclass(frozen=True, slots=True)
class Sample:
    """The sample corpus: texts, catalogue and the spoiler engine's input."""

    texts: list[ShowText]
    shows: dict[int, ShowInfo]
    corpora: list[ShowCorpus]

    def id_of(self, title: str) -> int:
        """The id of the show with this title."""
        return next(show.id for show in self.shows.values() if show.title == title)

    @property
    def layouts(self) -> dict[int, ShowLayout]:
        """Show id → layout."""
        return {show_id: show.layout for show_id, show in self.shows.items()}

    def text(self, show_id: int) -> ShowText:
        """One show's corpus text."""
        return next(text for text in self.texts if text.show_id == show_id)


async def _load() -> Sample:
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'sample.db'}")
        try:
            await upgrade(engine)
            sessions = create_session_factory(engine)
            await import_paths(sessions, [SAMPLE_CORPUS])
            async with sessions() as session:
                texts = await load_show_texts(session)
                catalog = await load_catalog(session)
                corpora = await load_show_corpora(session)
        finally:
            await engine.dispose()
    return Sample(texts, {show.id: show for show in catalog.shows}, corpora)


@pytest.fixture(scope="session")
def sample() -> Sample:
    """The sample corpus, loaded once per test run."""
    with asyncio.Runner() as runner:
        return runner.run(_load())


@pytest.fixture(scope="session")
def recommender(sample: Sample) -> Recommender:
    """The recommender over the sample corpus."""
    return Recommender(sample.texts)
