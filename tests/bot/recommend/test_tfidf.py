"""The TF-IDF reproduces the scikit-learn numbers it replaced (pinned, no sklearn here)."""

from __future__ import annotations

import pytest

from bot.recommend.similarity import Blend, ShowSimilarity
from bot.recommend.tfidf import Tfidf
from bot.recommend.types import ReviewText, ShowText

# The figures below were computed by TfidfVectorizer(stop_words="english", ngram_range=(1, 2),
# sublinear_tf=True, token_pattern=r"(?u)\b[a-z][a-z_]{2,}\b") with scikit-learn 1.9.1.
TEXTS = ["The cat sat on the mat, the cat!", "A dog and a cat.", "Dogs ran; the dog sat down"]
OLD_BLEND = Blend(opinion=1.0, premise=0.3, genres=0.6, narration=0.5)  # what was pinned
RARE, COMMON = 1.6931471805599454, 1.2876820724517808  # ln(4/2) + 1, ln(4/3) + 1

SHOWS = [
    ShowText(
        1,
        "Harbor",
        ("crime", "Sci-Fi"),
        "A detective works the harbor at night.",
        (
            ReviewText(
                "The detective finds the body at the harbor.",
                "Bleak and slow, a slow slow burn; the detective is great.",
            ),
            ReviewText("", "A bleak political thriller with a great cast."),
        ),
    ),
    ShowText(
        2,
        "Ministry",
        ("crime", "drama"),
        "Clerks in a ministry keep secrets.",
        (
            ReviewText(
                "The clerks hide the ledger from the minister.",
                "A political thriller, bleak and tense.",
            ),
        ),
    ),
    ShowText(
        3,
        "Motel",
        ("comedy",),
        "A family runs a motel by the sea.",
        (
            ReviewText(
                "The family fixes the motel sign.",
                "Warm and funny, a cozy comedy with a great cast.",
            ),
            ReviewText("The sign falls again.", "Funny, warm, gentle."),
        ),
    ),
    ShowText(
        4,
        "Permits",
        ("comedy", "drama"),
        None,
        (ReviewText("", "Cozy and funny; the clerks are warm and the detective is funny too."),),
    ),
]
FOUR = [
    [0.0, -0.1278609412265496, -0.5503658257112956, -0.6641447499609859],
    [-0.1278609412265496, 0.0, -0.6414889925270489, -0.4250631595962899],
    [-0.5503658257112956, -0.6414889925270489, 0.0, 0.5031168685185579],
    [-0.6641447499609859, -0.4250631595962899, 0.5031168685185579, 0.0],
]
LAST_THREE = [
    [0.0, -0.933077134621776, -0.6247050676752418],
    [-0.933077134621776, 0.0, 0.30204087182222644],
    [-0.6247050676752418, 0.30204087182222644, 0.0],
]


def test_vocabulary_drops_stop_words_and_pairs_what_remains() -> None:
    tfidf = Tfidf.fit(TEXTS)
    assert tfidf is not None
    assert list(tfidf.idf) == [
        "cat", "cat sat", "dog", "dog cat", "dog sat", "dogs", "dogs ran",
        "mat", "mat cat", "ran", "ran dog", "sat", "sat mat",
    ]  # fmt: skip
    idf = tfidf.idf
    assert idf == pytest.approx({t: COMMON if t in {"cat", "dog", "sat"} else RARE for t in idf})


def test_vectors_are_sublinear_idf_weighted_and_unit_length() -> None:
    tfidf = Tfidf.fit(TEXTS)
    assert tfidf is not None
    assert tfidf.vector("Cat cat CAT sat on the mat.") == pytest.approx(
        {
            "cat": 0.6448604906292151,
            "cat sat": 0.40403558813024265,
            "mat": 0.40403558813024265,
            "sat": 0.3072794789734495,
            "sat mat": 0.40403558813024265,
        },
        abs=1e-12,
    )
    assert tfidf.vector("nothing known here") == {}


def test_min_df_keeps_only_shared_terms() -> None:
    tfidf = Tfidf.fit(TEXTS, min_df=2)
    assert tfidf is not None and list(tfidf.idf) == ["cat", "dog", "sat"]
    assert Tfidf.fit(["the a an", "of it"]) is None


@pytest.mark.parametrize(
    ("shows", "expected"),
    [
        (SHOWS, FOUR),  # centred, min_df 2
        (SHOWS[:2], [[0.0, 0.1849768740265289], [0.1849768740265289, 0.0]]),  # min_df 1
        (SHOWS[1:], LAST_THREE),
    ],
)
def test_show_similarities_match_the_scikit_learn_figures(
    shows: list[ShowText], expected: list[list[float]]
) -> None:
    matrix = ShowSimilarity.fit(shows, OLD_BLEND).matrix
    assert [list(row) for row in matrix] == [pytest.approx(row, abs=1e-9) for row in expected]
