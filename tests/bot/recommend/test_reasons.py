"""Reasons in the member's own terms, strongest first; critics only when nothing personal."""

from __future__ import annotations

from bot.catalog.episodes import EpisodeRef
from bot.recommend.ranking import Recommender, Scored
from bot.recommend.reasons import reason_for
from bot.recommend.taste import Audience
from bot.recommend.types import Activity
from tests.bot.recommend.conftest import Sample

TITLES = {1: "Ballard", 2: "The Lantern Keeper", 3: "Coldwake"}


def test_the_members_own_ratings_are_named_with_their_scores() -> None:
    scored = Scored(3, 0.9, anchors=((1, 0.8), (2, 0.6)), personal=0.5, social=0.1)
    reason = reason_for(scored, TITLES, {1: 9, 2: 8})
    assert reason == "you rated Ballard 9 and The Lantern Keeper 8"


def test_rated_and_finished_shows_read_as_one_clause() -> None:
    scored = Scored(3, 0.9, anchors=((1, 0.8), (2, 0.6)))
    assert (
        reason_for(scored, TITLES, {1: 9}) == "you rated Ballard 9 and finished The Lantern Keeper"
    )


def test_the_stronger_reason_comes_first() -> None:
    fans = dict(similar_fans=3, similar_finished=3, anchors=((1, 0.8),))
    personal_first = reason_for(Scored(3, 0.9, personal=0.5, social=0.2, **fans), TITLES, {1: 9})
    social_first = reason_for(Scored(3, 0.9, personal=0.1, social=0.3, **fans), TITLES, {1: 9})
    assert personal_first == "you rated Ballard 9 · 3 members here with your taste finished it"
    assert social_first == "3 members here with your taste finished it · you rated Ballard 9"
    liked = reason_for(Scored(3, 0.9, similar_fans=2, similar_finished=1), TITLES, {})
    assert liked == "2 members here with your taste liked it"


def test_critics_only_when_nothing_personal_applies_and_said_as_such() -> None:
    personal = Scored(3, 0.9, anchors=((1, 0.8),), critics=8.25)
    assert "critics" not in reason_for(personal, TITLES, {1: 9})
    alone = reason_for(Scored(3, 0.5, critics=8.25), TITLES, {})
    assert alone == "critics rate it 8.2/10 (no personal reason yet)"


def test_on_the_sample_the_reason_names_the_members_ratings_and_finishing_neighbours(
    sample: Sample, recommender: Recommender
) -> None:
    ballard, lantern = sample.id_of("Ballard"), sample.id_of("The Lantern Keeper")
    coldwake = sample.id_of("Coldwake")
    alice = {ballard: 9, lantern: 8}
    finished = sample.shows[coldwake].layout.last
    fans = {user: dict(alice) for user in (2, 3, 4)}
    activity = Activity(
        ratings={1: alice, **fans}, progress={user: {coldwake: finished} for user in fans}
    )
    audience = Audience.of(activity, [1, 2, 3, 4], sample.layouts)
    top = recommender.rank(1, audience)[0]
    assert top.show_id == coldwake
    reason = reason_for(top, recommender.titles(), alice)
    assert "you rated Ballard 9" in reason
    assert "3 members here with your taste finished it" in reason
    assert "critics" not in reason
    half = Activity(ratings=activity.ratings, progress={2: {coldwake: EpisodeRef(1, 2)}})
    halfway = recommender.rank(1, Audience.of(half, [1, 2, 3, 4], sample.layouts))
    assert "with your taste" not in reason_for(halfway[0], recommender.titles(), alice)
