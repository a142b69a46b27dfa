"""Blurbs are spoiler-free by construction, short, and absent when nothing safe can be said."""

from __future__ import annotations

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine.types import NOT_A_SPOILER, CorpusSentence, ShowCorpus, Verdict
from bot.recommend.blurbs import (
    BLURB_LIMIT,
    PILOT,
    BlurbWriter,
    clip,
    compose,
    phrases,
    tone_sentences,
    write_blurb,
)
from bot.recommend.types import IntroLine, ShowText
from tests.bot.recommend.conftest import Sample
from tests.bot.recommend.judges import NameJudge, real_engine

SHOW = ShowText(
    show_id=7,
    title="Harbor Light",
    premise="A keeper takes over a lighthouse on a remote island. Nobody will say why.",
    intro=(
        IntroLine("opinion", "Review"),
        IntroLine("opinion", "A tense pilot that hints at what Oskar will do next."),
        IntroLine("opinion", "A tense, eerie pilot with a lovely, hushed atmosphere."),
        IntroLine("verdict", "Rating: 8/10"),
    ),
)
CORPUS = ShowCorpus(
    show_id=7,
    title="Harbor Light",
    sentences=(
        CorpusSentence(NOTHING, SHOW.premise or "", "premise"),
        CorpusSentence(
            EpisodeRef(1, 1), "On her first night, Mara finds the logbook.", "narration"
        ),
        CorpusSentence(EpisodeRef(1, 5), "In the storm, Oskar drowns.", "narration"),
    ),
)


class _Everything:
    """A judge that calls everything a spoiler from the first episode on."""

    def check(self, text: str, show_id: int, line: EpisodeRef) -> Verdict:
        return Verdict(True, PILOT, 9.0)

    def first_episode_of(self, show_id: int, text: str) -> EpisodeRef | None:
        return PILOT


class _Nothing:
    """A judge that finds nothing anywhere."""

    def check(self, text: str, show_id: int, line: EpisodeRef) -> Verdict:
        return NOT_A_SPOILER

    def first_episode_of(self, show_id: int, text: str) -> EpisodeRef | None:
        return None


def test_later_names_are_left_out_and_the_rest_is_premise_then_tone() -> None:
    blurb = write_blurb(NameJudge.build([CORPUS]), SHOW)
    assert blurb == (
        "A keeper takes over a lighthouse on a remote island. "
        "A tense, eerie pilot with a lovely, hushed atmosphere."
    )


def test_fail_closed_without_a_judge_or_when_everything_is_a_spoiler() -> None:
    assert write_blurb(None, SHOW) is None
    assert write_blurb(_Everything(), SHOW) is None
    assert write_blurb(_Nothing(), ShowText(1, "Empty")) is None


def test_blurbs_come_only_from_premise_and_first_episode_opinions(sample: Sample) -> None:
    writer = BlurbWriter(_Nothing())
    for text in sample.texts:
        blurb = writer.blurb(text)
        assert blurb is not None and len(blurb) <= BLURB_LIMIT
        allowed = [text.premise or "", *(line.text for line in text.intro)]
        first = blurb.removesuffix("…").split(". ")[0]
        assert any(first in source for source in allowed)
        assert writer.blurb(text) is blurb  # memoised


def test_tone_sentences_skip_headings_and_bare_ratings() -> None:
    assert tone_sentences(SHOW) == [
        "A tense, eerie pilot with a lovely, hushed atmosphere.",
        "A tense pilot that hints at what Oskar will do next.",
    ]


def test_clip_cuts_at_a_sentence_or_word_boundary() -> None:
    assert clip("Short.", 10) == "Short."
    assert clip("One two three. Four five six seven.", 20) == "One two three."
    clipped = clip("alpha beta gamma delta epsilon", 18)
    assert clipped == "alpha beta gamma…" and len(clipped) <= 18
    assert compose(["first piece.", "second.", "third piece too long"], lambda _: True, 21) == (
        "first piece. second."
    )
    assert list(phrases("a b c", 2)) == ["a", "b", "c", "a b", "b c"]


def test_no_blurb_contains_anything_the_real_engine_dates_after_episode_one(
    sample: Sample,
) -> None:
    """Every sample show, against the teammate's real spoiler engine (no test double)."""
    engine = real_engine(sample.corpora)
    written = 0
    for text in sample.texts:
        blurb = write_blurb(engine, text)
        if blurb is None:
            continue
        written += 1
        assert len(blurb) <= BLURB_LIMIT
        assert not engine.check(blurb, text.show_id, NOTHING).spoiler, (text.title, blurb)
        for phrase in (blurb, *phrases(blurb, 4)):
            dated = engine.first_episode_of(text.show_id, phrase)
            assert dated is None or dated <= PILOT, (text.title, phrase, dated)
    assert written >= len(sample.texts) // 2  # safe, but not by saying nothing
