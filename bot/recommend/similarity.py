"""Show-to-show similarity from what the corpus says about premise, tone and genre.

Each show becomes one vector: the mean TF-IDF vector of its reviews' opinion text (tone,
themes: "bleak", "slow-burn", "political thriller"), plus the premise and the genre words.
Narration (what happens in later episodes) is left out: taste is for the kind of show, and
plot twists make shows look alike for reasons nobody could explain before watching. Vectors
are centred on the corpus mean before the cosine, so shows with many long reviews don't look
like everything ("hubs").
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.recommend.tfidf import Tfidf, Vector, dot, weighted_sum
from bot.recommend.types import ShowText

CENTRE_FROM = 3  # centring two vectors would make them exact opposites
_FLAT = 1e-12  # a centred vector this short (relative to its length before) is the mean


def genre_token(genre: str) -> str:
    """`sci-fi` → `genre_scifi`: genres get their own vocabulary, apart from review words."""
    return "genre_" + re.sub(r"[^a-z]", "", genre.casefold())


def _genre_text(show: ShowText) -> str:
    return " ".join(genre_token(genre) for genre in show.genres)


@dataclass(frozen=True, slots=True)
class Blend:
    """How much each part of what the corpus says about a show counts in its vector."""

    opinion: float = 1.0  # tone and themes
    premise: float = 0.5
    genres: float = 1.0
    narration: float = 0.0  # what happens in the episodes: left out (see the module doc)


def _whole_text(show: ShowText, blend: Blend) -> str:
    parts = [review.opinion for review in show.reviews]
    if blend.narration:
        parts += [review.narration for review in show.reviews]
    return f"{' '.join(parts)} {show.premise or ''} {_genre_text(show)}"


@dataclass(frozen=True, slots=True)
class ShowSimilarity:
    """Cosine similarity between every pair of shows, diagonal zeroed."""

    show_ids: tuple[int, ...]
    matrix: tuple[tuple[float, ...], ...]

    @classmethod
    def fit(cls, shows: Sequence[ShowText], blend: Blend | None = None) -> ShowSimilarity:
        """Vectorise every show and compare them all."""
        ids = tuple(show.show_id for show in shows)
        vectors = _show_vectors(shows, blend or Blend())
        if vectors is None:
            return cls(ids, tuple((0.0,) * len(shows) for _ in shows))
        return cls(ids, _cosines(vectors, centre=len(shows) >= CENTRE_FROM))

    def index(self, show_id: int) -> int | None:
        """The row of a show, if the corpus knows it."""
        try:
            return self.show_ids.index(show_id)
        except ValueError:
            return None

    def between(self, first: int, second: int) -> float:
        """Similarity of two shows (0 when either is unknown)."""
        i, j = self.index(first), self.index(second)
        return 0.0 if i is None or j is None else self.matrix[i][j]

    def nearest(self, show_id: int, count: int = 3) -> list[tuple[int, float]]:
        """The shows most like `show_id`, best first."""
        row = self.index(show_id)
        if row is None:
            return []
        values = self.matrix[row]
        order = sorted(range(len(values)), key=lambda j: -values[j])
        return [(self.show_ids[j], values[j]) for j in order if j != row][:count]

    def relative(self, source: int, target: int, among: Collection[int] | None = None) -> float:
        """Similarity scaled to 0–1 within `source`'s row (its least to its most similar show),
        or within the shows `among` when given (say, the ones a member hasn't seen)."""
        row, column = self.index(source), self.index(target)
        if row is None or column is None or row == column:
            return 0.0
        values = [
            value
            for j, value in enumerate(self.matrix[row])
            if j != row and (among is None or self.show_ids[j] in among)
        ]
        low, high = min(values, default=0.0), max(values, default=0.0)
        if high <= low:
            return 0.0
        return max(0.0, min(1.0, (self.matrix[row][column] - low) / (high - low)))


def _cosines(vectors: list[Vector], centre: bool) -> tuple[tuple[float, ...], ...]:
    """Cosines of every pair, of the vectors minus their mean when `centre`; diagonal 0.

    Centring would make the sparse vectors dense, so it is done on their dot products:
    (a − m)·(b − m) = a·b − a·m − b·m + m·m.
    """
    n = len(vectors)
    mean = weighted_sum((1 / n, vector) for vector in vectors) if centre else {}
    along, squared = [dot(vector, mean) for vector in vectors], dot(mean, mean)
    gram = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i, n):
            raw = dot(vectors[i], vectors[j])
            gram[i][j] = gram[j][i] = raw - (along[i] + along[j]) + squared
    lengths = [dot(vector, vector) for vector in vectors]
    norms = [math.sqrt(gram[i][i]) if gram[i][i] > _FLAT * lengths[i] else 0.0 for i in range(n)]
    return tuple(
        tuple(
            gram[i][j] / (norms[i] * norms[j]) if i != j and norms[i] and norms[j] else 0.0
            for j in range(n)
        )
        for i in range(n)
    )


def _show_vectors(shows: Sequence[ShowText], blend: Blend) -> list[Vector] | None:
    if len(shows) < 2:
        return None
    # a word one show uses (a name) says nothing shared
    tfidf = Tfidf.fit(
        [_whole_text(show, blend) for show in shows], min_df=2 if len(shows) > 2 else 1
    )
    if tfidf is None:  # no shared vocabulary at all
        return None
    return [
        weighted_sum(
            (
                (blend.opinion, tfidf.mean_of([review.opinion for review in show.reviews])),
                (blend.narration, tfidf.mean_of([review.narration for review in show.reviews])),
                (blend.premise, tfidf.mean_of([show.premise or ""])),
                (blend.genres, tfidf.mean_of([_genre_text(show)])),
            )
        )
        for show in shows
    ]
