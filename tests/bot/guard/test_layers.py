"""A server's two corpus layers: the stricter verdict of the shared and the server's index."""

from __future__ import annotations

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.types import NOT_A_SPOILER, Evidence, Verdict
from bot.guard.layers import stricter

E01, E05, E07, E10 = (EpisodeRef(1, n) for n in (1, 5, 7, 10))


def _spoiler(first: EpisodeRef, last: EpisodeRef | None = None, score: float = 2.0) -> Verdict:
    evidence = (Evidence(first, f"fact of {first.code}", "event", score),)
    return Verdict(True, first, score, evidence, last)


def test_a_spoiler_in_either_layer_is_a_spoiler() -> None:
    shared = _spoiler(E07)
    assert stricter(shared, NOT_A_SPOILER) == shared
    assert stricter(NOT_A_SPOILER, shared) == shared


def test_no_spoiler_in_both_is_no_spoiler() -> None:
    weak = Verdict(False, None, 0.9)
    assert not stricter(weak, NOT_A_SPOILER).spoiler
    assert stricter(NOT_A_SPOILER, weak).score == 0.9


def test_the_shared_layer_dates_it_and_the_later_label_wins() -> None:
    verdict = stricter(_spoiler(E07, E07), _spoiler(E05, E10, score=3.0))
    assert (verdict.episode, verdict.label_episode, verdict.score) == (E07, E10, 3.0)
    assert verdict.evidence[0].episode == E07 and len(verdict.evidence) == 2


def test_an_upload_dating_a_fact_early_moves_neither_date_nor_label_earlier() -> None:
    verdict = stricter(_spoiler(E07, E10), _spoiler(E01, E01))
    assert verdict.episode == E07 and verdict.label_episode == E10


def test_a_fact_only_the_upload_knows_is_still_hidden() -> None:
    verdict = stricter(NOT_A_SPOILER, _spoiler(E05, E05))
    assert verdict.spoiler and verdict.episode == E05
