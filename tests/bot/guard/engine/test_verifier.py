"""Retrieve, then verify: the learned verifier, and recaps read as what happened."""

from __future__ import annotations

import json

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine import CorpusSentence, ShowCorpus, SpoilerIndex
from bot.guard.engine.verifier import (
    LEXICAL_FEATURES,
    SEMANTIC_FEATURES,
    WEIGHTS_FILE,
    Verifier,
    default_verifier,
    load_verifiers,
)
from tests.bot.guard.engine.conftest import season_one

E = EpisodeRef


def _constant(bias: float, threshold: float = 0.5) -> Verifier:
    """A verifier that ignores its features: always (bias > 0) or never flags."""
    size = len(LEXICAL_FEATURES)
    return Verifier(LEXICAL_FEATURES, (0.0,) * size, (1.0,) * size, (0.0,) * size, bias, threshold)


def test_the_shipped_weights_load_and_read_the_lexical_features() -> None:
    shipped = load_verifiers()
    assert WEIGHTS_FILE.exists() and "lexical" in shipped
    lexical = shipped["lexical"]
    assert lexical.features == LEXICAL_FEATURES
    assert 0.0 < lexical.threshold <= 1.0
    assert default_verifier() == lexical
    similar = default_verifier(similar=True)
    assert similar is not None and similar.semantic
    assert similar.features == LEXICAL_FEATURES + SEMANTIC_FEATURES
    assert Verifier.from_dict(json.loads(json.dumps(lexical.as_dict()))) == lexical


def test_probability_follows_the_weights() -> None:
    size = len(LEXICAL_FEATURES)
    verifier = Verifier(
        LEXICAL_FEATURES, (0.0,) * size, (1.0,) * size, (2.0,) + (0.0,) * (size - 1), -1.0, 0.5
    )
    low, high = [0.0] * size, [1.0] + [0.0] * (size - 1)
    assert verifier.probability(low) < 0.5 < verifier.probability(high)
    assert not verifier.flags(low) and verifier.flags(high)
    assert _constant(-100.0).probability(low) == 0.0


RAID = season_one(
    1,
    "Harbour Nine",
    [
        (1, "Detective Ivo Marsh joins the harbour squad."),
        (2, "Ivo Marsh nearly gets arrested at the docks, but Nell Brandvold vouches for him."),
        (3, "Nell Brandvold is arrested for smuggling."),
        (4, "Ivo Marsh is arrested in the warehouse raid."),
    ],
)


def test_a_message_naming_nothing_never_reaches_the_verifier() -> None:
    index = SpoilerIndex.build([RAID]).with_verifier(_constant(100.0))
    assert index.features("my trainer tried to kill me today lol", 1, E(1, 1)) is None
    assert not index.check("my trainer tried to kill me today lol", 1, E(1, 1)).spoiler


def test_the_verifier_decides_over_the_rules() -> None:
    rules = SpoilerIndex.build([RAID]).with_verifier(None)
    text = "ivo marsh gets arrested in the raid"
    assert rules.check(text, 1, E(1, 2)).spoiler
    never = rules.with_verifier(_constant(-100.0))
    assert not never.check(text, 1, E(1, 2)).spoiler
    always = rules.with_verifier(_constant(100.0))
    verdict = always.check(text, 1, E(1, 2))
    assert verdict.spoiler and verdict.label_episode == E(1, 4)
    assert not always.check(text, 1, E(1, 4)).spoiler  # nothing after the line: nothing to verify


def test_derived_indexes_keep_the_verifier() -> None:
    verifier = _constant(-100.0)
    index = SpoilerIndex.build([RAID]).with_verifier(verifier)
    assert index.with_safe(1, ["hello"]).verifier is verifier
    assert index.with_semantic(None).verifier is verifier


def test_a_near_miss_in_a_recap_is_not_the_event() -> None:
    index = SpoilerIndex.build([RAID]).with_verifier(None)
    verdict = index.check("ivo marsh arrested", 1, E(1, 1))
    assert verdict.spoiler and verdict.episode == E(1, 4)  # not episode 2's "nearly gets arrested"


def test_a_negated_event_in_a_recap_is_not_the_event() -> None:
    show = season_one(
        1,
        "Shift Change",
        [
            (1, "Teddy Voss runs the night desk."),
            (2, "Teddy Voss doesn't get fired after the audit."),
            (4, "Teddy Voss is fired on the spot."),
        ],
    )
    index = SpoilerIndex.build([show]).with_verifier(None)
    verdict = index.check("teddy voss gets fired", 1, E(1, 2))
    assert verdict.spoiler and verdict.episode == E(1, 4)


def test_a_critics_judgement_binds_no_event() -> None:
    judgement = CorpusSentence(
        E(1, 2), "Beautifully shot, and Marla Quint has never been better.", "opinion"
    )
    told = (
        CorpusSentence(E(1, 1), "Marla Quint opens a bakery in Dunmore."),
        judgement,
        CorpusSentence(E(1, 3), "Marla Quint is shot outside the bakery."),
    )
    index = SpoilerIndex.build([ShowCorpus(1, "Rye", sentences=told)]).with_verifier(None)
    verdict = index.check("marla quint gets shot", 1, E(1, 2))
    assert verdict.spoiler and verdict.episode == E(1, 3)


def test_a_show_without_a_premise_takes_its_first_episodes_opening() -> None:
    told = (
        CorpusSentence(E(1, 1), "Marla Quint opens a sourdough bakery in Dunmore."),
        CorpusSentence(E(1, 1), "Her brother Cal delivers the bread."),
        CorpusSentence(E(1, 1), "At closing time Marla finds the till empty."),
        CorpusSentence(E(1, 2), "Cal confesses he took the money."),
    )
    index = SpoilerIndex.build([ShowCorpus(1, "Rye", sentences=told)]).with_verifier(None)
    assert not index.check("the sourdough bakery show with marla quint", 1, NOTHING).spoiler
    assert index.check("cal confesses he took the money", 1, NOTHING).spoiler
    written = ShowCorpus(
        1, "Rye", sentences=(CorpusSentence(NOTHING, "A baker.", "premise"), *told)
    )
    model = SpoilerIndex.build([written]).models[1]
    assert model.units_through(NOTHING) == 2  # the title and the written premise only
