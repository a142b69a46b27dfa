"""The engine on the sample corpus, loaded through the real importer and bot.guard.index_store."""

from __future__ import annotations

import pytest

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine import ShowCorpus, SpoilerIndex

E = EpisodeRef


def test_loader_gives_premise_at_nothing_and_sentence_kinds(sample: list[ShowCorpus]) -> None:
    ballard = next(c for c in sample if c.title == "Ballard")
    assert ballard.aliases == ("Ballard PD", "Ballard Harbor")
    assert ballard.sentences[0].episode == NOTHING and ballard.sentences[0].kind == "premise"
    kinds = {s.kind for s in ballard.sentences}
    assert {"narration", "opinion", "verdict"} <= kinds
    episodes = [s.episode for s in ballard.sentences]
    assert episodes == sorted(episodes)


def test_the_issue_example(sample_index: SpoilerIndex, show_ids: dict[str, int]) -> None:
    verdict = sample_index.check(
        "cant believe the captain walks free lol", show_ids["Ballard"], E(1, 5)
    )
    assert verdict.spoiler and verdict.episode == E(1, 10)
    assert "walks free" in verdict.evidence[0].matched


@pytest.mark.parametrize(
    ("text", "line", "episode"),
    [
        ("rawl gets shot at the cannery", E(1, 6), E(1, 7)),
        ("olivass and rawls finding the second phone in the locker", E(1, 3), E(1, 4)),
        ("pearlmen arrested in his own precinct", E(1, 5), E(1, 9)),
        ("the dad did it", E(1, 2), E(1, 8)),
        ("rawls doesnt make it btw", E(1, 3), E(1, 7)),
    ],
)
def test_typos_and_paraphrases(
    sample_index: SpoilerIndex,
    show_ids: dict[str, int],
    text: str,
    line: EpisodeRef,
    episode: EpisodeRef,
) -> None:
    verdict = sample_index.check(text, show_ids["Ballard"], line)
    assert verdict.spoiler and verdict.episode == episode


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("still not over rawls. the cannery ep was brutal", E(1, 7)),
        ("cant believe the captain walks free lol", E(1, 10)),
        ("the dad did it and i genuinely never saw it coming", E(1, 8)),
        ("who's watching tonight?", NOTHING),
        ("ana olivas coming home after years away is such a good setup", NOTHING),
    ],
)
def test_within_the_line_or_premise_is_fine(
    sample_index: SpoilerIndex, show_ids: dict[str, int], text: str, line: EpisodeRef
) -> None:
    assert not sample_index.check(text, show_ids["Ballard"], line).spoiler


def test_shows_named_on_the_sample(sample_index: SpoilerIndex, show_ids: dict[str, int]) -> None:
    assert sample_index.shows_named("is ballard worth starting?") == [show_ids["Ballard"]]
    assert sample_index.shows_named("pearlman is so shady") == [show_ids["Ballard"]]
    assert sample_index.shows_named("the lanternkeeper is cozy") == [show_ids["The Lantern Keeper"]]
    assert sample_index.shows_named("good evening everyone") == []


def test_first_episode_of_on_the_sample(
    sample_index: SpoilerIndex, show_ids: dict[str, int]
) -> None:
    ballard = show_ids["Ballard"]
    premise = "A detective moves back to her harbor hometown after a girl is found in the nets."
    assert sample_index.first_episode_of(ballard, premise) is None
    assert sample_index.first_episode_of(ballard, "Tom Rawls is dead.") == E(1, 7)
