"""Cadence parsing → APScheduler triggers, next-fire computation and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.watchparty.cadence import Cadence, parse_cadence, parse_timezone
from bot.watchparty.errors import ScheduleError

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
ANCHOR = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)  # a Thursday


def firings(cadence: Cadence, start: datetime, count: int) -> list[datetime]:
    out = [cadence.first_at_or_after(start)]
    while len(out) < count:
        out.append(cadence.next_after(out[-1]))
    return [moment.astimezone(cadence.zone) for moment in out]  # type: ignore[union-attr]


def local(moments: list[datetime]) -> list[str]:
    return [f"{m:%a %d %b %H:%M}" for m in moments]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fridays 20:00", ["Fri 02 Oct 20:00", "Fri 09 Oct 20:00", "Fri 16 Oct 20:00"]),
        ("Every Friday at 8pm", ["Fri 02 Oct 20:00", "Fri 09 Oct 20:00", "Fri 16 Oct 20:00"]),
        ("daily 18:30", ["Thu 01 Oct 18:30", "Fri 02 Oct 18:30", "Sat 03 Oct 18:30"]),
        ("every day at noon", ["Thu 01 Oct 12:00", "Fri 02 Oct 12:00", "Sat 03 Oct 12:00"]),
        ("every 2 days 21:00", ["Thu 01 Oct 21:00", "Sat 03 Oct 21:00", "Mon 05 Oct 21:00"]),
        ("mon,thu 19:30", ["Thu 01 Oct 19:30", "Mon 05 Oct 19:30", "Thu 08 Oct 19:30"]),
        ("sat and sun 10:00", ["Sat 03 Oct 10:00", "Sun 04 Oct 10:00", "Sat 10 Oct 10:00"]),
        ("weekdays 7:15am", ["Thu 01 Oct 07:15", "Fri 02 Oct 07:15", "Mon 05 Oct 07:15"]),
        ("every 12 hours", ["Thu 01 Oct 00:00", "Thu 01 Oct 12:00", "Fri 02 Oct 00:00"]),
        ("0 20 * * 5", ["Fri 02 Oct 20:00", "Fri 09 Oct 20:00", "Fri 16 Oct 20:00"]),
        ("30 18 * * 0", ["Sun 04 Oct 18:30", "Sun 11 Oct 18:30", "Sun 18 Oct 18:30"]),
        ("0 21 * * 1-5", ["Thu 01 Oct 21:00", "Fri 02 Oct 21:00", "Mon 05 Oct 21:00"]),
    ],
)
def test_cadences_fire_when_people_expect(text: str, expected: list[str]) -> None:
    cadence = parse_cadence(text, BERLIN, ANCHOR)
    start = datetime(2026, 10, 1, 0, 0, tzinfo=BERLIN)
    assert local(firings(cadence, start, 3)) == expected


@pytest.mark.parametrize("text", ["fridays 20:00", "0 20 * * 5", "every 7 days 20:00"])
def test_weekly_berlin_stays_at_20_local_across_the_october_change(text: str) -> None:
    anchor = datetime(2026, 10, 16, 12, 0, tzinfo=UTC)  # a Friday
    cadence = parse_cadence(text, BERLIN, anchor)
    fires = firings(cadence, datetime(2026, 10, 16, 0, 0, tzinfo=BERLIN), 3)
    assert local(fires) == ["Fri 16 Oct 20:00", "Fri 23 Oct 20:00", "Fri 30 Oct 20:00"]
    utc = [f.astimezone(UTC).hour for f in fires]
    assert utc == [18, 18, 19]  # CEST (UTC+2) before 25 October, CET (UTC+1) after
    assert fires[2].astimezone(UTC) - fires[1].astimezone(UTC) == timedelta(days=7, hours=1)


def test_every_two_days_keeps_wall_clock_time_across_both_changes() -> None:
    for zone, start in ((BERLIN, datetime(2026, 3, 25)), (NEW_YORK, datetime(2026, 10, 28))):
        cadence = parse_cadence("every 2 days 21:00", zone, start.replace(tzinfo=zone))
        fires = firings(cadence, start.replace(tzinfo=zone), 8)
        assert {f.strftime("%H:%M") for f in fires} == {"21:00"}
        assert len({f.utcoffset() for f in fires}) == 2  # the change happened in between


def test_daily_in_new_york_across_the_november_change() -> None:
    cadence = parse_cadence("daily 18:30", NEW_YORK, datetime(2026, 10, 30, tzinfo=UTC))
    fires = firings(cadence, datetime(2026, 10, 31, tzinfo=NEW_YORK), 3)
    assert local(fires) == ["Sat 31 Oct 18:30", "Sun 01 Nov 18:30", "Mon 02 Nov 18:30"]
    utc = [f.astimezone(UTC) for f in fires]
    assert utc[2] - utc[1] == timedelta(days=1)
    assert utc[1] - utc[0] == timedelta(days=1, hours=1)  # the night was an hour longer


def test_next_after_is_strict_and_first_at_or_after_is_not() -> None:
    cadence = parse_cadence("fridays 20:00", BERLIN, ANCHOR)
    due = datetime(2026, 10, 2, 20, 0, tzinfo=BERLIN)
    assert cadence.first_at_or_after(due) == due
    assert cadence.next_after(due) == datetime(2026, 10, 9, 20, 0, tzinfo=BERLIN)
    assert cadence.next_after(due.astimezone(UTC)) == datetime(2026, 10, 9, 20, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fridayz 20:00", "I can't read “fridayz 20:00” as a schedule. Try `fridays 20:00`"),
        ("tomorrow", "`daily 18:30`, `every 2 days 21:00`"),
        ("", "I can't read"),
        ("fridays", "I can't read"),
        ("25:00 daily", "“25:00” is not a time of day"),
        ("every 0 days 10:00", "between 1 and 365 days"),
        ("* * * * *", "more often than once an hour"),
        ("0 0 30 2 *", "never fires"),
        ("61 20 * * 5", "as a schedule"),
        ("x" * 300, "I can't read"),
    ],
)
def test_bad_cadences_get_friendly_errors_with_examples(text: str, message: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_cadence(text, BERLIN, ANCHOR)
    assert message in str(caught.value)
    assert len(str(caught.value)) < 400


def test_time_zones_by_name_case_insensitive_with_suggestions() -> None:
    assert parse_timezone("europe/berlin").key == "Europe/Berlin"
    assert parse_timezone(" UTC ").key == "UTC"
    with pytest.raises(ScheduleError, match="Did you mean `Europe/Berlin`"):
        parse_timezone("Europe/Berln")
    for bad in ("Mars/Base", "", "../../etc/passwd", "Europe"):
        with pytest.raises(ScheduleError, match="IANA name"):
            parse_timezone(bad)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_a_trigger_or_a_friendly_error(text: str) -> None:
    try:
        cadence = parse_cadence(text, BERLIN, ANCHOR)
    except ScheduleError as error:
        assert str(error) and len(str(error)) < 400
    else:
        first = cadence.first_at_or_after(ANCHOR)
        assert first is not None and first >= ANCHOR


CRON_PART = st.one_of(
    st.just("*"),
    st.integers(0, 70).map(str),
    st.tuples(st.integers(0, 70), st.integers(0, 70)).map(lambda t: f"{t[0]}-{t[1]}"),
    st.integers(0, 70).map(lambda n: f"*/{n}"),
    st.sampled_from(["mon", "fri", "jan", "?", ",", "5,6", "l", "last"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(CRON_PART, min_size=5, max_size=5).map(" ".join))
def test_any_cron_like_text_is_a_trigger_or_a_friendly_error(text: str) -> None:
    try:
        cadence = parse_cadence(text, BERLIN, ANCHOR)
    except ScheduleError as error:
        assert str(error)
    else:
        first = cadence.first_at_or_after(ANCHOR)
        second = cadence.next_after(first)  # type: ignore[arg-type]
        assert second is None or second - first >= timedelta(hours=1)  # type: ignore[operator]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_zone_text_is_a_zone_or_a_friendly_error(text: str) -> None:
    try:
        zone = parse_timezone(text)
    except ScheduleError as error:
        assert "IANA" in str(error)
    else:
        assert zone.key.casefold() == text.strip().casefold()


WORDS = st.sampled_from(
    ["every", "each", "at", "on", "and", ",", "daily", "day", "days", "hours", "weekly",
     "fridays", "friday", "mon", "tue", "weekdays", "weekend", "noon", "midnight", "8pm",
     "12am", "13pm", "20:00", "7:15am", "23:59", "24:00", "2", "0", "400", "*", "*/3", "5"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=6).map(" ".join))
def test_any_word_soup_is_a_trigger_or_a_friendly_error(text: str) -> None:
    try:
        cadence = parse_cadence(text, NEW_YORK, ANCHOR)
    except ScheduleError as error:
        assert str(error)
    else:
        first = cadence.first_at_or_after(ANCHOR)
        assert first is not None
        second = cadence.next_after(first)
        assert second is None or second - first >= timedelta(hours=1)
