"""Cadences: what admins type ("fridays 20:00") → an APScheduler trigger in an IANA zone."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.calendarinterval import CalendarIntervalTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.watchparty.errors import ScheduleError

MAX_CADENCE_LENGTH = 100
MIN_SPACING = timedelta(hours=1)
MAX_STEPS = 5000
EXAMPLES = (
    "`fridays 20:00`, `daily 18:30`, `every 2 days 21:00`, `mon,thu 19:30`, `every 12 hours` "
    "or a cron expression such as `0 20 * * 5`"
)
_DAYS = {
    "mon": "mon", "monday": "mon", "tue": "tue", "tues": "tue", "tuesday": "tue",
    "wed": "wed", "wednesday": "wed", "thu": "thu", "thur": "thu", "thurs": "thu",
    "thursday": "thu", "fri": "fri", "friday": "fri", "sat": "sat", "saturday": "sat",
    "sun": "sun", "sunday": "sun",
}  # fmt: skip
_GROUPS = {"weekday": "mon-fri", "weekend": "sat,sun"}
_CRON_DOW = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(
    r"(?:\bat\s+)?\b(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?\s*(?P<ampm>am|pm)?(?=\s|$|,)"
)
_NAMED_TIMES = {"noon": (12, 0), "midnight": (0, 0)}
_CRON_FIELD = re.compile(r"[\d*/,\-a-z?]+")


@dataclass(frozen=True, slots=True)
class Cadence:
    """A parsed cadence: the text as stored, its zone, and the APScheduler trigger."""

    text: str
    zone: ZoneInfo
    trigger: BaseTrigger

    def next_after(self, moment: datetime) -> datetime | None:
        """The first firing strictly after `moment` (None if it never fires again)."""
        return _first_fire(self.trigger, moment, self.zone, strictly_after=True)

    def first_at_or_after(self, moment: datetime) -> datetime | None:
        """The first firing at or after `moment`."""
        return _first_fire(self.trigger, moment, self.zone, strictly_after=False)

    def describe(self) -> str:
        """`fridays 20:00 (Europe/Berlin)`."""
        return f"{self.text} ({self.zone.key})"


def _first_fire(
    trigger: BaseTrigger, moment: datetime, zone: tzinfo, *, strictly_after: bool
) -> datetime | None:
    local = moment.astimezone(zone)
    fire: datetime | None = trigger.get_next_fire_time(None, local)
    for _ in range(MAX_STEPS):
        if fire is None:
            return None
        if fire > local or (fire == local and not strictly_after):
            return fire
        fire = trigger.get_next_fire_time(fire, local)
    return None


def parse_timezone(name: str) -> ZoneInfo:
    """An IANA zone by name (case-insensitive), or an error with close suggestions."""
    cleaned = (name or "").strip()
    canonical = zone_names().get(cleaned.casefold())
    if canonical:
        try:
            return ZoneInfo(canonical)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    close = difflib.get_close_matches(cleaned, sorted(zone_names().values()), n=3, cutoff=0.6)
    hint = (" Did you mean " + " or ".join(f"`{z}`" for z in close) + "?") if close else ""
    shown = cleaned[:40] or "(empty)"
    raise ScheduleError(
        f"I don't know the time zone “{shown}”.{hint} Use an IANA name such as "
        "`Europe/Berlin`, `America/New_York` or `UTC`."
    )


@lru_cache(maxsize=1)
def zone_names() -> dict[str, str]:
    """Every IANA zone name, keyed by its case-folded form."""
    return {name.casefold(): name for name in available_timezones()}


def normalise_text(text: str) -> str:
    """Lower-case, single-spaced cadence text."""
    return " ".join((text or "").lower().split())


def parse_cadence(text: str, zone: ZoneInfo, anchor: datetime) -> Cadence:
    """Parse a cadence in `zone`; `anchor` (creation time) starts day intervals."""
    cleaned = normalise_text(text)
    return _parse_cached(cleaned, zone.key, anchor.astimezone(zone).date().isoformat())


@lru_cache(maxsize=4096)
def _parse_cached(cleaned: str, zone_key: str, anchor_date: str) -> Cadence:
    zone = ZoneInfo(zone_key)
    if not cleaned or len(cleaned) > MAX_CADENCE_LENGTH:
        raise _unreadable(cleaned)
    try:
        trigger = _cron(cleaned, zone) or _friendly(cleaned, zone, anchor_date)
    except ScheduleError:
        raise
    except Exception:  # APScheduler rejects malformed fields with assorted exceptions
        raise _unreadable(cleaned) from None
    if trigger is None:
        raise _unreadable(cleaned)
    cadence = Cadence(cleaned, zone, trigger)
    _check_spacing(cadence, datetime.fromisoformat(anchor_date + "T00:00").replace(tzinfo=zone))
    return cadence


def _unreadable(cleaned: str) -> ScheduleError:
    shown = cleaned if len(cleaned) <= 40 else cleaned[:39] + "…"
    return ScheduleError(f"I can't read “{shown}” as a schedule. Try {EXAMPLES}.")


def _check_spacing(cadence: Cadence, start: datetime) -> None:
    first = cadence.first_at_or_after(start)
    if first is None:
        raise ScheduleError(f"“{cadence.text}” never fires. Try {EXAMPLES}.")
    second = cadence.next_after(first)
    if second is not None and second - first < MIN_SPACING:
        raise ScheduleError(
            f"“{cadence.text}” fires more often than once an hour; a watch party needs time "
            "to watch. Try `daily 20:00` or `every 2 hours`."
        )


def _cron(cleaned: str, zone: ZoneInfo) -> BaseTrigger | None:
    fields = cleaned.split(" ")
    if len(fields) != 5 or not all(_CRON_FIELD.fullmatch(f) for f in fields):
        return None
    if not (fields[0][0].isdigit() or fields[0][0] == "*"):
        return None
    fields[4] = _cron_dow(fields[4])
    return CronTrigger.from_crontab(" ".join(fields), timezone=zone)


def _cron_dow(field: str) -> str:
    """Crontab counts Sunday as 0 (and 7); APScheduler 3 counts Monday as 0: use names."""
    return re.sub(r"(?<![/\d])\d+", lambda m: _CRON_DOW[int(m.group()) % 8], field)


def _friendly(cleaned: str, zone: ZoneInfo, anchor_date: str) -> BaseTrigger | None:
    hours = re.fullmatch(r"(?:every|each) (\d{1,3}) ?(?:hours|hour|hrs|hr|h)", cleaned)
    if hours:
        return _every_hours(int(hours.group(1)), zone, anchor_date)
    time_match = _find_time(cleaned)
    if time_match is None:
        return None
    hour, minute, rest = time_match
    days = re.fullmatch(r"(?:every|each) (\d{1,3}) days?", rest)
    if days:
        count = int(days.group(1))
        if not 1 <= count <= 365:
            raise ScheduleError("Pick between 1 and 365 days, as in `every 2 days 21:00`.")
        return CalendarIntervalTrigger(
            days=count, hour=hour, minute=minute, start_date=anchor_date, timezone=zone
        )
    if re.fullmatch(r"(?:(?:every|each) day|daily|every ?day|days|each day)", rest):
        return CronTrigger(hour=hour, minute=minute, timezone=zone)
    weekdays = _weekdays(rest)
    if weekdays is None:
        return None
    return CronTrigger(day_of_week=weekdays, hour=hour, minute=minute, timezone=zone)


def _every_hours(count: int, zone: ZoneInfo, anchor_date: str) -> BaseTrigger:
    if not 1 <= count <= 168:
        raise ScheduleError("Pick between 1 and 168 hours, as in `every 12 hours`.")
    start = datetime.fromisoformat(anchor_date + "T00:00").replace(tzinfo=zone)
    return IntervalTrigger(hours=count, start_date=start, timezone=zone)


def _find_time(cleaned: str) -> tuple[int, int, str] | None:
    for word, (hour, minute) in _NAMED_TIMES.items():
        found = re.search(rf"(?:\bat )?\b{word}\b", cleaned)
        if found:
            return hour, minute, _without(cleaned, found)
    matches = [m for m in _TIME.finditer(cleaned) if m.group("m") or m.group("ampm")]
    if len(matches) != 1:
        return None
    found = matches[0]
    hour, minute = int(found.group("h")), int(found.group("m") or 0)
    if found.group("ampm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if found.group("ampm") == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ScheduleError(f"“{found.group().strip()}” is not a time of day; use 00:00–23:59.")
    return hour, minute, _without(cleaned, found)


def _without(cleaned: str, found: re.Match[str]) -> str:
    rest = cleaned[: found.start()] + " " + cleaned[found.end() :]
    return " ".join(rest.replace(" ,", ",").split()).strip(" ,")


def _weekdays(rest: str) -> str | None:
    words = re.sub(r"^(?:every|each|on|weekly on|weekly)\s+", "", rest)
    tokens = [t for t in re.split(r"[,/&+ ]+|\band\b", words) if t and t != "and"]
    if not tokens:
        return None
    chosen: list[str] = []
    for token in tokens:
        day = _day(token)
        if day is None:
            return None
        chosen.append(day)
    return ",".join(dict.fromkeys(chosen))


def _day(token: str) -> str | None:
    singular = token[:-1] if token.endswith("s") and token not in _DAYS else token
    if singular in _GROUPS:
        return _GROUPS[singular]
    return _DAYS.get(singular)
