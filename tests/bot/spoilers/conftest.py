"""Shared fixtures: the sample corpus, imported once through the real importer."""

from __future__ import annotations

import pytest

from bench.sample import sample_corpora
from bot.spoilers import ShowCorpus, SpoilerIndex


@pytest.fixture(scope="session")
def sample() -> list[ShowCorpus]:
    """The sample corpus as the engine receives it from the database."""
    return sample_corpora()


@pytest.fixture(scope="session")
def sample_index(sample: list[ShowCorpus]) -> SpoilerIndex:
    """An index of the whole sample corpus."""
    return SpoilerIndex.build(sample)


@pytest.fixture(scope="session")
def show_ids(sample: list[ShowCorpus]) -> dict[str, int]:
    """Show ids by title."""
    return {corpus.title: corpus.show_id for corpus in sample}
