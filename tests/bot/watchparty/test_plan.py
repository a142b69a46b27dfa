"""The firing plan (which episode, what next, end of show) and late-firing decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.catalog.episodes import EpisodeRef, ShowLayout
from bot.watchparty.cadence import parse_cadence
from bot.watchparty.discussion import thread_name
from bot.watchparty.plan import (
    Timing,
    format_local,
    late_note,
    missed_firings,
    plan_firing,
    skip_target,
    timing,
)

LAYOUT = ShowLayout("Lantern", {1: 3, 2: 2})
ALL = set(LAYOUT.episodes())
E = EpisodeRef


def test_plan_posts_the_next_episode_and_names_the_following_one() -> None:
    plan = plan_firing(LAYOUT, ALL, E(1, 3))
    assert (plan.episode, plan.following, plan.is_final) == (E(1, 3), E(2, 1), False)


def test_plan_skips_episodes_without_recaps_and_ends_at_the_last_recap() -> None:
    with_recaps = {E(1, 1), E(2, 2)}
    assert plan_firing(LAYOUT, with_recaps, E(1, 2)) == plan_firing(LAYOUT, with_recaps, E(2, 2))
    final = plan_firing(LAYOUT, with_recaps, E(1, 2))
    assert (final.episode, final.following, final.is_final) == (E(2, 2), None, True)
    over = plan_firing(LAYOUT, with_recaps, E(3, 1))
    assert (over.episode, over.following) == (None, None)


def test_skip_passes_one_episode_and_reports_the_next() -> None:
    assert skip_target(LAYOUT, ALL, E(1, 1)) == (E(1, 1), E(1, 2))
    assert skip_target(LAYOUT, ALL, E(2, 2)) == (E(2, 2), None)


def test_timing_on_time_late_and_too_late() -> None:
    due = datetime(2026, 1, 9, 19, 0, tzinfo=UTC)
    grace = timedelta(hours=6)
    assert timing(due, due + timedelta(seconds=30), grace) is Timing.ON_TIME
    assert timing(due, due + timedelta(hours=3), grace) is Timing.LATE
    assert timing(due, due + timedelta(hours=6), grace) is Timing.LATE
    assert timing(due, due + timedelta(hours=6, seconds=1), grace) is Timing.TOO_LATE


def test_missed_firings_keep_the_latest_and_list_older_ones() -> None:
    zone = ZoneInfo("Europe/Berlin")
    cadence = parse_cadence("daily 20:00", zone, datetime(2026, 1, 1, tzinfo=UTC))
    first = datetime(2026, 1, 5, 20, 0, tzinfo=zone)
    missed = missed_firings(cadence, first, datetime(2026, 1, 7, 21, 0, tzinfo=zone))
    assert missed.latest == datetime(2026, 1, 7, 20, 0, tzinfo=zone)
    assert missed.skipped == (first, datetime(2026, 1, 6, 20, 0, tzinfo=zone))
    assert missed.next_after_now == datetime(2026, 1, 8, 20, 0, tzinfo=zone)


def test_notes_and_names_use_local_time_and_codes_only() -> None:
    due = datetime(2026, 1, 9, 19, 0, tzinfo=UTC)
    assert (
        late_note(due, ZoneInfo("Europe/Berlin")) == "posted late: was due Fri 9 Jan 2026 20:00 CET"
    )
    assert format_local(due) == "Fri 9 Jan 2026 19:00 UTC"
    assert thread_name("Ballard", E(1, 5)) == "Ballard S01E05 · discussion"
    assert len(thread_name("x" * 300, E(1, 5))) == 100
