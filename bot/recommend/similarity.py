"""Show-to-show similarity from the corpus text: TF-IDF over reviews, genres and premise.

Each show becomes one vector: the mean TF-IDF vector of its reviews' opinion text (tone,
themes: "bleak", "slow-burn", "political thriller"), plus, with smaller weights, the mean of
their narration, the premise and the genre words. Vectors are centred on the corpus mean
before the cosine, so shows with many long reviews don't look like everything ("hubs").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from bot.recommend.stop_words import ENGLISH_STOP_WORDS
from bot.recommend.types import ShowText

OPINION_WEIGHT = 1.0
NARRATION_WEIGHT = 0.5
PREMISE_WEIGHT = 0.3
GENRE_WEIGHT = 0.6
CENTRE_FROM = 3  # centring two vectors would make them exact opposites
_TOKENS = re.compile(r"(?u)\b[a-z][a-z_]{2,}\b")  # words of 3+ letters


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


def _terms(text: str) -> list[str]:
    """Lower-cased words minus stop words, then the bigrams of what remains (sklearn's order)."""
    words = [w for w in _TOKENS.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]
    return words + [f"{first} {second}" for first, second in pairwise(words)]


@dataclass(frozen=True, slots=True)
class Tfidf:
    """TF-IDF as `TfidfVectorizer(sublinear_tf=True)` computes it: smoothed idf, l2 rows."""

    vocabulary: dict[str, int]
    idf: np.ndarray

    @classmethod
    def fit(cls, texts: Sequence[str], min_df: int = 1) -> Tfidf | None:
        """Learn the terms in at least `min_df` texts and their idf; None if there are none."""
        df = Counter(term for text in texts for term in set(_terms(text)))
        kept = sorted(term for term, count in df.items() if count >= min_df)
        if not kept:
            return None
        counts = np.array([df[term] for term in kept], dtype=float)
        idf = np.log((1 + len(texts)) / (1 + counts)) + 1
        return cls({term: column for column, term in enumerate(kept)}, idf)

    def vector(self, text: str) -> np.ndarray:
        """The unit TF-IDF vector of one text (1 + log tf, times idf); zeros if no term is known."""
        tf = np.zeros(len(self.vocabulary))
        for term, count in Counter(_terms(text)).items():
            column = self.vocabulary.get(term)
            if column is not None:
                tf[column] = 1 + math.log(count)
        return _unit(tf * self.idf)

    def mean_of(self, texts: Sequence[str]) -> np.ndarray:
        """The unit mean of the non-blank texts' vectors (zeros when all are blank)."""
        rows = [self.vector(text) for text in texts if text.strip()]
        return _unit(np.mean(rows, axis=0)) if rows else np.zeros(len(self.vocabulary))


def _show_vectors(shows: Sequence[ShowText]) -> np.ndarray | None:
    if len(shows) < 2:
        return None
    # a word one show uses (a name) says nothing shared
    tfidf = Tfidf.fit([_whole_text(show) for show in shows], min_df=2 if len(shows) > 2 else 1)
    if tfidf is None:  # no shared vocabulary at all
        return None
    rows = [
        OPINION_WEIGHT * tfidf.mean_of([review.opinion for review in show.reviews])
        + NARRATION_WEIGHT * tfidf.mean_of([review.narration for review in show.reviews])
        + PREMISE_WEIGHT * tfidf.mean_of([show.premise or ""])
        + GENRE_WEIGHT * tfidf.mean_of([_genre_text(show)])
        for show in shows
    ]
    return np.vstack(rows)
