"""Ranking: candidates, the blend, reasons, cold start."""

from __future__ import annotations

from bot.catalog.episodes import EpisodeRef
from bot.recommend.ranking import Recommender, Scored
from bot.recommend.reasons import reason_for
from bot.recommend.taste import Audience, member_preferences, rating_preference, taste_similarity
from bot.recommend.types import Activity
from tests.bot.recommend.conftest import Sample

ALICE, BOB, CAROL, DAVE, ERIN, NEWBIE = 1, 2, 3, 4, 5, 6
SERVER = [ALICE, BOB, CAROL, DAVE, ERIN, NEWBIE]
MINISTRY, OFFICE = "The Quiet Ministry", "The Cartographer's Office"


def _audience(sample: Sample, activity: Activity, members: list[int] = SERVER) -> Audience:
    return Audience.of(activity, members, sample.layouts)


def _ranked(sample: Sample, recommender: Recommender, user: int, activity: Activity) -> list[str]:
    audience = _audience(sample, activity)
    return [sample.shows[item.show_id].title for item in recommender.rank(user, audience)]


def test_candidates_exclude_every_show_the_member_rated_or_started(
    sample: Sample, recommender: Recommender
) -> None:
    ministry, motel, ballard = (
        sample.id_of(MINISTRY),
        sample.id_of("Low Tide Motel"),
        sample.id_of("Ballard"),
    )
    activity = Activity(
        ratings={ALICE: {ministry: 9, motel: 2}}, progress={ALICE: {ballard: EpisodeRef(1, 3)}}
    )
    titles = _ranked(sample, recommender, ALICE, activity)
    assert set(titles).isdisjoint({MINISTRY, "Low Tide Motel", "Ballard"})
    assert len(titles) == len(sample.shows) - 3
    assert OFFICE in titles[:2]
    assert "Permit Pending" in titles[-2:]  # most like the sitcom Alice rated 2


def test_reason_names_the_rating_and_counts_members_watching_but_not_private_ones(
    sample: Sample, recommender: Recommender
) -> None:
    ministry, office = sample.id_of(MINISTRY), sample.id_of(OFFICE)
    watching = {user: {office: EpisodeRef(1, 2)} for user in (BOB, CAROL, DAVE, ERIN)}
    activity = Activity(ratings={ALICE: {ministry: 9}}, progress=watching, private={ERIN})
    audience = _audience(sample, activity)
    top = recommender.rank(ALICE, audience)[0]
    assert top.show_id == office
    reason = reason_for(top, recommender.titles(), activity.ratings[ALICE])
    assert reason == "you rated The Quiet Ministry 9 · 3 members here are watching it"


def test_finished_shows_count_as_liked(sample: Sample, recommender: Recommender) -> None:
    motel = sample.id_of("Low Tide Motel")
    activity = Activity(progress={ALICE: {motel: sample.shows[motel].layout.last}})
    top = recommender.rank(ALICE, _audience(sample, activity))[0]
    assert sample.shows[top.show_id].title == "Permit Pending"
    assert reason_for(top, recommender.titles(), {}) == "you finished Low Tide Motel"


def test_members_with_similar_taste_pull_their_favourites_up(
    sample: Sample, recommender: Recommender
) -> None:
    ministry, tilly = sample.id_of(MINISTRY), sample.id_of("Tilly Ferncastle's Flying Shop")
    alike = {ministry: 9, tilly: 10}
    activity = Activity(ratings={ALICE: {ministry: 9}, BOB: alike, CAROL: alike})
    audience = _audience(sample, activity)
    alone = _ranked(sample, recommender, ALICE, Activity(ratings={ALICE: {ministry: 9}}))
    together = recommender.rank(ALICE, audience)
    titles = [sample.shows[item.show_id].title for item in together]
    assert titles.index("Tilly Ferncastle's Flying Shop") < alone.index(
        "Tilly Ferncastle's Flying Shop"
    )
    picked = next(item for item in together if item.show_id == tilly)
    assert "2 members here with your taste liked it" in reason_for(
        picked, recommender.titles(), {ministry: 9}
    )


def test_cold_start_ranks_by_critics_then_server_popularity(
    sample: Sample, recommender: Recommender
) -> None:
    empty = recommender.rank(NEWBIE, _audience(sample, Activity()))
    assert sample.shows[empty[0].show_id].title == "Coldwake"  # best-reviewed: 8.25 over 8
    reason = reason_for(empty[0], recommender.titles(), {})
    assert reason.startswith("critics rate it 8") and reason.endswith("(no personal reason yet)")
    permits = sample.id_of("Permit Pending")
    fans = Activity(
        progress={user: {permits: EpisodeRef(1, 2)} for user in (ALICE, BOB, CAROL, DAVE)}
    )
    popular = recommender.rank(NEWBIE, _audience(sample, fans))
    position = [item.show_id for item in popular].index(permits)
    assert position < [item.show_id for item in empty].index(permits)
    reason = reason_for(popular[position], recommender.titles(), {})
    assert reason.endswith("4 members here are watching it")


def test_preferences_and_taste_similarity() -> None:
    assert rating_preference(10) == 1.0 and rating_preference(1) == -1.0
    assert rating_preference(7) > 0 > rating_preference(5)
    activity = Activity(ratings={ALICE: {1: 9}}, progress={ALICE: {1: EpisodeRef(1, 1)}})
    assert member_preferences(ALICE, activity, {}) == {1: rating_preference(9)}
    assert taste_similarity({1: 1.0, 2: 1.0}, {1: 1.0, 2: 1.0}) > taste_similarity(
        {1: 1.0}, {1: 1.0}
    )
    assert taste_similarity({1: 1.0}, {1: -1.0}) < 0
    assert taste_similarity({1: 1.0}, {2: 1.0}) == 0.0


def test_reason_fallbacks() -> None:
    titles = {1: "Ballard"}
    assert reason_for(Scored(2, 0.5), titles, {}) == "something new for you"
    critics = reason_for(Scored(2, 0.5, critics=7.5), titles, {})
    assert critics == "critics rate it 7.5/10 (no personal reason yet)"
    grouped = reason_for(
        Scored(2, 0.5, anchors=((1, 0.8),), watching=1), titles, {1: 8}, group=True
    )
    assert grouped == "one of you rated Ballard 8 · 1 member here is watching it"
