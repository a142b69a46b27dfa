"""Show-to-show similarity from the corpus text: TF-IDF over reviews, genres and premise."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from bot.recommend.types import ShowText

GENRE_REPEAT = 4  # a genre word counts like a word the critics keep using
PREMISE_REPEAT = 2
_TOKEN_PATTERN = r"(?u)\b[a-z][a-z_]{2,}\b"


def genre_token(genre: str) -> str:
    """`sci-fi` → `genre_scifi`: genres get their own vocabulary, apart from review words."""
    return "genre_" + re.sub(r"[^a-z]", "", genre.casefold())


def show_document(show: ShowText) -> str:
    """The text one show is described by: reviews, premise (twice) and genres (weighted)."""
    genres = " ".join(genre_token(genre) for genre in show.genres for _ in range(GENRE_REPEAT))
    premise = " ".join([show.premise or ""] * PREMISE_REPEAT)
    return " ".join([*show.review_text, premise, genres])


@dataclass(frozen=True, slots=True)
class ShowSimilarity:
    """Cosine similarity between every pair of shows, diagonal zeroed."""

    show_ids: tuple[int, ...]
    matrix: np.ndarray

    @classmethod
    def fit(cls, shows: Sequence[ShowText]) -> ShowSimilarity:
        """Vectorise every show's document and compare them all."""
        ids = tuple(show.show_id for show in shows)
        if len(shows) < 2:
            return cls(ids, np.zeros((len(shows), len(shows))))
        vectorizer = TfidfVectorizer(
            lowercase=True,
            stop_words="english",
            token_pattern=_TOKEN_PATTERN,
            sublinear_tf=True,
            # a word only one show uses (a character's name) says nothing about likeness
            min_df=2 if len(shows) > 2 else 1,
        )
        try:
            vectors = vectorizer.fit_transform([show_document(show) for show in shows])
        except ValueError:  # no shared vocabulary at all
            return cls(ids, np.zeros((len(shows), len(shows))))
        matrix = cosine_similarity(vectors)
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
        """Similarity scaled to 0–1 within `source`'s row, so shows with long texts don't dominate."""
        row = self.index(source)
        column = self.index(target)
        if row is None or column is None:
            return 0.0
        values = np.delete(self.matrix[row], row)
        low, high = float(values.min()), float(values.max())
        if high <= low:
            return 0.0
        return (float(self.matrix[row, column]) - low) / (high - low)
