"""The label is the last episode a message reveals (issue 17): properties and the leaks."""

from __future__ import annotations

import itertools
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.sample import sample_corpora
from bench.spoilers import load_cases
from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine import ShowCorpus, SpoilerIndex, TaughtPhrase
from bot.guard.engine.model import NAME
from tests.bot.guard.engine.conftest import season_one

E = EpisodeRef
GLUE = ["the", "and", "is", "was", "gets", "dies", "killed", "arrested", "?", "i bet", "lol"]


@cache
def _sample() -> tuple[SpoilerIndex, dict[str, int], dict[int, list[EpisodeRef]]]:
    corpora: list[ShowCorpus] = sample_corpora()
    index = SpoilerIndex.build(corpora)
    episodes = {c.show_id: sorted({s.episode for s in c.sentences}) for c in corpora}
    return index, {c.title: c.show_id for c in corpora}, episodes


@st.composite
def messages(draw: st.DrawFn) -> tuple[int, str]:
    """A show and a message: a labelled one, or words of the show's own vocabulary."""
    index, shows, _ = _sample()
    if draw(st.booleans()):
        case = draw(st.sampled_from(load_cases()))
        return shows[case.show], case.text
    show_id = draw(st.sampled_from(sorted(index.models)))
    model = index.models[show_id]
    words = [label[2:].split("|")[-1][2:] if "|" in label else label[2:] for label in model.labels]
    picked = draw(st.lists(st.sampled_from(words + GLUE), min_size=1, max_size=8))
    return show_id, " ".join(picked)


@settings(max_examples=300, deadline=None)
@given(messages(), st.data())
def test_the_label_is_an_episode_after_which_nothing_in_the_message_is_new(
    message: tuple[int, str], data: st.DataObject
) -> None:
    index, _, episodes = _sample()
    show_id, text = message
    line = data.draw(st.sampled_from([NOTHING, *episodes[show_id]]), label="line")
    verdict = index.check(text, show_id, line)
    assert verdict.spoiler == (verdict.last is not None)
    if not verdict.spoiler:
        return
    label = verdict.label_episode
    assert label is not None and verdict.episode is not None
    assert line < verdict.episode <= label == verdict.last
    assert any(item.episode == label for item in verdict.evidence)  # what dates the label
    later = data.draw(st.sampled_from([e for e in episodes[show_id] if e >= label]), label="at")
    assert not index.check(text, show_id, later).spoiler, (text, later)  # nothing new there
    assert index.last_revealed(text, show_id, line) == label


@settings(max_examples=150, deadline=None)
@given(messages(), st.data())
def test_an_authors_label_never_moves_earlier(
    message: tuple[int, str], data: st.DataObject
) -> None:
    index, _, episodes = _sample()
    show_id, text = message
    claimed = data.draw(st.sampled_from(episodes[show_id]))
    found = index.last_revealed(text, show_id, claimed)
    if found is not None:
        assert found > claimed
        assert not index.check(text, show_id, found).spoiler


RECANT_REASON = (
    "issue 19: 'recant' was an event word only Ballard's recaps use; with show vocabulary out "
    "of the lists it is a plain term, and the ledger message dates to S01E09 only"
)


@pytest.mark.xfail(strict=True, reason=RECANT_REASON)
def test_a_recanting_is_labelled_with_its_own_episode() -> None:
    index, shows, _ = _sample()
    ledger = "the ledger gets ruled inadmissible and brannigan recants"
    verdict = index.check(ledger, shows["Ballard"], E(1, 4))
    assert (verdict.episode, verdict.last) == (E(1, 9), E(1, 10))


def test_the_leaks_of_the_issue_are_labelled_with_their_last_episode() -> None:
    index, shows, _ = _sample()
    ballard, lantern = shows["Ballard"], shows["The Lantern Keeper"]
    ghost = "in lantern keeper aldous is a ghost the whole time?!"
    cases = [
        (ballard, E(1, 4), "bo strand shot him twice, brutal", E(1, 5), E(1, 7)),
        (lantern, NOTHING, ghost, E(1, 1), E(1, 7)),
    ]
    for show_id, line, text, first, last in cases:
        verdict = index.check(text, show_id, line)
        assert (verdict.episode, verdict.last) == (first, last), text
        data = verdict.as_dict(text)
        assert (data["first"], data["episode"]) == (first.code, last.code)
    raid = "rawls dies in the cannery raid, bo strand shoots him"
    assert index.last_revealed(raid, ballard, E(1, 1)) == E(1, 7)


ROWS = [
    (1, "Mara Quill runs the harbour office."),
    (2, "Odo Varne arrives on the ferry."),
    (3, "Odo Varne is arrested at the pier."),
    (4, "Mara Quill visits the lighthouse."),
    (6, "Odo Varne walks free and leaves the island."),
]


def test_a_bare_name_is_labelled_with_the_latest_sentence_naming_it() -> None:
    index = SpoilerIndex.build([season_one(1, "Harbour", ROWS)])
    verdict = index.check("odo varne!!", 1, E(1, 1))
    assert verdict.spoiler and verdict.episode == E(1, 2)
    assert verdict.last == E(1, 6)  # what the message says about him is not dated: err late
    assert verdict.evidence[-1].source == "latest"
    assert verdict.evidence[-1].matched == "Odo Varne walks free and leaves the island."


def test_a_precise_fact_dates_the_label_without_erring_late() -> None:
    index = SpoilerIndex.build([season_one(1, "Harbour", ROWS)])
    verdict = index.check("odo varne is arrested", 1, E(1, 1))
    assert (verdict.episode, verdict.last) == (E(1, 3), E(1, 3))


def test_a_taught_phrase_dates_the_label_at_its_episode() -> None:
    base = SpoilerIndex.build([season_one(1, "Harbour", ROWS)])
    index = base.with_taught(1, [TaughtPhrase(E(1, 4), "the lighthouse keeper vanishes")])
    verdict = index.check("so the lighthouse keeper vanishes", 1, E(1, 1))
    assert verdict.spoiler and verdict.last == E(1, 4)


def test_names_in_the_model_are_labelled_no_earlier_than_their_first_episode() -> None:
    index, _, _ = _sample()
    for model in itertools.islice(index.models.values(), 3):
        for concept, label in enumerate(model.labels):
            if label[0] != NAME or model.first_episode(concept) == NOTHING:
                continue
            verdict = index.check(label[2:], model.show_id, NOTHING)
            if verdict.spoiler:
                assert verdict.last is not None
                assert verdict.last >= model.first_episode(concept)
