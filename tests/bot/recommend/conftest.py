"""The sample corpus, imported once, as the recommender's pure parts consume it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bench.sample import read_sample_database
from bot.catalog.episodes import ShowLayout
from bot.catalog.shows import ShowInfo
from bot.catalog.store import load_catalog
from bot.guard.engine.types import ShowCorpus
from bot.guard.index_store import load_show_corpora
from bot.recommend.ranking import Recommender
from bot.recommend.store import load_show_texts
from bot.recommend.types import ShowText
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
    async def read(session: AsyncSession) -> Sample:
        texts = await load_show_texts(session)
        catalog = await load_catalog(session)
        corpora = await load_show_corpora(session)
        return Sample(texts, {show.id: show for show in catalog.shows}, corpora)

    return await read_sample_database(read, SAMPLE_CORPUS)


@pytest.fixture(scope="session")
def sample() -> Sample:
    """The sample corpus, loaded once per test run."""
    with asyncio.Runner() as runner:
        return runner.run(_load())


@pytest.fixture(scope="session")
def recommender(sample: Sample) -> Recommender:
    """The recommender over the sample corpus."""
    return Recommender(sample.texts)
