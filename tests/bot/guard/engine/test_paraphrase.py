"""The paraphrase layer's rule: a weak lexical fact, confirmed by a later sentence it resembles.

`TableMatcher` (conftest) stands in for the embedding model: it scores sentences by a table, so
these tests pin the rule (anchor, threshold, margin, dating, evidence) independently of any
model. `test_semantic_model.py` runs the real model when the semantic extra is installed.
"""

from __future__ import annotations

import pytest

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine import SpoilerIndex, TaughtPhrase
from bot.guard.engine.paraphrase import MARGIN, SIMILARITY
from bot.guard.engine.semantic import SemanticMatcher
from tests.bot.guard.engine.conftest import TableMatcher

E = EpisodeRef
VOTE = "the vote was 4-1 and the 1 was exactly who you'd think lol"
VOTE_SENTENCE = "The vote is held in the galley, four to one."


def _with(sample_index: SpoilerIndex, table: dict[str, float]) -> SpoilerIndex:
    matcher = TableMatcher(table)
    assert isinstance(matcher, SemanticMatcher)
    return sample_index.with_semantic(matcher)


def test_a_weak_fact_confirmed_by_a_later_sentence_is_a_spoiler(
    sample_index: SpoilerIndex, show_ids: dict[str, int]
) -> None:
    coldwake = show_ids["Coldwake"]
    assert not sample_index.check(VOTE, coldwake, E(1, 5)).spoiler  # lexically too weak
    index = _with(sample_index, {VOTE_SENTENCE: SIMILARITY + 0.05})
    verdict = index.check(VOTE, coldwake, E(1, 5))
    assert verdict.spoiler and verdict.episode == E(1, 6)
    said = verdict.evidence[0]
    assert said.source == "paraphrase" and said.matched == VOTE_SENTENCE
    assert said.score == pytest.approx(SIMILARITY + 0.05)
    assert index.semantic.flushed  # type: ignore[union-attr]
    assert verdict.evidence[1].episode == E(1, 6)  # the lexical anchor is shown too


def test_below_the_similarity_threshold_nothing_changes(
    sample_index: SpoilerIndex, show_ids: dict[str, int]
) -> None:
    index = _with(sample_index, {VOTE_SENTENCE: SIMILARITY - 0.01})
    assert not index.check(VOTE, show_ids["Coldwake"], E(1, 5)).spoiler


def test_a_watched_sentence_as_close_keeps_it_open(
    sample_index: SpoilerIndex, show_ids: dict[str, int]
) -> None:
    coldwake = show_ids["Coldwake"]
    model = sample_index.models[coldwake]
    watched = model.text(model.units_through(E(1, 2)) - 1)  # the last sentence about E02
    close = {VOTE_SENTENCE: 0.8, watched: 0.8 - MARGIN + 0.02}
    assert not _with(sample_index, close).check(VOTE, coldwake, E(1, 5)).spoiler
    far = {VOTE_SENTENCE: 0.8, watched: 0.8 - MARGIN - 0.02}
    assert _with(sample_index, far).check(VOTE, coldwake, E(1, 5)).spoiler


def test_without_a_lexical_anchor_similarity_alone_never_flags(
    sample_index: SpoilerIndex, show_ids: dict[str, int]
) -> None:
    index = _with(sample_index, {"": 0.99})  # every sentence "matches" every message
    matcher = index.semantic
    assert isinstance(matcher, TableMatcher)
    assert not index.check(
        "what a week, anyone up for pizza", show_ids["Coldwake"], E(1, 1)
    ).spoiler
    assert matcher.asked == []  # no fact, no model run


def test_strong_lexical_verdicts_do_not_run_the_model(
    sample_index: SpoilerIndex, show_ids: dict[str, int]
) -> None:
    index = _with(sample_index, {"": 0.99})
    text = "cant believe the captain walks free lol"
    assert index.check(text, show_ids["Ballard"], E(1, 5)) == sample_index.check(
        text, show_ids["Ballard"], E(1, 5)
    )
    assert index.semantic.asked == []  # type: ignore[union-attr]


def test_a_show_the_matcher_was_not_prepared_with_is_left_alone(
    sample_index: SpoilerIndex, show_ids: dict[str, int]
) -> None:
    index = _with(sample_index, {VOTE_SENTENCE: 0.9})
    index.semantic.sentences.clear()  # type: ignore[union-attr]
    assert not index.check(VOTE, show_ids["Coldwake"], E(1, 5)).spoiler


def test_taught_phrases_keep_the_layer(
    sample_index: SpoilerIndex, show_ids: dict[str, int]
) -> None:
    coldwake = show_ids["Coldwake"]
    index = _with(sample_index, {VOTE_SENTENCE: 0.9})
    taught = index.with_taught(coldwake, [TaughtPhrase(E(1, 3), "the frozen orchard")])
    assert taught.semantic is index.semantic
    assert taught.check(VOTE, coldwake, E(1, 5)).episode == E(1, 6)
