"""Episodes a message names, and vocabulary new in one unwatched episode."""

from __future__ import annotations

import pytest

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine import SpoilerIndex, weak_facts
from bot.guard.engine import index as spoiler_index
from bot.guard.engine.concept_reader import Reader
from bot.guard.engine.episode_signals import named_episodes, new_words
from bot.guard.engine.text import fold
from tests.bot.guard.engine.conftest import season_one

E = EpisodeRef

DRIFT = season_one(
    1,
    "Driftline",
    [
        (1, "Pilot Mara Quell wakes the crew of the tug Driftline near Europa."),
        (1, "The tug's reactor coughs and the crew argues about the contract."),
        (2, "Mara and the engineer Tobin Ash repair the reactor shielding."),
        (2, "Tobin admits he signed the contract without reading it."),
        (3, "Tobin goes outside on a tether to free the jammed grapple."),
        (3, "His tether snaps and he floats away while the comms hiss."),
        (3, "The silence of the last shot, with no score at all, is devastating."),
        (4, "Mara and Tobin's sister share a quiet dinner on the ice."),
    ],
)


@pytest.fixture(scope="module")
def index() -> SpoilerIndex:
    return SpoilerIndex.build([DRIFT])


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("that S01E03 ending", E(1, 1), {E(1, 3)}),
        ("1x04 was so cosy", E(1, 1), {E(1, 4)}),
        ("ep 3 wrecked me", E(1, 2), {E(1, 3)}),
        ("episode 2 and ep3 were the best", E(1, 2), {E(1, 3)}),  # ep 2 is watched
        ("the finale is so quiet", E(1, 1), {E(1, 4)}),
        ("season 2 ep 1 when", E(1, 4), {E(2, 1)}),
        ("nothing numbered here", NOTHING, set()),
    ],
)
def test_named_episodes(index: SpoilerIndex, text: str, line: EpisodeRef, expected: set) -> None:
    assert named_episodes(index.models[1], fold(text), line) == expected


def _new_words(index: SpoilerIndex, text: str, line: EpisodeRef) -> dict[EpisodeRef, set[str]]:
    model = index.models[1]
    concepts = Reader(model, index.known_words).concepts(fold(text))
    facts = new_words(model, concepts, line, model.units_through(line), hedge=1.0)
    return {f.episode: {model.labels[c] for c in f.concepts} for f in facts}


def test_a_weak_match_in_the_episode_the_message_names_is_a_spoiler(
    index: SpoilerIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spoiler_index, "THRESHOLD", 9.0)  # no sentence match is enough alone
    monkeypatch.setattr(weak_facts, "THRESHOLD", 9.0)  # nor facts of one episode together
    assert not index.check("mara sharing dinner on the ice, so sweet", 1, E(1, 3)).spoiler
    verdict = index.check("mara sharing dinner on the ice in the finale, so sweet", 1, E(1, 3))
    assert verdict.spoiler and verdict.episode == E(1, 4)
    assert not index.check("mara sharing dinner on the ice in ep 4", 1, E(1, 4)).spoiler


def test_words_all_new_in_one_unwatched_episode_describe_it(index: SpoilerIndex) -> None:
    assert _new_words(index, "the tether and then the silence. wow.", E(1, 2)) == {
        E(1, 3): {"t:tether", "t:silence"}
    }
    assert _new_words(index, "the tether and then the silence. wow.", E(1, 3)) == {}
    assert _new_words(index, "only the tether, huh", E(1, 2)) == {}  # one word is not enough


def test_the_first_episode_is_all_new_words_so_newness_says_nothing(index: SpoilerIndex) -> None:
    assert _new_words(index, "a tug near europa with a coughing reactor", NOTHING) == {}
