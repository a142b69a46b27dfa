"""Round four: descriptions of someone already named, denied guilt, and payment as corruption."""

from __future__ import annotations

import pytest

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine import SpoilerIndex
from bot.guard.engine.text import apply_phrases
from tests.bot.guard.engine.conftest import season_one

E = EpisodeRef

GREYWATER = season_one(
    1,
    "Greywater",
    [
        (1, "Mayor Odile Brask opens the new ferry terminal."),
        (1, "Her boyfriend Felix Arden is arrested for the fire at the boathouse."),
        (2, "Detective Ines Kahl reads the insurance file twice."),
        (3, "Felix is released when the footage shows him on the night ferry."),
        (4, "Kahl photographs a meeting on the pier. Standing beside the smugglers is Brask."),
        (4, "The woman who had Felix arrested is on the smugglers' payroll."),
        (5, "Kahl finds the payment records in a shoebox."),
    ],
)


@pytest.fixture(scope="module")
def index() -> SpoilerIndex:
    return SpoilerIndex.build([GREYWATER])


def test_a_description_refers_to_the_person_just_named(index: SpoilerIndex) -> None:
    # "the woman who had Felix arrested" is Brask, named in the sentence before: the mayor's
    # corruption is dated to episode 4 even though that sentence never names her
    verdict = index.check("the mayor is corrupt btw", 1, E(1, 2))
    assert verdict.spoiler and verdict.episode == E(1, 4)
    assert not index.check("the mayor is corrupt, right?", 1, E(1, 4)).spoiler


def test_denied_guilt_reads_as_being_cleared(index: SpoilerIndex) -> None:
    assert "evfree" in apply_phrases("the boyfriend isn't the killer")
    assert "evfree" in apply_phrases("felix didn't do it")
    assert "evfree" in apply_phrases("he was innocent all along")
    verdict = index.check("the boyfriend isn't the killer, relax", 1, E(1, 1))
    assert verdict.spoiler and verdict.episode == E(1, 3)


def test_payments_are_corruption() -> None:
    assert "evcorrupt" not in apply_phrases("the payment records")  # a word, not an idiom
    from bot.guard.engine.lexicon import EVENT_WORDS

    assert "evcorrupt" in EVENT_WORDS["payment"]
