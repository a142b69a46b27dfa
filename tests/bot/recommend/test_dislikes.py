"""Dislikes are signal: low ratings, drops and similar members' low ratings push shows down."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.catalog.episodes import EpisodeRef
from bot.recommend.ranking import Recommender
from bot.recommend.reasons import reason_for
from bot.recommend.social import group_rank
from bot.recommend.taste import (
    DROPPED_PREFERENCE,
    Audience,
    member_preferences,
    taste_similarity,
)
from bot.recommend.types import Activity
from tests.bot.recommend.conftest import Sample

ALICE, BOB, CAROL, DAVE = 1, 2, 3, 4
SERVER = [ALICE, BOB, CAROL, DAVE]


def _order(sample: Sample, recommender: Recommender, activity: Activity, user: int = ALICE):
    audience = Audience.of(activity, SERVER, sample.layouts)
    return [sample.shows[item.show_id].title for item in recommender.rank(user, audience)]


def _alike(sample: Sample) -> dict[int, int]:
    return {sample.id_of("Ballard"): 9, sample.id_of("The Lantern Keeper"): 8}


def test_a_similar_members_low_rating_pushes_the_show_down(
    sample: Sample, recommender: Recommender
) -> None:
    coldwake = sample.id_of("Coldwake")
    alice = _alike(sample)
    without = _order(sample, recommender, Activity(ratings={ALICE: alice, BOB: dict(alice)}))
    assert without[0] == "Coldwake"
    panned = Activity(ratings={ALICE: alice, BOB: {**alice, coldwake: 2}})
    after = _order(sample, recommender, panned)
    assert after.index("Coldwake") > without.index("Coldwake")
    audience = Audience.of(panned, SERVER, sample.layouts)
    scored = next(i for i in recommender.rank(ALICE, audience) if i.show_id == coldwake)
    assert scored.warned == 1
    assert reason_for(scored, recommender.titles(), alice).endswith(
        "but 1 member with your taste disliked it"
    )


def test_a_similar_members_high_rating_pulls_it_up_symmetrically(
    sample: Sample, recommender: Recommender
) -> None:
    tilly = sample.id_of("Tilly Ferncastle's Flying Shop")
    alice = _alike(sample)
    scores = {}
    for score in (1, 5, 10):
        activity = Activity(ratings={ALICE: alice, BOB: {**alice, tilly: score}})
        audience = Audience.of(activity, SERVER, sample.layouts)
        (item,) = recommender.rank(ALICE, audience, [tilly])
        scores[score] = item.score
    assert scores[1] < scores[5] < scores[10]


def test_dropping_a_show_pushes_shows_like_it_down(
    sample: Sample, recommender: Recommender
) -> None:
    motel, ministry = sample.id_of("Low Tide Motel"), sample.id_of("The Quiet Ministry")
    liked = Activity(ratings={ALICE: {ministry: 9}})
    dropped = Activity(ratings={ALICE: {ministry: 9}}, dropped={ALICE: frozenset({motel})})
    before, after = _scores(sample, recommender, liked), _scores(sample, recommender, dropped)
    assert "Low Tide Motel" not in after  # started, then dropped: not suggested again
    assert after["Permit Pending"] < before["Permit Pending"] / 2  # the other cozy sitcom sinks
    assert after["The Cartographer's Office"] == before["The Cartographer's Office"]
    assert member_preferences(ALICE, dropped, sample.layouts)[motel] == DROPPED_PREFERENCE


def _scores(sample: Sample, recommender: Recommender, activity: Activity) -> dict[str, float]:
    audience = Audience.of(activity, SERVER, sample.layouts)
    return {sample.shows[i.show_id].title: i.score for i in recommender.rank(ALICE, audience)}


def test_a_drop_counts_only_without_a_rating_or_progress(sample: Sample) -> None:
    motel = sample.id_of("Low Tide Motel")
    activity = Activity(
        ratings={ALICE: {motel: 8}},
        progress={BOB: {motel: EpisodeRef(1, 2)}},
        dropped={ALICE: frozenset({motel}), BOB: frozenset({motel}), CAROL: frozenset({motel})},
    )
    assert member_preferences(ALICE, activity, sample.layouts)[motel] > 0
    assert member_preferences(BOB, activity, sample.layouts)[motel] > 0  # started again
    assert member_preferences(CAROL, activity, sample.layouts)[motel] == DROPPED_PREFERENCE


def test_hidden_and_listed_shows_leave_the_members_suggestions(
    sample: Sample, recommender: Recommender
) -> None:
    coldwake, tilly = sample.id_of("Coldwake"), sample.id_of("Tilly Ferncastle's Flying Shop")
    activity = Activity(hidden={ALICE: frozenset({coldwake})}, listed={ALICE: frozenset({tilly})})
    titles = _order(sample, recommender, activity)
    assert "Coldwake" not in titles and "Tilly Ferncastle's Flying Shop" not in titles
    assert "Coldwake" in _order(sample, recommender, activity, user=BOB)


def test_taste_similarity_can_leave_the_predicted_show_out() -> None:
    mine, theirs = {1: 1.0, 2: 1.0}, {1: 1.0, 2: 1.0, 3: -1.0}
    assert taste_similarity(mine, theirs, excluding=3) > taste_similarity(mine, theirs)
    assert taste_similarity({1: 1.0, 3: 1.0}, {1: 1.0, 3: -1.0}, excluding=3) > 0
    assert taste_similarity({3: 1.0}, {3: 1.0}, excluding=3) == 0.0


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(own=st.integers(1, 10))
def test_a_prediction_never_sees_the_members_own_verdict_on_that_show(
    sample: Sample, recommender: Recommender, own: int
) -> None:
    coldwake, ballard = sample.id_of("Coldwake"), sample.id_of("Ballard")
    others = {BOB: {ballard: 9, coldwake: 3}, CAROL: {ballard: 2, coldwake: 9}}
    baseline = Activity(ratings={ALICE: {ballard: 9}, **others})
    rated = Activity(ratings={ALICE: {ballard: 9, coldwake: own}, **others})
    predicted = []
    for activity in (baseline, rated):
        audience = Audience.of(activity, SERVER, sample.layouts)
        (item,) = recommender.assess(ALICE, audience, [coldwake])
        predicted.append((item.predicted, item.score, item.warned))
    assert predicted[1] == pytest.approx(predicted[0], abs=1e-9)
    assert predicted[0][0] is not None and predicted[0][0] < 0  # Bob, alike, rated it 3


scores = st.dictionaries(st.integers(1, 6), st.integers(1, 10), max_size=5)


@settings(max_examples=60, deadline=None)
@given(
    table=st.dictionaries(st.integers(1, 6), scores, min_size=2, max_size=6), show=st.integers(1, 6)
)
def test_the_audiences_neighbours_leaving_a_show_out_are_the_plain_formula(
    table: dict[int, dict[int, int]], show: int
) -> None:
    activity = Activity(ratings=table)
    audience = Audience.of(activity, table, {})
    for user in table:
        audience.neighbours(user)  # warm the cache the shortcut starts from
        expected = {
            other: value
            for other in table
            if other != user
            and (
                value := taste_similarity(
                    audience.of_member(user), audience.of_member(other), excluding=show
                )
            )
            > 0
        }
        got = audience.neighbours(user, excluding=show)
        assert set(got) == set(expected)
        assert all(abs(got[o] - expected[o]) < 1e-9 for o in got)


def test_a_group_pick_says_one_of_you_rated_it(sample: Sample, recommender: Recommender) -> None:
    coldwake = sample.id_of("Coldwake")
    audience = Audience.of(Activity(ratings={ALICE: {coldwake: 9}}), SERVER, sample.layouts)
    (pick,) = [p for p in group_rank(recommender, audience, [ALICE, BOB]) if p.show_id == coldwake]
    assert pick.explained().startswith("1 of 2 here has started it · one of you rated it 9")
