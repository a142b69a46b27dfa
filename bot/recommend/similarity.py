"""Show-to-show similarity from the corpus text: TF-IDF over reviews, genres and premise.

Each show becomes one vector: the mean TF-IDF vector of its reviews' opinion text (tone,
themes: "bleak", "slow-burn", "political thriller"), plus, with smaller weights, the mean of
their narration, the premise and the genre words. Vectors are centred on the corpus mean
before the cosine, so shows with many long reviews don't look like everything ("hubs").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.recommend.types import ShowText

OPINION_WEIGHT = 1.0
NARRATION_WEIGHT = 0.5
PREMISE_WEIGHT = 0.3
GENRE_WEIGHT = 0.6
CENTRE_FROM = 3  # centring two vectors would make them exact opposites
_TOKEN_PATTERN = r"(?u)\b[a-z][a-z_]{2,}\b"


def genre_token(genre: str) -> str:
    """`sci-fi` → `genre_scifi`: genres get their own vocabulary, apart from review words."""
    return "genre_" + re.sub(r"[^a-z]", "", genre.casefold())


def _genre_text(show: ShowText) -> str:
    return " ".join(genre_token(genre) for genre in show.genres)


def _whole_text(show: ShowText) -> str:
    reviews = " ".join(f"{review.narration} {review.opinion}" for review in show.reviews)
    return f"{reviews} {show.premise or ''} {_genre_text(show)}"


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


@dataclass(frozen=True, slots=True)
class ShowSimilarity:
    """Cosine similarity between every pair of shows, diagonal zeroed."""

    show_ids: tuple[int, ...]
    matrix: np.ndarray

    @classmethod
    def fit(cls, shows: Sequence[ShowText]) -> ShowSimilarity:
        """Vectorise every show and compare them all."""
        ids = tuple(show.show_id for show in shows)
        vectors = _show_vectors(shows)
        if vectors is None:
            return cls(ids, np.zeros((len(shows), len(shows))))
        if len(shows) >= CENTRE_FROM:
            vectors = vectors - vectors.mean(axis=0)
        unit = np.vstack([_unit(row) for row in vectors])
        matrix = unit @ unit.T
        np.fill_diagonal(matrix, 0.0)
        return cls(ids, matrix)

    def index(self, show_id: int) -> int | None:
        """The row of a show, if the corpus knows it."""
        try:
            return self.show_ids.index(show_id)
        except ValueError:
            return None

    def between(self, first: int, second: int) -> float:
        """Similarity of two shows (0 when either is unknown)."""
        i, j = self.index(first), self.index(second)
        return 0.0 if i is None or j is None else float(self.matrix[i, j])

    def nearest(self, show_id: int, count: int = 3) -> list[tuple[int, float]]:
        """The shows most like `show_id`, best first."""
        row = self.index(show_id)
        if row is None:
            return []
        order = np.argsort(-self.matrix[row], kind="stable")
        pairs = [(self.show_ids[j], float(self.matrix[row, j])) for j in order if j != row]
        return pairs[:count]

    def relative(self, source: int, target: int) -> float:
        """Similarity scaled to 0–1 within `source`'s row (its least to its most similar show)."""
        row, column = self.index(source), self.index(target)
        if row is None or column is None or row == column:
            return 0.0
        values = np.delete(self.matrix[row], row)
        low, high = float(values.min()), float(values.max())
        if high <= low:
            return 0.0
        return (float(self.matrix[row, column]) - low) / (high - low)


def _show_vectors(shows: Sequence[ShowText]) -> np.ndarray | None:
    if len(shows) < 2:
        return None
    from sklearn.feature_extraction.text import TfidfVectorizer  # slow import: only when fitting

    vectorizer = TfidfVectorizer(
        stop_words="english",
        token_pattern=_TOKEN_PATTERN,
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=2 if len(shows) > 2 else 1,  # a word one show uses (a name) says nothing shared
    )
    try:
        vectorizer.fit([_whole_text(show) for show in shows])
    except ValueError:  # no shared vocabulary at all
        return None
    width = len(vectorizer.vocabulary_)

    def mean_of(texts: list[str]) -> np.ndarray:
        texts = [text for text in texts if text.strip()]
        if not texts:
            return np.zeros(width)
        return _unit(np.asarray(vectorizer.transform(texts).mean(axis=0)).ravel())

    rows = [
        OPINION_WEIGHT * mean_of([review.opinion for review in show.reviews])
        + NARRATION_WEIGHT * mean_of([review.narration for review in show.reviews])
        + PREMISE_WEIGHT * mean_of([show.premise or ""])
        + GENRE_WEIGHT * mean_of([_genre_text(show)])
        for show in shows
    ]
    return np.vstack(rows)
