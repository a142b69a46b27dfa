"""The follow-watchers rule: nobody can raise a channel's line past the other watchers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.lines import watchers_line

positions = st.builds(EpisodeRef, st.integers(0, 3), st.integers(0, 12))


def test_no_watchers_leaves_the_channels_line() -> None:
    assert watchers_line(EpisodeRef(1, 4), []) is None


def test_a_lone_watcher_lowers_but_never_raises() -> None:
    assert watchers_line(EpisodeRef(1, 4), [EpisodeRef(1, 10)]) == EpisodeRef(1, 4)
    assert watchers_line(EpisodeRef(1, 4), [EpisodeRef(1, 2)]) == EpisodeRef(1, 2)
    assert watchers_line(NOTHING, [EpisodeRef(1, 10)]) == NOTHING


def test_several_watchers_follow_the_slowest() -> None:
    line = watchers_line(NOTHING, [EpisodeRef(1, 10), EpisodeRef(1, 6), EpisodeRef(2, 1)])
    assert line == EpisodeRef(1, 6)


@given(configured=positions, watchers=st.lists(positions, min_size=1, max_size=6))
def test_no_watcher_moves_the_line_past_the_others(
    configured: EpisodeRef, watchers: list[EpisodeRef]
) -> None:
    line = watchers_line(configured, watchers)
    assert line is not None and line <= min(watchers)
    for index in range(len(watchers)):
        others = watchers[:index] + watchers[index + 1 :]
        assert line <= (min(others) if others else configured)
