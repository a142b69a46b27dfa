"""The keyword baseline used by the quality benchmark."""

from __future__ import annotations

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine import CorpusSentence, ShowCorpus
from bot.guard.engine.keywords import KeywordBaseline


def test_keyword_baseline_flags_words_first_used_after_the_line() -> None:
    corpus = ShowCorpus(
        1,
        "Tide",
        sentences=(
            CorpusSentence(EpisodeRef(1, 1), "Mara walks on the pier."),
            CorpusSentence(EpisodeRef(1, 2), "Varne burns the boathouse."),
        ),
    )
    baseline = KeywordBaseline.build([corpus])
    verdict = baseline.check("the boathouse!!", 1, EpisodeRef(1, 1))
    assert verdict.spoiler and verdict.episode == EpisodeRef(1, 2)
    assert not baseline.check("the boathouse!!", 1, EpisodeRef(1, 2)).spoiler
    assert baseline.check("mara on the pier", 1, NOTHING).spoiler
