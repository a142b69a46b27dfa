"""Episode parsing, resolution against a show, ordering and the progress bar."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.catalog.episodes import (
    NOTHING,
    EpisodeRef,
    ShowLayout,
    parse_code,
    parse_episode,
    progress_bar,
    progress_phrase,
    resolve_episode,
)
from bot.errors import EpisodeError

BALLARD = ShowLayout("Ballard", {1: 10})
LANTERN = ShowLayout("The Lantern Keeper", {1: 8, 2: 6})


@pytest.mark.parametrize(
    "text",
    ["S01E05", "s1e5", "1x05", "S1 E5", "season 1 episode 5", "Season 1, Ep. 5", "ep 5", "5", "e5"],
)
def test_every_documented_form_reads_as_s01e05(text: str) -> None:
    assert resolve_episode(text, BALLARD) == EpisodeRef(1, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pilot", EpisodeRef(1, 1)),
        ("finale", EpisodeRef(2, 6)),
        ("s1 finale", EpisodeRef(1, 8)),
        ("season 2 finale", EpisodeRef(2, 6)),
        ("latest", EpisodeRef(2, 6)),
        ("  S02E03 ", EpisodeRef(2, 3)),
    ],
)
def test_keywords_resolve_against_the_show(text: str, expected: EpisodeRef) -> None:
    assert resolve_episode(text, LANTERN) == expected


def test_canonical_code_is_zero_padded() -> None:
    assert EpisodeRef(1, 5).code == "S01E05"
    assert str(EpisodeRef(12, 101)) == "S12E101"


def test_out_of_range_episode_says_what_exists() -> None:
    with pytest.raises(EpisodeError, match="Ballard has 10 episodes in season 1"):
        resolve_episode("S01E11", BALLARD)


def test_missing_season_says_what_exists() -> None:
    with pytest.raises(EpisodeError, match=r"no season 3.*2 seasons \(S1: 8, S2: 6\)"):
        resolve_episode("S03E01", LANTERN)


def test_bare_episode_number_needs_a_season_when_there_are_several() -> None:
    with pytest.raises(EpisodeError, match="several seasons"):
        resolve_episode("ep 5", LANTERN)


@pytest.mark.parametrize("text", ["", "   ", "banana", "S01", "E", "s1e", "x" * 200, "1x", "-1"])
def test_malformed_input_gets_a_friendly_error(text: str) -> None:
    with pytest.raises(EpisodeError):
        resolve_episode(text, BALLARD)


def test_zero_is_not_an_episode_but_s00e00_means_nothing() -> None:
    with pytest.raises(EpisodeError, match="start at 1"):
        parse_episode("S01E00")
    assert parse_code("S00E00") == NOTHING
    assert resolve_episode("nothing", BALLARD, allow_nothing=True) == NOTHING
    with pytest.raises(EpisodeError):
        resolve_episode("nothing", BALLARD)


def test_episodes_order_across_seasons() -> None:
    ordered = list(LANTERN.episodes())
    assert ordered == sorted(ordered)
    assert ordered[7] < ordered[8] == EpisodeRef(2, 1)
    assert LANTERN.ordinal(EpisodeRef(2, 3)) == 11
    assert LANTERN.ordinal(NOTHING) == 0
    assert LANTERN.total == 14


def test_next_after_crosses_seasons_and_stops_at_the_end() -> None:
    assert LANTERN.next_after(NOTHING) == EpisodeRef(1, 1)
    assert LANTERN.next_after(EpisodeRef(1, 8)) == EpisodeRef(2, 1)
    assert LANTERN.next_after(EpisodeRef(2, 6)) is None


def test_progress_bar_fills_in_proportion() -> None:
    assert progress_bar(6, 10, width=10) == "▰" * 6 + "▱" * 4
    assert progress_bar(0, 10, width=4) == "▱▱▱▱"
    assert progress_bar(14, 14, width=3) == "▰▰▰"


@given(st.text(max_size=80))
def test_any_string_parses_or_fails_clearly(text: str) -> None:
    try:
        query = parse_episode(text)
    except EpisodeError as error:
        assert str(error)
        return
    try:
        ref = LANTERN.resolve(query)
    except EpisodeError as error:
        assert str(error)
        return
    assert LANTERN.contains(ref)


@given(st.integers(1, 3), st.integers(1, 12))
def test_printed_codes_parse_back(season: int, episode: int) -> None:
    ref = EpisodeRef(season, episode)
    assert parse_code(ref.code) == ref


def test_progress_phrase_names_the_episode_or_says_nothing_is_recorded() -> None:
    assert progress_phrase(EpisodeRef(1, 5), "Ballard") == "you are at S01E05"
    assert progress_phrase(None, "Ballard") == "you haven't recorded any progress in Ballard"
    assert progress_phrase(EpisodeRef(0, 0), "Ballard") == (
        "you haven't recorded any progress in Ballard"
    )
