"""Shared fixtures: the sample corpus, imported once through the real importer."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bench.sample import sample_corpora
from bot.catalog.episodes import EpisodeRef
from bot.guard.engine import CorpusSentence, ShowCorpus, SpoilerIndex, pieces
from bot.guard.engine.model import ShowModel, build_model


def season_one(
    show_id: int, title: str, rows: list[tuple[int, str]], **extra: object
) -> ShowCorpus:
    """A small inline show: (episode number, recap sentence) rows of season 1."""
    sentences = tuple(CorpusSentence(EpisodeRef(1, number), text) for number, text in rows)
    return ShowCorpus(show_id, title, sentences=sentences, **extra)  # type: ignore[arg-type]


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


class TableMatcher:
    """Similarity of every message to a sentence: the first table key the sentence contains."""

    def __init__(self, table: dict[str, float]) -> None:
        self.table = table
        self.sentences: dict[int, list[str]] = {}
        self.asked: list[str] = []
        self.flushed = False

    def prepare(self, show_id: int, sentences: Sequence[str]) -> None:
        self.sentences[show_id] = list(sentences)

    def similarities(self, show_id: int, message: str) -> Sequence[float]:
        self.asked.append(message)
        return [self._score(s) for s in self.sentences.get(show_id, [])]

    def flush(self) -> None:
        self.flushed = True

    def _score(self, sentence: str) -> float:
        return next((v for k, v in self.table.items() if k in sentence), 0.0)


def count_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the shows whose models are built in this process from now on, in order."""
    built: list[int] = []

    def counted(corpus: ShowCorpus) -> ShowModel:
        built.append(corpus.show_id)
        return build_model(corpus)

    monkeypatch.setattr(pieces, "build_model", counted)
    return built
