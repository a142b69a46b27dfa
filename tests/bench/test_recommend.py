"""The recommender benchmark runs end to end on a small generated server."""

from __future__ import annotations

import asyncio
import random

import pytest

from bench import recommend
from bench.rec_members import DISLIKED_SCORE, generate


def test_a_small_run_reports_every_ranker(capsys: pytest.CaptureFixture[str]) -> None:
    rates = recommend.run(seed=3, runs=1, members=20, groups=5)
    assert set(rates) == {"recommender", "popularity", "critics", "random"}
    assert all(0.0 <= top <= 1.0 and first <= top for top, first in rates.values())
    out = capsys.readouterr().out
    assert "hit@3 ratio recommender / popularity" in out and "group pick" in out


def test_generated_members_like_dislike_and_drop() -> None:
    corpus = asyncio.run(recommend.load_corpus())
    server = generate(corpus.texts, corpus.layouts, 40, random.Random(5))
    ratings = [s for shows in server.activity.ratings.values() for s in shows.values()]
    assert any(score <= DISLIKED_SCORE for score in ratings) and max(ratings) >= 8
    assert server.activity.dropped and server.activity.progress
    assert all(1 <= score <= 10 for truth in server.truth.values() for score in truth.values())
