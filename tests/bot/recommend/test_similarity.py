"""Show similarity from the corpus text: the obvious pairs find each other."""

from __future__ import annotations

import pytest

from bot.recommend.ranking import Recommender
from bot.recommend.similarity import ShowSimilarity, genre_token
from bot.recommend.types import ReviewText, ShowText
from tests.bot.recommend.conftest import Sample

PAIRS = [
    ("The Quiet Ministry", "The Cartographer's Office"),  # the dark political thrillers
    ("Low Tide Motel", "Permit Pending"),  # the cozy sitcoms
]


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_the_obvious_pairs_are_each_others_nearest_neighbours(
    sample: Sample, recommender: Recommender, first: str, second: str
) -> None:
    a, b = sample.id_of(first), sample.id_of(second)
    assert recommender.similarity.nearest(a, 1)[0][0] == b
    assert recommender.similarity.nearest(b, 1)[0][0] == a


def test_a_sitcom_is_closer_to_a_sitcom_than_to_a_thriller(
    sample: Sample, recommender: Recommender
) -> None:
    similarity = recommender.similarity
    motel, permits = sample.id_of("Low Tide Motel"), sample.id_of("Permit Pending")
    ministry = sample.id_of("The Quiet Ministry")
    assert similarity.between(motel, permits) > similarity.between(motel, ministry)
    assert similarity.relative(motel, permits) == 1.0
    assert all(0.0 <= similarity.relative(motel, other) <= 1.0 for other in sample.shows)


def test_similarity_is_symmetric_and_ignores_the_diagonal(recommender: Recommender) -> None:
    matrix = recommender.similarity.matrix
    assert all(row == column for row, column in zip(matrix, zip(*matrix, strict=True), strict=True))
    assert not any(row[i] for i, row in enumerate(matrix))


def test_genre_tokens_are_their_own_words() -> None:
    assert genre_token("Sci-Fi") == "genre_scifi"


def test_tiny_or_empty_corpora_do_not_break() -> None:
    assert ShowSimilarity.fit([]).nearest(1) == []
    lone = ShowSimilarity.fit([ShowText(1, "Alone", ("drama",))])
    assert lone.between(1, 1) == 0.0 and lone.nearest(1) == []
    blank = ShowSimilarity.fit([ShowText(1, "A"), ShowText(2, "B")])
    assert blank.between(1, 2) == 0.0 and blank.relative(1, 2) == 0.0
    pair = ShowSimilarity.fit(
        [
            ShowText(1, "A", ("comedy",), reviews=(ReviewText("", "warm funny cozy"),)),
            ShowText(2, "B", ("comedy",), reviews=(ReviewText("", "warm funny gentle"),)),
        ]
    )
    assert pair.between(1, 2) > 0.5
    assert pair.between(1, 99) == 0.0
