"""TF-IDF on sparse vectors (term → weight), as scikit-learn's `TfidfVectorizer` computes it.

Same tokens (lower-cased words of 3+ letters, English stop words dropped, then the bigrams of
what remains), smoothed idf `ln((1 + n) / (1 + df)) + 1`, sublinear tf `1 + ln(count)` and
unit-length rows: the configuration the recommender used with scikit-learn.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from operator import itemgetter, mul

from bot.recommend.stop_words import ENGLISH_STOP_WORDS

Vector = dict[str, float]  # term → weight; absent terms weigh 0
_TOKENS = re.compile(r"(?u)\b[a-z][a-z_]{2,}\b")


def terms(text: str) -> list[str]:
    """Lower-cased words minus stop words, then the bigrams of what remains (sklearn's order)."""
    words = [w for w in _TOKENS.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]
    return words + [f"{first} {second}" for first, second in pairwise(words)]


def dot(first: Mapping[str, float], second: Mapping[str, float]) -> float:
    """The dot product of two sparse vectors (correctly rounded, so in no particular order)."""
    shared = tuple(first.keys() & second.keys())
    if len(shared) < 2:  # itemgetter returns a tuple only for two keys or more
        return math.fsum(first[term] * second[term] for term in shared)
    weights = itemgetter(*shared)
    return math.fsum(map(mul, weights(first), weights(second)))


def unit(vector: Vector) -> Vector:
    """The vector scaled to length 1 (a zero vector stays zero)."""
    norm = math.sqrt(dot(vector, vector))
    return {term: weight / norm for term, weight in vector.items()} if norm else vector


def weighted_sum(parts: Iterable[tuple[float, Mapping[str, float]]]) -> Vector:
    """Σ weight × vector."""
    total: Vector = {}
    for weight, vector in parts:
        if not weight:
            continue
        for term, value in vector.items():
            total[term] = total.get(term, 0.0) + weight * value
    return total


@dataclass(frozen=True, slots=True)
class Tfidf:
    """The idf of every term kept from the texts a model was fitted on."""

    idf: dict[str, float]

    @classmethod
    def fit(cls, texts: Sequence[str], min_df: int = 1) -> Tfidf | None:
        """Learn the terms in at least `min_df` texts and their idf; None if there are none."""
        df = Counter(term for text in texts for term in set(terms(text)))
        kept = sorted(term for term, count in df.items() if count >= min_df)
        if not kept:
            return None
        n = len(texts)
        return cls({term: math.log((1 + n) / (1 + df[term])) + 1 for term in kept})

    def vector(self, text: str) -> Vector:
        """The unit TF-IDF vector of one text (1 + ln tf, times idf); empty if no term is known."""
        counts = Counter(term for term in terms(text) if term in self.idf)
        return unit({term: (1 + math.log(c)) * self.idf[term] for term, c in counts.items()})

    def mean_of(self, texts: Sequence[str]) -> Vector:
        """The unit mean of the non-blank texts' vectors (empty when all are blank)."""
        rows = [self.vector(text) for text in texts if text.strip()]
        return unit(weighted_sum((1.0, row) for row in rows))
