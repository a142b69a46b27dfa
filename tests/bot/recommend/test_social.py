"""What's next for a member, and what a group can watch together."""

from __future__ import annotations

import dataclasses

from bot.catalog.episodes import EpisodeRef
from bot.catalog.specs import parse_show_toml
from bot.recommend.ranking import Recommender
from bot.recommend.social import group_rank, shared_shows, watch_next
from bot.recommend.taste import Audience
from bot.recommend.types import Activity
from tests.bot.recommend.conftest import Sample
from tests.conftest import SAMPLE_CORPUS

ALICE, BOB, CAROL, DAVE, ERIN = 1, 2, 3, 4, 5
SERVER = [ALICE, BOB, CAROL, DAVE, ERIN]


def _activity(sample: Sample) -> Activity:
    ballard, lantern = sample.id_of("Ballard"), sample.id_of("The Lantern Keeper")
    coldwake = sample.id_of("Coldwake")
    return Activity(
        ratings={BOB: {sample.id_of("The Quiet Ministry"): 9}},
        progress={
            ALICE: {
                ballard: EpisodeRef(1, 3),
                lantern: EpisodeRef(1, 8),
                coldwake: sample.shows[coldwake].layout.last,
            },
            BOB: {ballard: EpisodeRef(1, 5), lantern: EpisodeRef(2, 1)},
            CAROL: {ballard: EpisodeRef(1, 3)},
            DAVE: {ballard: EpisodeRef(1, 1)},
            ERIN: {ballard: EpisodeRef(1, 9)},
        },
        private=frozenset({ERIN}),
    )


def _titles_after(slug: str, position: EpisodeRef) -> list[str]:
    spec = parse_show_toml((SAMPLE_CORPUS / slug / "show.toml").read_bytes(), slug)
    return [
        title
        for season in spec.seasons
        for number, title in enumerate(season.episode_titles, start=1)
        if title and EpisodeRef(season.number, number) > position
    ]


def test_watch_next_counts_people_level_or_ahead_and_open_threads(sample: Sample) -> None:
    ballard = sample.id_of("Ballard")
    audience = Audience.of(_activity(sample), SERVER, sample.layouts)
    threads = {ballard: [EpisodeRef(1, 4), EpisodeRef(1, 2), EpisodeRef(1, 3)]}
    upcoming = watch_next(ALICE, audience, sample.shows, threads)
    assert [(item.show.title, item.next_episode.code) for item in upcoming] == [
        ("Ballard", "S01E04"),  # Bob ahead, Carol level (Dave behind, Erin private)
        ("The Lantern Keeper", "S02E01"),  # Bob ahead; Coldwake is finished, so absent
    ]
    assert [item.level_or_ahead for item in upcoming] == [2, 1]
    assert upcoming[0].open_threads == (EpisodeRef(1, 2), EpisodeRef(1, 3))
    line = upcoming[0].line()
    assert line == (
        "**Ballard** next S01E04 · 2 members here are level or ahead · threads S01E02, S01E03"
    )
    alone = dataclasses.replace(upcoming[1], level_or_ahead=0)
    assert alone.line() == "**The Lantern Keeper** next S02E01 · nobody here has got this far yet"


def test_watch_next_never_names_an_episode_past_progress(sample: Sample) -> None:
    audience = Audience.of(_activity(sample), SERVER, sample.layouts)
    text = "\n".join(item.line() for item in watch_next(ALICE, audience, sample.shows)).casefold()
    for slug, position in (("ballard", EpisodeRef(1, 3)), ("the-lantern-keeper", EpisodeRef(1, 8))):
        for title in _titles_after(slug, position):
            assert title.casefold() not in text


def test_watch_next_for_nobody_and_for_unknown_shows(sample: Sample) -> None:
    activity = Activity(progress={ALICE: {999: EpisodeRef(1, 1)}})
    audience = Audience.of(activity, [ALICE], sample.layouts)
    assert watch_next(ALICE, audience, sample.shows) == []
    assert watch_next(BOB, audience, sample.shows) == []


def test_party_shared_shows_use_the_episode_everyone_has_reached(sample: Sample) -> None:
    audience = Audience.of(_activity(sample), SERVER, sample.layouts)
    shared = shared_shows([ALICE, BOB, CAROL], audience, sample.shows)
    assert [(item.show.title, item.common, item.next_episode) for item in shared] == [
        ("Ballard", EpisodeRef(1, 3), EpisodeRef(1, 4))
    ]
    assert shared[0].line() == "**Ballard** everyone has reached S01E03 · next together S01E04"
    assert shared_shows([], audience, sample.shows) == []


def test_party_picks_shows_not_everyone_started_with_how_many_started(
    sample: Sample, recommender: Recommender
) -> None:
    activity = _activity(sample)
    audience = Audience.of(activity, SERVER, sample.layouts)
    group = [ALICE, BOB, CAROL]
    picks = group_rank(recommender, audience, group)
    everyone = set.intersection(*(activity.started(member) for member in group))
    assert {pick.show_id for pick in picks} == set(sample.shows) - everyone
    assert picks == sorted(picks, key=lambda pick: -pick.score)
    by_title = {sample.shows[pick.show_id].title: pick for pick in picks}
    assert by_title["The Lantern Keeper"].started == 2  # Alice and Bob, not Carol
    assert by_title["The Lantern Keeper"].started_phrase() == (
        "2 of 3 here have started it · both have reached S01E08"
    )
    assert by_title["Permit Pending"].started_phrase() == "nobody here has started it"
    office = by_title["The Cartographer's Office"]
    assert office.reason.startswith("one of you rated The Quiet Ministry 9")


def test_group_picks_leave_out_what_anyone_rated_low_dropped_or_hid(
    sample: Sample, recommender: Recommender
) -> None:
    coldwake, motel = sample.id_of("Coldwake"), sample.id_of("Low Tide Motel")
    tilly = sample.id_of("Tilly Ferncastle's Flying Shop")
    activity = Activity(
        ratings={ALICE: {coldwake: 9}, BOB: {coldwake: 3}},
        dropped={CAROL: frozenset({motel})},
        hidden={ALICE: frozenset({tilly})},
    )
    audience = Audience.of(activity, SERVER, sample.layouts)
    picked = {pick.show_id for pick in group_rank(recommender, audience, [ALICE, BOB, CAROL])}
    assert picked.isdisjoint({coldwake, motel, tilly})
    assert coldwake in {p.show_id for p in group_rank(recommender, audience, [ALICE, CAROL])}


def test_group_picks_leave_out_what_someones_taste_predicts_they_would_dislike(
    sample: Sample, recommender: Recommender
) -> None:
    ballard, coldwake = sample.id_of("Ballard"), sample.id_of("Coldwake")
    twins = {user: {ballard: 9, coldwake: 2} for user in (CAROL, DAVE, ERIN)}
    activity = Activity(ratings={ALICE: {ballard: 9}, **twins})
    audience = Audience.of(activity, SERVER, sample.layouts)
    (predicted,) = recommender.assess(ALICE, audience, [coldwake])
    assert predicted.predicted is not None and predicted.predicted <= -0.3
    picked = {pick.show_id for pick in group_rank(recommender, audience, [ALICE, BOB])}
    assert coldwake not in picked
    assert coldwake in {p.show_id for p in group_rank(recommender, audience, [BOB])}
